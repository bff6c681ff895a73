#include "auralflow/network.hpp"

#include <torch/torch.h>

#include "auralflow/error.hpp"
#include "auralflow/models/audio_net.hpp"
#include "auralflow/models/hybrid_net.hpp"
#include "auralflow/models/spectrogram_net.hpp"
#include "auralflow/models/spectrogram_net_umx.hpp"
#include "network/hybrid_branches.hpp"
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

const std::vector<NetworkType>& network_types() {
  using models::AudioNetSimple, models::AudioNetSimpleLSTM, models::AudioNetVAE;
  using models::SpectrogramNetSimple, models::SpectrogramNetLSTM, models::SpectrogramNetVAE;
  constexpr auto spectrogram = Domain::Spectrogram;
  constexpr auto waveform = Domain::Waveform;
  static const std::vector<NetworkType> types = {
      {"SpectrogramNetSimple", spectrogram,
       [](const Config& c) {
         return plain("SpectrogramNetSimple", spectrogram,
                      SpectrogramNetSimple(detail::spectrogram_options(c)));
       }},
      {"SpectrogramNetLSTM", spectrogram,
       [](const Config& c) {
         return plain("SpectrogramNetLSTM", spectrogram,
                      SpectrogramNetLSTM(detail::spectrogram_options(c)));
       }},
      {"SpectrogramNetVAE", spectrogram,
       [](const Config& c) {
         return variational("SpectrogramNetVAE", spectrogram,
                            SpectrogramNetVAE(detail::spectrogram_options(c)));
       }},
      {"AudioNetSimple", waveform,
       [](const Config& c) {
         return plain("AudioNetSimple", waveform, AudioNetSimple(detail::audio_options(c)));
       }},
      {"AudioNetSimpleLSTM", waveform,
       [](const Config& c) {
         return plain("AudioNetSimpleLSTM", waveform, AudioNetSimpleLSTM(detail::audio_options(c)));
       }},
      {"AudioNetVAE", waveform,
       [](const Config& c) {
         return variational("AudioNetVAE", waveform, AudioNetVAE(detail::audio_options(c)));
       }},
      {"HybridNet", waveform,
       [](const Config& c) { return hybrid("HybridNet", detail::make_hybrid_net(c)); }},
      {"SpectrogramNetUMX", spectrogram,
       [](const Config& c) {
         return plain("SpectrogramNetUMX", spectrogram,
                      models::SpectrogramNetUMX(detail::umx_options(c)));
       }},
  };
  return types;
}

const NetworkType& find_network_type(const std::string& name) {
  for (const auto& type : network_types())
    if (type.name == name) return type;
  std::string known;
  for (const auto& type : network_types()) known += (known.empty() ? "" : ", ") + type.name;
  throw Error("unknown model type '" + name + "' (one of " + known + ")");
}

Network make_network(const Config& config) {
  torch::manual_seed(static_cast<uint64_t>(config.get_int("seed")));
  return find_network_type(config.get_string("model_type")).make(config);
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
