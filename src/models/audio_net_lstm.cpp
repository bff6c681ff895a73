#include "auralflow/models/audio_net.hpp"

namespace auralflow::models {

AudioNetSimpleLSTMImpl::AudioNetSimpleLSTMImpl(AudioNetOptions options)
    : AudioRecurrentUNetImpl(std::move(options)) {}

torch::Tensor AudioNetSimpleLSTMImpl::forward(const torch::Tensor& audio) {
  const AudioNetEncoding encoding = encode(audio);
  return decode(to_latent(to_sequence(encoding.code)), encoding);
}

}  // namespace auralflow::models
