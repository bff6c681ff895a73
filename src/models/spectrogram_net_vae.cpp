#include "auralflow/error.hpp"
#include "auralflow/models/spectrogram_net.hpp"
#include "models/latent_sample.hpp"

namespace auralflow::models {

SpectrogramNetVAEImpl::SpectrogramNetVAEImpl(SpectrogramNetOptions options)
    : SpectrogramRecurrentUNetImpl(std::move(options)) {
  mu = register_module("mu", torch::nn::Linear(num_features_, num_features_));
  log_sigma = register_module("log_sigma", torch::nn::Linear(num_features_, num_features_));
}

SpectrogramNetVAEOutput SpectrogramNetVAEImpl::forward(const torch::Tensor& spec) {
  return run(spec, torch::Tensor());
}

SpectrogramNetVAEOutput SpectrogramNetVAEImpl::forward_with_noise(const torch::Tensor& spec,
                                                                  const torch::Tensor& eps) {
  if (!eps.defined()) throw Error("SpectrogramNetVAE::forward_with_noise: eps is undefined");
  return run(spec, eps);
}

SpectrogramNetVAEOutput SpectrogramNetVAEImpl::run(const torch::Tensor& spec,
                                                   const torch::Tensor& eps) {
  const UNetEncoding encoding = encode(spec);
  const torch::Tensor sequence = to_sequence(encoding.code);  // (B, L, features)
  SpectrogramNetVAEOutput output;
  output.mu = mu(sequence);
  output.sigma = torch::exp(log_sigma(sequence));
  const torch::Tensor z =
      detail::sample_latent(output.mu, output.sigma, eps, is_training(), "SpectrogramNetVAE");
  output.mask = decode(to_latent(z, encoding.code), encoding);
  return output;
}

}  // namespace auralflow::models
