#include "models/latent_sample.hpp"

#include <torch/torch.h>

#include <sstream>

#include "auralflow/error.hpp"

namespace auralflow::models::detail {

torch::Tensor sample_latent(const torch::Tensor& mu, const torch::Tensor& sigma,
                            const torch::Tensor& eps, bool training, const std::string& network) {
  if (eps.defined()) {
    if (eps.sizes() != mu.sizes()) {
      std::ostringstream message;
      message << network << ": eps must have the shape of mu " << mu.sizes() << ", got "
              << eps.sizes();
      throw Error(message.str());
    }
    return mu + sigma * eps;
  }
  return training ? mu + sigma * torch::randn_like(sigma) : mu;
}

}  // namespace auralflow::models::detail
