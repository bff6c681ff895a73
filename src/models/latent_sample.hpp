#pragma once
// The VAE reparameterisation shared by SpectrogramNetVAE and AudioNetVAE.
#include <torch/types.h>

#include <string>

namespace auralflow::models::detail {

/// z = mu + sigma·eps with the given eps (shaped as mu), or fresh N(0, 1) noise when eps is
/// undefined and `training`, or z = mu in eval mode. `network` names the caller in errors.
torch::Tensor sample_latent(const torch::Tensor& mu, const torch::Tensor& sigma,
                            const torch::Tensor& eps, bool training, const std::string& network);

}  // namespace auralflow::models::detail
