// Negative scale-invariant SDR (no zero-mean step, as the original).
#include "loss_support.hpp"

namespace auralflow {

namespace {

// estimate, target: (batch, ..., samples) -> (batch) SI-SDR in dB. As the original, the
// target is scaled per channel (over the last dim) and the energies are summed per batch item
// over all its other dims.
torch::Tensor si_sdr_db(const torch::Tensor& estimate, const torch::Tensor& target) {
  const torch::Tensor e = losses_detail::full_precision(estimate);                // (batch, ..., n)
  const torch::Tensor t = losses_detail::full_precision(target);                  // (batch, ..., n)
  const torch::Tensor dot = (e * t).sum(-1, /*keepdim=*/true);                    // (batch, ..., 1)
  const torch::Tensor energy = t.square().sum(-1, /*keepdim=*/true);              // (batch, ..., 1)
  const torch::Tensor projection = dot / energy.clamp_min(kLossEpsilon) * t;      // (batch, ..., n)
  const torch::Tensor noise = e - projection;                                     // (batch, ..., n)
  const torch::Tensor projection_energy = projection.square().flatten(1).sum(1);  // (batch)
  const torch::Tensor noise_energy = noise.square().flatten(1).sum(1);            // (batch)
  return 10 *
         (projection_energy.clamp_min(kLossEpsilon) / noise_energy.clamp_min(kLossEpsilon)).log10();
}

}  // namespace

// estimate, target: (batch, ...) -> scalar
torch::Tensor si_sdr_loss(const torch::Tensor& estimate, const torch::Tensor& target,
                          bool best_perm) {
  losses_detail::check_same_shape("si_sdr_loss", "estimate", estimate, "target", target);
  losses_detail::check_batched("si_sdr_loss", estimate);
  const torch::Tensor loss = -si_sdr_db(estimate, target).mean();
  return best_perm ? torch::minimum(loss, -si_sdr_db(target, estimate).mean()) : loss;
}

}  // namespace auralflow
