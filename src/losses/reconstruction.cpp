// Elementwise reconstruction losses: L1, L2 (MSE) and RMSE.
#include "auralflow/error.hpp"
#include "loss_support.hpp"

namespace auralflow {

using losses_detail::check_same_shape;
using losses_detail::full_precision;

Distance distance_from_name(const std::string& name) {
  if (name == "l1") return Distance::kL1;
  if (name == "l2") return Distance::kL2;
  throw Error("unknown distance '" + name + "' (allowed: l1, l2)");
}

namespace {

torch::Reduction::Reduction reduction(bool reduce_mean) {
  return reduce_mean ? torch::Reduction::Mean : torch::Reduction::Sum;
}

}  // namespace

// estimate, target: (batch, ...) -> scalar
torch::Tensor l1_loss(const torch::Tensor& estimate, const torch::Tensor& target,
                      bool reduce_mean) {
  check_same_shape("l1_loss", "estimate", estimate, "target", target);
  return torch::l1_loss(full_precision(estimate), full_precision(target), reduction(reduce_mean));
}

// estimate, target: (batch, ...) -> scalar
torch::Tensor l2_loss(const torch::Tensor& estimate, const torch::Tensor& target,
                      bool reduce_mean) {
  check_same_shape("l2_loss", "estimate", estimate, "target", target);
  return torch::mse_loss(full_precision(estimate), full_precision(target), reduction(reduce_mean));
}

// estimate, target: (batch, ...) -> scalar
torch::Tensor rmse_loss(const torch::Tensor& estimate, const torch::Tensor& target) {
  return auralflow::l2_loss(estimate, target).clamp_min(kLossEpsilon).sqrt();
}

}  // namespace auralflow
