#include "auralflow/network.hpp"

#include <torch/torch.h>

#include "auralflow/error.hpp"
#include "auralflow/models/spectrogram_net.hpp"

namespace auralflow {
namespace {

// Frames of one training chunk; input_axis 1 (LSTM over frequency rows) ties the
// network to this count, as in the original.
int64_t training_frames(const Config& config) {
  const auto samples = static_cast<int64_t>(config.get_double("sample_length") *
                                            static_cast<double>(config.get_int("sample_rate")));
  return samples / config.get_int("hop_length") + 2;
}

models::SpectrogramNetOptions spectrogram_options(const Config& config) {
  return models::SpectrogramNetOptions(config.get_int("num_fft") / 2 + 1,
                                       config.get_int("num_channels"))
      .num_targets(static_cast<int64_t>(config.get_strings("targets").size()))
      .hidden_channels(config.get_int("hidden_channels"))
      .mask_activation(config.get_string("mask_activation"))
      .leak_factor(config.get_double("leak_factor"))
      .dropout_p(config.get_double("dropout_p"))
      .normalize_input(config.get_bool("normalize_input"))
      .normalize_output(config.get_bool("normalize_output"))
      .recurrent_depth(config.get_int("recurrent_depth"))
      .hidden_size(config.get_int("hidden_size"))
      .input_axis(config.get_int("input_axis"))
      .num_frames(config.get_int("input_axis") == 1 ? training_frames(config) : 0);
}

// Wraps a module whose forward returns the estimate tensor.
template <typename Holder>
Network plain(const std::string& type, Domain domain, Holder net) {
  return Network(type, domain, net.ptr(), [net](const torch::Tensor& input) mutable {
    return NetworkOutput{net->forward(input), {}, {}};
  });
}

}  // namespace

Network make_network(const Config& config) {
  torch::manual_seed(static_cast<uint64_t>(config.get_int("seed")));
  const std::string type = config.get_string("model_type");
  if (type == "SpectrogramNetSimple")
    return plain(type, Domain::Spectrogram,
                 models::SpectrogramNetSimple(spectrogram_options(config)));
  if (type == "SpectrogramNetLSTM")
    return plain(type, Domain::Spectrogram,
                 models::SpectrogramNetLSTM(spectrogram_options(config)));
  if (type == "SpectrogramNetVAE") {
    models::SpectrogramNetVAE net(spectrogram_options(config));
    return Network(type, Domain::Spectrogram, net.ptr(), [net](const torch::Tensor& input) mutable {
      auto out = net->forward(input);
      return NetworkOutput{out.mask, out.mu, out.sigma};
    });
  }
  throw Error("model type '" + type + "' is not available in this build yet");
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
