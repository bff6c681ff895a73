#include "distortion_filters.hpp"

#include <torch/fft.h>
#include <torch/linalg.h>

#include <limits>

#include "numerics.hpp"

namespace auralflow::metrics::detail {
namespace {

using torch::indexing::Slice;

/// Cross-correlations r(tau) = sum_n u[n] v[n + tau] from the spectra of u and v (rfft of
/// length fft_size >= N + L - 1, so no wrap-around at the lags kept). The whole-track
/// cross-spectrum buffer is allocated once and reused for every pair.
class Correlator {
 public:
  explicit Correlator(int64_t fft_size)
      : fft_size_(fft_size), product_(torch::empty({fft_size / 2 + 1}, torch::kComplexDouble)) {}

  /// u_spectrum, v_spectrum: (fft_size/2 + 1) -> (fft_size): lag tau >= 0 at tau, -tau at
  /// fft_size - tau.
  torch::Tensor operator()(const torch::Tensor& u_spectrum, const torch::Tensor& v_spectrum) {
    torch::conj_physical_out(product_, u_spectrum);
    return torch::fft::irfft(product_.mul_(v_spectrum), fft_size_);
  }

 private:
  int64_t fft_size_;
  torch::Tensor product_;
};

/// Rows of the Gram matrix and of the right-hand sides that belong to basis channel p.
Slice rows_of(int64_t p, int64_t taps) { return Slice(p * taps, (p + 1) * taps); }

/// The least-squares problems of the filters: Gram matrix G (P*L, P*L) of the delayed
/// references and right-hand sides (P*L, J*C) of every estimate channel.
struct NormalEquations {
  torch::Tensor gram;
  torch::Tensor rhs;
};

NormalEquations normal_equations(const std::vector<torch::Tensor>& references,
                                 const std::vector<torch::Tensor>& estimates, int64_t taps) {
  const int64_t stems = static_cast<int64_t>(references.size());
  const int64_t channels = references.front().size(0);
  const int64_t samples = references.front().size(1);
  const int64_t basis = stems * channels;
  const int64_t fft_size = next_power_of_two(samples + taps - 1);  // as museval
  const auto options = torch::TensorOptions().dtype(torch::kFloat64);

  // (P, fft_size/2 + 1): spectra of the zero-padded references, kept for all pairs.
  auto spectra = torch::empty({basis, fft_size / 2 + 1}, options.dtype(torch::kComplexDouble));
  for (int64_t j = 0; j < stems; ++j) {
    spectra.narrow(0, j * channels, channels)
        .copy_(torch::fft::rfft(to_double(references[j]), fft_size));
  }
  Correlator correlation(fft_size);

  // Gram matrix (P*L, P*L): G[(p,a),(q,b)] = r_{x_p,x_q}(a - b), block-Toeplitz.
  const auto lag_of = torch::arange(taps).unsqueeze(1) - torch::arange(taps).unsqueeze(0);
  const auto lag_index = lag_of + (taps - 1);  // (L, L) into lags -(L-1)..L-1
  auto gram = torch::empty({basis * taps, basis * taps}, options);
  for (int64_t p = 0; p < basis; ++p) {
    for (int64_t q = p; q < basis; ++q) {
      const auto r = correlation(spectra[p], spectra[q]);
      const auto lags = torch::cat(
          {r.narrow(0, fft_size - (taps - 1), taps - 1), r.narrow(0, 0, taps)});  // (2L - 1)
      const auto block = lags.index({lag_index});                                 // (L, L)
      gram.index_put_({rows_of(p, taps), rows_of(q, taps)}, block);
      gram.index_put_({rows_of(q, taps), rows_of(p, taps)}, block.t());
    }
  }

  // Right-hand sides (P*L, J*C): column j*C + c holds D_j[(p,a), c] = r_{x_p, s_hat_jc}(a).
  auto rhs = torch::empty({basis * taps, basis}, options);
  for (int64_t j = 0; j < stems; ++j) {
    for (int64_t c = 0; c < channels; ++c) {
      const auto estimate_spectrum = torch::fft::rfft(to_double(estimates[j][c]), fft_size);
      for (int64_t p = 0; p < basis; ++p) {
        rhs.index_put_({rows_of(p, taps), j * channels + c},
                       correlation(spectra[p], estimate_spectrum).narrow(0, 0, taps));
      }
    }
  }
  return {gram, rhs};
}

}  // namespace

torch::Tensor solve_regularized(const torch::Tensor& gram, const torch::Tensor& rhs) {
  auto loaded = gram.clone();
  loaded.diagonal().add_(std::numeric_limits<double>::epsilon());
  auto [solution, info] = torch::linalg_solve_ex(loaded, rhs);
  if (info.item<int64_t>() == 0) return solution;
  return std::get<0>(torch::linalg_lstsq(gram, rhs, /*rcond=*/{}, "gelsd"));
}

DistortionFilters fit_distortion_filters(const std::vector<torch::Tensor>& references,
                                         const std::vector<torch::Tensor>& estimates,
                                         int64_t taps) {
  const int64_t stems = static_cast<int64_t>(references.size());
  const int64_t channels = references.front().size(0);
  const int64_t basis = stems * channels;
  const auto [gram, rhs] = normal_equations(references, estimates, taps);
  DistortionFilters filters;
  // (P*L, J*C) -> (P, L, J, C) -> (J, P, C, L)
  filters.full =
      solve_regularized(gram, rhs).view({basis, taps, stems, channels}).permute({2, 0, 3, 1});
  std::vector<torch::Tensor> own;
  for (int64_t j = 0; j < stems; ++j) {
    const auto rows = Slice(j * channels * taps, (j + 1) * channels * taps);
    const auto columns = Slice(j * channels, (j + 1) * channels);
    // (C*L, C) -> (C', L, C) -> (C', C, L)
    own.push_back(solve_regularized(gram.index({rows, rows}), rhs.index({rows, columns}))
                      .view({channels, taps, channels})
                      .permute({0, 2, 1}));
  }
  filters.own = torch::stack(own);
  return filters;
}

}  // namespace auralflow::metrics::detail
