#include "auralflow/error.hpp"
#include "auralflow/models/audio_net.hpp"
#include "models/latent_sample.hpp"

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
  const torch::Tensor z =
      detail::sample_latent(output.mu, output.sigma, eps, is_training(), "AudioNetVAE");
  output.estimate = decode(to_latent(z), encoding);
  return output;
}

}  // namespace auralflow::models
