#include "auralflow/error.hpp"
#include "auralflow/models/spectrogram_net.hpp"

#include <torch/nn/modules/activation.h>

namespace auralflow::models {

SpectrogramRecurrentUNetImpl::SpectrogramRecurrentUNetImpl(SpectrogramNetOptions options)
    : SpectrogramUNetImpl(std::move(options)) {
  if (options_.input_axis() == 1 && options_.num_frames() == 0) {
    throw Error(
        "SpectrogramNet options: input_axis 1 reads the encoded frames as LSTM features, so it "
        "needs a fixed num_frames");
  }
  const int64_t encoded_size =
      (options_.input_axis() == 0 ? options_.num_bins() : options_.num_frames()) >> 5;
  num_features_ = 16 * options_.hidden_channels() * encoded_size;
  const int64_t hidden = options_.hidden_size();
  // Dropout only acts between stacked layers; a single layer gets none (no LibTorch warning).
  lstm = register_module(
      "lstm", torch::nn::LSTM(
                  torch::nn::LSTMOptions(num_features_, hidden)
                      .num_layers(options_.recurrent_depth())
                      .bidirectional(true)
                      .dropout(options_.recurrent_depth() > 1 ? options_.recurrent_dropout() : 0.0)
                      .batch_first(options_.lstm_batch_first())));
  linear = register_module(
      "linear",
      torch::nn::Sequential(torch::nn::Linear(2 * hidden, hidden), torch::nn::SELU(),
                            torch::nn::Linear(hidden, 2 * num_features_), torch::nn::SELU()));
}

torch::Tensor SpectrogramRecurrentUNetImpl::to_sequence(const torch::Tensor& code) const {
  // input_axis 0: (B, C5, F5, T5) → (B, T5, C5, F5); 1: → (B, F5, C5, T5). Then merge the last two.
  const torch::Tensor x =
      options_.input_axis() == 0 ? code.permute({0, 3, 1, 2}) : code.permute({0, 2, 1, 3});
  return x.reshape({x.size(0), x.size(1), x.size(2) * x.size(3)});
}

torch::Tensor SpectrogramRecurrentUNetImpl::to_latent(const torch::Tensor& sequence,
                                                      const torch::Tensor& code) {
  const int64_t batch = sequence.size(0);
  const int64_t length = sequence.size(1);
  const torch::Tensor out = std::get<0>(lstm(sequence));                      // (B, L, 2H)
  torch::Tensor latent = linear->forward(out.reshape({batch * length, -1}));  // (B·L, 2·features)
  const bool frames_first = options_.input_axis() == 0;
  const int64_t other = frames_first ? code.size(2) : code.size(3);  // F5 for axis 0, T5 for 1
  latent = latent.reshape({batch, length, 2 * code.size(1), other});
  // back to (B, 2·C5, F5, T5)
  return frames_first ? latent.permute({0, 2, 3, 1}) : latent.permute({0, 2, 1, 3});
}

}  // namespace auralflow::models
