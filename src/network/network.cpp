#include "auralflow/network.hpp"

#include <torch/torch.h>

#include "auralflow/error.hpp"
#include "auralflow/models/audio_net.hpp"
#include "auralflow/models/hybrid_net.hpp"
#include "auralflow/models/spectrogram_net.hpp"
#include "auralflow/models/spectrogram_net_umx.hpp"
#include "network/hybrid_network.hpp"
#include "network/network_options.hpp"

namespace auralflow {
namespace {

// Wraps a module whose forward returns the estimate tensor.
template <typename Holder>
Network plain(const std::string& type, Domain domain, Holder net) {
  return Network(type, domain, net.ptr(), [net](const torch::Tensor& input) mutable {
    return NetworkOutput{net->forward(input), {}, {}};
  });
}

// Wraps a VAE whose forward returns {estimate or mask, mu, sigma} as its first three members.
template <typename Holder>
Network variational(const std::string& type, Domain domain, Holder net) {
  return Network(type, domain, net.ptr(), [net](const torch::Tensor& input) mutable {
    auto [estimate, mu, sigma] = net->forward(input);
    return NetworkOutput{estimate, mu, sigma};
  });
}

// (B, ...) latents of the VAE branches, flattened per item and concatenated: (B, L).
// Undefined when neither branch is a VAE, so kl_div_loss covers both latents at once.
torch::Tensor joint_latent(const torch::Tensor& spectrogram, const torch::Tensor& waveform) {
  std::vector<torch::Tensor> parts;
  for (const auto& latent : {spectrogram, waveform})
    if (latent.defined()) parts.push_back(latent.flatten(1));
  return parts.empty() ? torch::Tensor() : torch::cat(parts, 1);
}

Network hybrid(const std::string& type, models::HybridNet net) {
  return Network(type, Domain::Waveform, net.ptr(), [net](const torch::Tensor& input) mutable {
    const auto out = net->forward(input);
    return NetworkOutput{out.estimate, joint_latent(out.spectrogram_mu, out.waveform_mu),
                         joint_latent(out.spectrogram_sigma, out.waveform_sigma)};
  });
}

}  // namespace

Network make_network(const Config& config) {
  torch::manual_seed(static_cast<uint64_t>(config.get_int("seed")));
  const std::string type = config.get_string("model_type");
  if (type == "SpectrogramNetSimple")
    return plain(type, Domain::Spectrogram,
                 models::SpectrogramNetSimple(detail::spectrogram_options(config)));
  if (type == "SpectrogramNetLSTM")
    return plain(type, Domain::Spectrogram,
                 models::SpectrogramNetLSTM(detail::spectrogram_options(config)));
  if (type == "SpectrogramNetVAE")
    return variational(type, Domain::Spectrogram,
                       models::SpectrogramNetVAE(detail::spectrogram_options(config)));
  if (type == "SpectrogramNetUMX")
    return plain(type, Domain::Spectrogram, models::SpectrogramNetUMX(detail::umx_options(config)));
  if (type == "AudioNetSimple")
    return plain(type, Domain::Waveform, models::AudioNetSimple(detail::audio_options(config)));
  if (type == "AudioNetSimpleLSTM")
    return plain(type, Domain::Waveform, models::AudioNetSimpleLSTM(detail::audio_options(config)));
  if (type == "AudioNetVAE")
    return variational(type, Domain::Waveform, models::AudioNetVAE(detail::audio_options(config)));
  if (type == "HybridNet") return hybrid(type, detail::make_hybrid_net(config));
  throw Error("unknown model type '" + type + "'");
}

std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> split_recurrent_parameters(
    const torch::nn::Module& module) {
  std::vector<torch::Tensor> recurrent, other;
  for (const auto& item : module.named_parameters(/*recurse=*/true)) {
    if (!item.value().requires_grad()) continue;
    (item.key().find("lstm") != std::string::npos ? recurrent : other).push_back(item.value());
  }
  return {recurrent, other};
}

}  // namespace auralflow
