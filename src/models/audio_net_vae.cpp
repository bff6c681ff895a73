#include "auralflow/error.hpp"
#include "auralflow/models/audio_net.hpp"

#include <sstream>

namespace auralflow::models {

AudioNetVAEImpl::AudioNetVAEImpl(AudioNetOptions options)
    : AudioRecurrentUNetImpl(std::move(options)) {
  mu = register_module("mu", torch::nn::Linear(num_features(), num_features()));
  log_sigma = register_module("log_sigma", torch::nn::Linear(num_features(), num_features()));
}

AudioNetVAEOutput AudioNetVAEImpl::forward(const torch::Tensor& audio) {
  return run(audio, torch::Tensor());
}

AudioNetVAEOutput AudioNetVAEImpl::forward_with_noise(const torch::Tensor& audio,
                                                      const torch::Tensor& eps) {
  if (!eps.defined()) throw Error("AudioNetVAE::forward_with_noise: eps is undefined");
  return run(audio, eps);
}

AudioNetVAEOutput AudioNetVAEImpl::run(const torch::Tensor& audio, const torch::Tensor& eps) {
  const AudioNetEncoding encoding = encode(audio);
  const torch::Tensor sequence = to_sequence(encoding.code);  // (B, L, features)
  AudioNetVAEOutput output;
  output.mu = mu(sequence);
  output.sigma = torch::exp(log_sigma(sequence));
  torch::Tensor z = output.mu;
  if (eps.defined()) {
    if (eps.sizes() != output.mu.sizes()) {
      std::ostringstream message;
      message << "AudioNetVAE: eps must have the shape of mu " << output.mu.sizes() << ", got "
              << eps.sizes();
      throw Error(message.str());
    }
    z = output.mu + output.sigma * eps;
  } else if (is_training()) {
    z = output.mu + output.sigma * torch::randn_like(output.sigma);
  }
  output.estimate = decode(to_latent(z), encoding);
  return output;
}

}  // namespace auralflow::models
