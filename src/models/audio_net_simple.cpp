#include "auralflow/models/audio_net.hpp"

namespace auralflow::models {

AudioNetSimpleImpl::AudioNetSimpleImpl(AudioNetOptions options)
    : AudioUNetImpl(std::move(options)) {}

torch::Tensor AudioNetSimpleImpl::forward(const torch::Tensor& audio) {
  const AudioNetEncoding encoding = encode(audio);
  return decode(encoding.code, encoding);
}

}  // namespace auralflow::models
