#include "correlations.hpp"

#include <ATen/Parallel.h>
#include <torch/fft.h>

#include <algorithm>

#include "numerics.hpp"

namespace auralflow::metrics::detail {
namespace {

/// FFT length of one block: large enough that the 2(L - 1) samples of context around each
/// block cost little, small enough that the spectra of a block stay in the cache.
constexpr int64_t kBlockFft = int64_t{1} << 14;

/// Blocks whose spectra are multiplied into the accumulators together.
constexpr int64_t kGroup = 4;

/// Frequency bins multiplied together before moving on to the next pair (cache blocking).
constexpr int64_t kBinChunk = 512;

/// Ranges of blocks whose cross-spectra are summed separately and then added to the total in
/// range order, whatever the thread count: the sums, and so every score, do not depend on the
/// threads. That matters beyond tidiness: the Gram matrix of real recordings can be singular
/// to double precision (stems coded without content above ~16 kHz), and there a change of
/// rounding in the sums moves SIR and SAR by decibels (docs/bsseval.md, §3a and §3b).
constexpr int64_t kRanges = 8;

/// The blocking of one call. Block b covers samples [b*B, (b+1)*B) of the references
/// ("short", zero-padded to F); the "extended" segments of references and estimates add
/// L - 1 samples of context on both sides: [b*B - (L-1), (b+1)*B + L - 1). The circular
/// correlation of a short and an extended segment at index t in [0, 2L - 2] is then the
/// exact contribution of the block to lag t - (L - 1).
struct Blocking {
  Blocking(int64_t samples, int64_t taps) : context(taps - 1) {
    fft = std::min(next_power_of_two(samples + 2 * context),
                   std::max(kBlockFft, next_power_of_two(8 * context)));
    block = fft - 2 * context;
    blocks = (samples + block - 1) / block;
  }
  int64_t context;  // L - 1
  int64_t fft;      // F
  int64_t block;    // B
  int64_t blocks;
};

/// Cross-spectra summed over the blocks of one worker, interleaved complex (re, im).
struct Accumulators {
  Accumulators(int64_t pairs, int64_t bins)
      : sums(torch::zeros({pairs, bins}, torch::kComplexDouble)) {}
  torch::Tensor sums;  // (pairs, F/2 + 1): reference pairs p <= q first, then (p, e)
};

/// Reference pairs p <= q in the order of Accumulators::sums.
std::vector<std::pair<int64_t, int64_t>> reference_pairs(int64_t basis) {
  std::vector<std::pair<int64_t, int64_t>> pairs;
  for (int64_t p = 0; p < basis; ++p) {
    for (int64_t q = p; q < basis; ++q) pairs.emplace_back(p, q);
  }
  return pairs;
}

/// acc[f] += conj(a[f]) * b[f] for f in [begin, end); interleaved complex.
void multiply_accumulate(const double* a, const double* b, double* acc, int64_t begin,
                         int64_t end) {
  for (int64_t f = 2 * begin; f < 2 * end; f += 2) {
    acc[f] += a[f] * b[f] + a[f + 1] * b[f + 1];
    acc[f + 1] += a[f] * b[f + 1] - a[f + 1] * b[f];
  }
}

/// Adds the blocks [first, last) to `acc`. Rows of the block buffer: P short references,
/// P extended references, E extended estimates. The spectra of kGroup blocks are kept
/// together, so that each accumulator is read and written once per group (the sums are
/// memory-bound otherwise).
void accumulate_blocks(const SignalSet& references, const SignalSet& estimates,
                       const Blocking& blocking, int64_t first, int64_t last, Accumulators& acc) {
  const int64_t channels = references.channels();
  const int64_t basis = references.count() * channels;
  const int64_t outputs = estimates.count() * channels;
  const int64_t bins = blocking.fft / 2 + 1;
  const int64_t rows = 2 * basis + outputs;
  const auto pairs = reference_pairs(basis);
  auto segments = torch::zeros({rows, blocking.fft}, torch::kFloat64);
  auto spectra = torch::empty({kGroup, rows, bins}, torch::kComplexDouble);
  double* segment = segments.data_ptr<double>();
  auto* sums = reinterpret_cast<double*>(acc.sums.data_ptr<c10::complex<double>>());
  const auto row = [&](int64_t r) { return segment + r * blocking.fft; };
  const auto sum_row = [&](int64_t r) { return sums + 2 * r * bins; };
  const int64_t extended = blocking.block + 2 * blocking.context;

  for (int64_t group = first; group < last; group += kGroup) {
    const int64_t count = std::min(kGroup, last - group);
    for (int64_t g = 0; g < count; ++g) {
      const int64_t start = (group + g) * blocking.block;
      for (int64_t p = 0; p < basis; ++p) {
        references.read(p / channels, p % channels, start, start + blocking.block, row(p));
        references.read(p / channels, p % channels, start - blocking.context,
                        start - blocking.context + extended, row(basis + p));
      }
      for (int64_t e = 0; e < outputs; ++e) {
        estimates.read(e / channels, e % channels, start - blocking.context,
                       start - blocking.context + extended, row(2 * basis + e));
      }
      auto out = spectra[g];
      torch::fft_rfft_out(out, segments);
    }
    // interleaved complex (K, rows, bins)
    const auto* spectrum =
        reinterpret_cast<const double*>(spectra.data_ptr<c10::complex<double>>());
    const auto bin_row = [&](int64_t g, int64_t r) { return spectrum + 2 * (g * rows + r) * bins; };
    for (int64_t f = 0; f < bins; f += kBinChunk) {
      const int64_t end = std::min(bins, f + kBinChunk);
      for (int64_t g = 0; g < count; ++g) {
        for (size_t i = 0; i < pairs.size(); ++i) {
          multiply_accumulate(bin_row(g, pairs[i].first), bin_row(g, basis + pairs[i].second),
                              sum_row(static_cast<int64_t>(i)), f, end);
        }
        for (int64_t p = 0; p < basis; ++p) {
          for (int64_t e = 0; e < outputs; ++e) {
            multiply_accumulate(bin_row(g, p), bin_row(g, 2 * basis + e),
                                sum_row(static_cast<int64_t>(pairs.size()) + p * outputs + e), f,
                                end);
          }
        }
      }
    }
  }
}

}  // namespace

TrackCorrelations correlate_track(const SignalSet& references, const SignalSet& estimates,
                                  int64_t taps) {
  const Blocking blocking(references.samples(), taps);
  TrackCorrelations result;
  result.taps = taps;
  result.basis = references.count() * references.channels();
  result.outputs = estimates.count() * estimates.channels();
  const int64_t basis = result.basis;
  const int64_t outputs = result.outputs;
  const auto pairs = reference_pairs(basis);
  const int64_t rows = static_cast<int64_t>(pairs.size()) + basis * outputs;
  const int64_t bins = blocking.fft / 2 + 1;

  // Contiguous ranges of blocks, a fixed number of them, each summed on its own and added to
  // the total in range order, `threads` ranges at a time.
  const int64_t ranges = std::min(kRanges, blocking.blocks);
  const int64_t threads = std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), ranges));
  Accumulators total(rows, bins);
  std::vector<Accumulators> partial;
  for (int64_t i = 0; i < threads; ++i) partial.emplace_back(rows, bins);
  for (int64_t first = 0; first < ranges; first += threads) {
    const int64_t count = std::min(threads, ranges - first);
    at::parallel_for(0, count, 1, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const int64_t range = first + i;
        partial[i].sums.zero_();
        accumulate_blocks(references, estimates, blocking, range * blocking.blocks / ranges,
                          (range + 1) * blocking.blocks / ranges, partial[i]);
      }
    });
    for (int64_t i = 0; i < count; ++i) total.sums.add_(partial[i].sums);
  }
  partial.clear();
  // (rows, F): circular correlations; index t holds lag t - (L - 1)
  const auto lags = torch::fft::irfft(total.sums, blocking.fft).contiguous();
  const double* lag = lags.data_ptr<double>();
  const int64_t zero = blocking.context;  // index of lag 0

  result.reference_lags.assign(taps * basis * basis, 0.0);
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto [p, q] = pairs[i];
    const double* r = lag + static_cast<int64_t>(i) * blocking.fft;
    for (int64_t k = 0; k < taps; ++k) {
      result.reference_lags[(k * basis + p) * basis + q] = r[zero + k];
      result.reference_lags[(k * basis + q) * basis + p] = r[zero - k];
    }
  }
  result.estimate_lags.assign(taps * basis * outputs, 0.0);
  for (int64_t p = 0; p < basis; ++p) {
    for (int64_t e = 0; e < outputs; ++e) {
      const double* r = lag + (static_cast<int64_t>(pairs.size()) + p * outputs + e) * blocking.fft;
      for (int64_t a = 0; a < taps; ++a) {
        result.estimate_lags[(a * basis + p) * outputs + e] = r[zero + a];
      }
    }
  }
  return result;
}

}  // namespace auralflow::metrics::detail
