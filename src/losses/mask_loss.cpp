// Distance of a mask to the ideal ratio mask (Auralflow's MaskLoss).
#include "loss_support.hpp"

namespace auralflow {

namespace {
// Floor of the mixture magnitude in the ideal ratio mask, as the original.
constexpr double kMixtureFloor = 1e-6;
}  // namespace

// mask, mixture, target: (batch, ...) magnitudes -> scalar
torch::Tensor mask_loss(const torch::Tensor& mask, const torch::Tensor& mixture,
                        const torch::Tensor& target, Distance distance, bool reduce_mean) {
  losses_detail::check_same_shape("mask_loss", "mask", mask, "mixture", mixture);
  losses_detail::check_same_shape("mask_loss", "mask", mask, "target", target);
  // (batch, ...), not clipped to 1.
  const torch::Tensor ideal_mask = losses_detail::full_precision(target) /
                                   losses_detail::full_precision(mixture).clamp_min(kMixtureFloor);
  return losses_detail::distance_loss(distance, mask, ideal_mask, reduce_mean);
}

}  // namespace auralflow
