#include "auralflow/models/spectrogram_net.hpp"

namespace auralflow::models {

SpectrogramNetSimpleImpl::SpectrogramNetSimpleImpl(SpectrogramNetOptions options)
    : SpectrogramUNetImpl(std::move(options)) {
  const int64_t h = options_.hidden_channels();
  bottleneck = register_module("bottleneck", ConvBlockTriple(16 * h, 32 * h, 0));
}

torch::Tensor SpectrogramNetSimpleImpl::forward(const torch::Tensor& spec) {
  const UNetEncoding encoding = encode(spec);
  return decode(bottleneck(encoding.code), encoding);  // code (B, 16h, F5, T5) → (B, 32h, …)
}

}  // namespace auralflow::models
