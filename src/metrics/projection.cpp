#include "projection.hpp"

#include <torch/fft.h>

#include <algorithm>
#include <array>

#include "numerics.hpp"

namespace auralflow::metrics::detail {
namespace {

/// Frequency bins handled together (their partial sums stay in the L1 cache).
constexpr int64_t kBinChunk = 256;

/// Sum over samples of x^2 and of (y - x)^2.
std::pair<double, double> energy_and_error(const double* x, const double* y, int64_t length) {
  double energy = 0.0;
  double error = 0.0;
  for (int64_t n = 0; n < length; ++n) {
    energy += x[n] * x[n];
    error += (y[n] - x[n]) * (y[n] - x[n]);
  }
  return {energy, error};
}

/// The five projection energies of one stem, summed over its channels.
struct ProjectionEnergies {
  double own = 0.0;           // |P_own|^2: projection on the own reference
  double all = 0.0;           // |P_all|^2: projection on all references
  double spatial = 0.0;       // |P_own - s|^2
  double interference = 0.0;  // |P_all - P_own|^2
  double artifacts = 0.0;     // |s_hat - P_all|^2
};

}  // namespace

FrameProjector::FrameProjector(const DistortionFilters& filters, int64_t frame_length)
    : frame_length_(frame_length),
      fft_size_(next_fast_size(frame_length + filters.full.size(3) - 1)),
      stems_(filters.full.size(0)),
      channels_(filters.full.size(2)) {
  const int64_t basis = filters.full.size(1);
  // (J, P, C, L) -> (P, J, C, L) -> (P, E, F/2 + 1)
  full_spectra_ = torch::fft::rfft(filters.full.permute({1, 0, 2, 3}), fft_size_)
                      .reshape({basis, stems_ * channels_, -1})
                      .contiguous();
  own_spectra_ = torch::fft::rfft(filters.own, fft_size_).contiguous();
}

FrameProjector::Workspace::Workspace(const FrameProjector& projector)
    : segments(torch::zeros({2 * projector.stems_ * projector.channels_, projector.fft_size_},
                            torch::kFloat64)),
      spectra(
          torch::empty({segments.size(0), projector.fft_size_ / 2 + 1}, torch::kComplexDouble)) {}

std::vector<BssEvalValues> FrameProjector::frame_metrics(const SignalSet& references,
                                                         const SignalSet& estimates,
                                                         const FrameBounds& frame,
                                                         Workspace& workspace) const {
  const int64_t basis = stems_ * channels_;  // P = E
  const int64_t bins = fft_size_ / 2 + 1;
  double* segment = workspace.segments.data_ptr<double>();
  for (int64_t p = 0; p < basis; ++p) {
    references.read(p / channels_, p % channels_, frame.first, frame.second,
                    segment + p * fft_size_);
    estimates.read(p / channels_, p % channels_, frame.first, frame.second,
                   segment + (basis + p) * fft_size_);
  }
  torch::fft_rfft_out(workspace.spectra, workspace.segments);
  // interleaved complex rows: P references, then E estimates
  const auto* spectra =
      reinterpret_cast<const double*>(workspace.spectra.data_ptr<c10::complex<double>>());
  const auto* full =
      reinterpret_cast<const double*>(full_spectra_.data_ptr<c10::complex<double>>());
  const auto* own = reinterpret_cast<const double*>(own_spectra_.data_ptr<c10::complex<double>>());

  std::vector<ProjectionEnergies> energies(stems_);
  std::array<double, 2 * kBinChunk> all{};
  std::array<double, 2 * kBinChunk> mine{};
  for (int64_t begin = 0; begin < bins; begin += kBinChunk) {
    const int64_t count = std::min(kBinChunk, bins - begin);
    for (int64_t e = 0; e < basis; ++e) {
      const int64_t j = e / channels_;
      const int64_t c = e % channels_;
      // P_all = sum_p X_p H_full[p, e], P_own = sum_c' X_{j,c'} H_own[j, c', c]
      std::fill(all.begin(), all.begin() + 2 * count, 0.0);
      std::fill(mine.begin(), mine.begin() + 2 * count, 0.0);
      for (int64_t p = 0; p < basis; ++p) {
        const double* x = spectra + 2 * (p * bins + begin);
        const double* h = full + 2 * ((p * basis + e) * bins + begin);
        for (int64_t f = 0; f < 2 * count; f += 2) {
          all[f] += x[f] * h[f] - x[f + 1] * h[f + 1];
          all[f + 1] += x[f] * h[f + 1] + x[f + 1] * h[f];
        }
      }
      for (int64_t from = 0; from < channels_; ++from) {
        const double* x = spectra + 2 * ((j * channels_ + from) * bins + begin);
        const double* h = own + 2 * (((j * channels_ + from) * channels_ + c) * bins + begin);
        for (int64_t f = 0; f < 2 * count; f += 2) {
          mine[f] += x[f] * h[f] - x[f + 1] * h[f + 1];
          mine[f + 1] += x[f] * h[f + 1] + x[f + 1] * h[f];
        }
      }
      // Parseval: every bin but 0 and (for even F) F/2 stands for two conjugate bins
      const double* s = spectra + 2 * (e * bins + begin);
      const double* s_hat = spectra + 2 * ((basis + e) * bins + begin);
      ProjectionEnergies sums;
      for (int64_t i = 0; i < count; ++i) {
        const int64_t f = begin + i;
        const double weight = (f == 0 || 2 * f == fft_size_) ? 1.0 : 2.0;
        const double* a = &all[2 * i];
        const double* o = &mine[2 * i];
        const auto norm = [](double re, double im) { return re * re + im * im; };
        sums.own += weight * norm(o[0], o[1]);
        sums.all += weight * norm(a[0], a[1]);
        sums.spatial += weight * norm(o[0] - s[2 * i], o[1] - s[2 * i + 1]);
        sums.interference += weight * norm(a[0] - o[0], a[1] - o[1]);
        sums.artifacts += weight * norm(s_hat[2 * i] - a[0], s_hat[2 * i + 1] - a[1]);
      }
      auto& total = energies[j];
      total.own += sums.own;
      total.all += sums.all;
      total.spatial += sums.spatial;
      total.interference += sums.interference;
      total.artifacts += sums.artifacts;
    }
  }

  std::vector<BssEvalValues> metrics(stems_);
  const double scale = 1.0 / static_cast<double>(fft_size_);
  for (int64_t j = 0; j < stems_; ++j) {
    double target = 0.0;
    double error = 0.0;
    for (int64_t c = 0; c < channels_; ++c) {
      const int64_t p = j * channels_ + c;
      const auto [energy, difference] = energy_and_error(
          segment + p * fft_size_, segment + (basis + p) * fft_size_, frame_length_);
      target += energy;
      error += difference;
    }
    const auto& e = energies[j];
    // SDR does not depend on the filters: e_spat + e_interf + e_artif = estimate - target
    metrics[j].sdr = safe_db(target, error);
    metrics[j].isr = safe_db(target, e.spatial * scale);
    metrics[j].sir = safe_db(e.own * scale, e.interference * scale);
    metrics[j].sar = safe_db(e.all * scale, e.artifacts * scale);
  }
  return metrics;
}

}  // namespace auralflow::metrics::detail
