#include "auralflow/models/spectrogram_net.hpp"

namespace auralflow::models {

SpectrogramNetLSTMImpl::SpectrogramNetLSTMImpl(SpectrogramNetOptions options)
    : SpectrogramRecurrentUNetImpl(std::move(options)) {}

torch::Tensor SpectrogramNetLSTMImpl::forward(const torch::Tensor& spec) {
  const UNetEncoding encoding = encode(spec);
  return decode(to_latent(to_sequence(encoding.code), encoding.code), encoding);
}

}  // namespace auralflow::models
