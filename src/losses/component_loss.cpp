// Weighted 2-/3-component mask loss (Auralflow's ComponentLoss).
#include <vector>

#include "auralflow/error.hpp"
#include "loss_support.hpp"

namespace auralflow {

namespace {

// x: (batch, ...) -> x divided by its 2-norm over all non-batch dims, the norm floored at
// kLossEpsilon so that an all-zero item stays zero instead of becoming NaN.
torch::Tensor unit_per_item(const torch::Tensor& x) {
  std::vector<int64_t> item_dims(x.dim() - 1);
  for (int64_t d = 1; d < x.dim(); ++d) item_dims[d - 1] = d;
  const torch::Tensor norm =
      at::linalg_vector_norm(x, 2, item_dims, /*keepdim=*/true);  // (batch, 1, ..., 1)
  return x / norm.clamp_min(kLossEpsilon);
}

}  // namespace

// mask, mixture, target: (batch, ...) magnitudes -> scalar
torch::Tensor component_loss(const torch::Tensor& mask, const torch::Tensor& mixture,
                             const torch::Tensor& target, double alpha, double beta) {
  losses_detail::check_same_shape("component_loss", "mask", mask, "mixture", mixture);
  losses_detail::check_same_shape("component_loss", "mask", mask, "target", target);
  losses_detail::check_batched("component_loss", mask);
  if (alpha < 0 || beta < 0) throw Error("component_loss: alpha and beta must be >= 0");
  if (alpha + beta > 1) {
    const double total = alpha + beta + 1e-8;
    alpha /= total;
    beta /= total;
  }
  const torch::Tensor m = losses_detail::full_precision(mask);
  const torch::Tensor y = losses_detail::full_precision(target);
  const torch::Tensor residual = losses_detail::full_precision(mixture) - y;  // may be < 0
  const torch::Tensor filtered_residual = m * residual;

  const torch::Tensor separation = (m * y - y).square().sum();
  const torch::Tensor attenuation = filtered_residual.square().sum();
  torch::Tensor loss = (1 - alpha - beta) * separation + alpha * attenuation;
  if (beta > 0) {
    const torch::Tensor quality =
        (unit_per_item(filtered_residual) - unit_per_item(residual)).square().sum();
    loss = loss + beta * quality;
  }
  return loss / mask.numel();
}

}  // namespace auralflow
