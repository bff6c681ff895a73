// SI-SDR (Le Roux et al., ICASSP 2019; no mean removal, no epsilon) and global SDR
// (MDX Challenge 2021), docs/bsseval.md sections 5 and 6.
#include <cmath>
#include <limits>

#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"
#include "numerics.hpp"

namespace auralflow::metrics {
namespace {

/// Both signals as float64 CPU tensors of the same shape.
std::pair<torch::Tensor, torch::Tensor> prepare(const torch::Tensor& estimate,
                                                const torch::Tensor& reference,
                                                const char* function) {
  if (estimate.sizes() != reference.sizes()) {
    throw Error(std::string(function) + ": estimate and reference must have the same shape");
  }
  if (!estimate.is_floating_point() || !reference.is_floating_point()) {
    throw Error(std::string(function) + ": expected floating-point tensors");
  }
  return {detail::to_double(estimate), detail::to_double(reference)};
}

/// SI-SDR of two 1-D float64 signals. <s_hat, s> and |s|^2 are summed the same way, so a
/// bit-exact copy gets alpha = 1 and +inf.
double si_sdr_flat(const torch::Tensor& estimate, const torch::Tensor& reference) {
  const double reference_energy = reference.dot(reference).item<double>();
  if (reference_energy == 0.0) return std::numeric_limits<double>::quiet_NaN();
  const double alpha = estimate.dot(reference).item<double>() / reference_energy;
  const auto target = alpha * reference;
  const auto residual = estimate - target;
  const double target_energy = target.dot(target).item<double>();
  const double residual_energy = residual.dot(residual).item<double>();
  // all-zero estimate: 0/0, reported as -inf (worst possible)
  if (target_energy == 0.0 && residual_energy == 0.0) {
    return -std::numeric_limits<double>::infinity();
  }
  return detail::safe_db(target_energy, residual_energy);
}

}  // namespace

double si_sdr(const torch::Tensor& estimate, const torch::Tensor& reference) {
  const auto [est, ref] = prepare(estimate, reference, "si_sdr");
  return si_sdr_flat(est.flatten(), ref.flatten());
}

std::vector<double> si_sdr_per_channel(const torch::Tensor& estimate,
                                       const torch::Tensor& reference) {
  if (reference.dim() != 2) throw Error("si_sdr_per_channel: expected (channels, samples)");
  const auto [est, ref] = prepare(estimate, reference, "si_sdr_per_channel");
  std::vector<double> values;
  for (int64_t c = 0; c < ref.size(0); ++c) values.push_back(si_sdr_flat(est[c], ref[c]));
  return values;
}

double global_sdr(const torch::Tensor& estimate, const torch::Tensor& reference, double delta) {
  const auto [est, ref] = prepare(estimate, reference, "global_sdr");
  const auto error = ref - est;
  const double numerator = ref.flatten().dot(ref.flatten()).item<double>() + delta;
  const double denominator = error.flatten().dot(error.flatten()).item<double>() + delta;
  return 10.0 * std::log10(numerator / denominator);
}

}  // namespace auralflow::metrics
