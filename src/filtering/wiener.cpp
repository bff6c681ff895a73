#include "auralflow/filtering.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "auralflow/error.hpp"

namespace auralflow {
namespace {

// (..., C, C) complex -> its inverse; closed form for 2 × 2, the common stereo case.
torch::Tensor invert(const torch::Tensor& matrix) {
  if (matrix.size(-1) != 2) return torch::linalg_inv(matrix);
  const auto a = matrix.index({"...", 0, 0});
  const auto b = matrix.index({"...", 0, 1});
  const auto c = matrix.index({"...", 1, 0});
  const auto d = matrix.index({"...", 1, 1});
  const auto determinant = a * d - b * c;
  return torch::stack({torch::stack({d, -b}, -1), torch::stack({-c, a}, -1)}, -2) /
         determinant.unsqueeze(-1).unsqueeze(-1);
}

}  // namespace

torch::Tensor wiener_expectation_maximization(const torch::Tensor& x, torch::Tensor y,
                                              int iterations, std::optional<double> given_eps) {
  const double eps = given_eps.value_or(x.scalar_type() == torch::kComplexDouble
                                            ? std::numeric_limits<double>::epsilon()
                                            : std::numeric_limits<float>::epsilon());
  if (iterations < 1)
    throw UsageError("Wiener filter: iterations must be >= 1, got " + std::to_string(iterations));
  if (x.dim() != 4 || y.dim() != 5 || y.size(0) != x.size(0) ||
      y.sizes().slice(2) != x.sizes().slice(1))
    throw UsageError(
        "Wiener filter: expected mixture (B, F, T, C) and sources (B, J, F, T, C), got " +
        c10::str(x.sizes()) + " and " + c10::str(y.sizes()));
  const int64_t channels = x.size(-1);
  const auto regularization =
      std::sqrt(eps) * torch::eye(channels, x.options());  // (C, C), keeps Cxx invertible
  for (int i = 0; i < iterations; ++i) {
    const auto power = y.abs().square().mean(-1);  // v (B, J, F, T)
    // R_j(f) = Σ_t y yᴴ / Σ_t v: the spatial covariance normalised by the power.
    auto covariance = torch::einsum("bjftc,bjftd->bjfcd", {y, y.conj()});  // (B, J, F, C, C)
    covariance = covariance / (eps + power.sum(-1)).unsqueeze(-1).unsqueeze(-1);
    const auto power_c = power.to(y.scalar_type());
    const auto mix_covariance = torch::einsum("bjft,bjfcd->bftcd", {power_c, covariance}) +
                                regularization;  // Cxx (B, F, T, C, C)
    const auto whitened =
        torch::einsum("bftcd,bftd->bftc", {invert(mix_covariance), x});  // Cxx⁻¹ x
    y = power_c.unsqueeze(-1) *
        torch::einsum("bjfcd,bftd->bjftc", {covariance, whitened});  // (B, J, F, T, C)
  }
  return y;
}

torch::Tensor wiener_filter(const AudioTransform& transform, const torch::Tensor& mixture,
                            const torch::Tensor& estimates, int iterations) {
  const int64_t length = mixture.size(-1);
  const auto residual = mixture - estimates.sum(1);                        // (B, C, L)
  const auto sources = torch::cat({estimates, residual.unsqueeze(1)}, 1);  // (B, J, C, L)
  // Scaled as norbert does, so that the regularisation is small against the signal.
  const double scale = std::max(1.0, mixture.abs().max().item<double>() / 10.0);
  const auto x = transform.to_spectrogram(mixture / scale).permute({0, 2, 3, 1});  // (B, F, T, C)
  const auto y = transform.to_spectrogram(sources / scale).permute({0, 1, 3, 4, 2});
  const auto filtered = wiener_expectation_maximization(x, y, iterations);  // (B, J, F, T, C)
  const auto audio = transform.to_audio(filtered.permute({0, 1, 4, 2, 3}), length) * scale;
  return audio.narrow(1, 0, estimates.size(1));  // (B, K, C, L)
}

}  // namespace auralflow
