#include "auralflow/models/audio_net.hpp"

namespace auralflow::models {

AudioRecurrentUNetImpl::AudioRecurrentUNetImpl(AudioNetOptions options)
    : AudioUNetImpl(std::move(options)) {
  const int64_t hidden = options_.hidden_size();
  lstm = register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(num_features(), hidden)
                                                     .num_layers(options_.recurrent_depth())
                                                     .bidirectional(true)
                                                     .batch_first(true)));
  linear = register_module("linear", torch::nn::Linear(2 * hidden, num_features()));
}

int64_t AudioRecurrentUNetImpl::num_features() const {
  return options_.hidden_channels() << (options_.depth() - 1);
}

torch::Tensor AudioRecurrentUNetImpl::to_sequence(const torch::Tensor& code) {
  return code.transpose(1, 2);  // (B, features, L) → (B, L, features)
}

torch::Tensor AudioRecurrentUNetImpl::to_latent(const torch::Tensor& sequence) {
  const torch::Tensor out = std::get<0>(lstm(sequence));  // (B, L, 2·hidden_size)
  return linear(out).transpose(1, 2);                     // (B, L, features) → (B, features, L)
}

}  // namespace auralflow::models
