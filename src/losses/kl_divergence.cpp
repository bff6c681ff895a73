// KL divergence of the VAE latent, alone and added to a reconstruction loss.
#include "loss_support.hpp"

namespace auralflow {

// mu, sigma: (batch, ...) -> scalar
torch::Tensor kl_div_loss(const torch::Tensor& mu, const torch::Tensor& sigma) {
  losses_detail::check_same_shape("kl_div_loss", "mu", mu, "sigma", sigma);
  const torch::Tensor m = losses_detail::full_precision(mu);
  const torch::Tensor variance = losses_detail::full_precision(sigma).square();
  return 0.5 * (m.square() + variance - variance.log() - 1).mean();
}

// estimate, target: (batch, ...); mu, sigma: (batch, ...) -> scalar
torch::Tensor kl_divergence_loss(const torch::Tensor& estimate, const torch::Tensor& target,
                                 const torch::Tensor& mu, const torch::Tensor& sigma,
                                 Distance distance) {
  return losses_detail::distance_loss(distance, estimate, target, /*reduce_mean=*/true) +
         auralflow::kl_div_loss(mu, sigma);
}

}  // namespace auralflow
