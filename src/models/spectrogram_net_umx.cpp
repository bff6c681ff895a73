#include "auralflow/models/spectrogram_net_umx.hpp"

#include <torch/nn/functional/activation.h>

#include "auralflow/error.hpp"

namespace auralflow::models {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw Error("SpectrogramNetUMX options: " + what);
}

void validate(const UMXOptions& o) {
  require(o.num_bins() >= 2, "num_bins must be at least 2, got " + std::to_string(o.num_bins()));
  require(o.num_channels() >= 1, "num_channels must be at least 1");
  require(o.num_targets() >= 1, "num_targets must be at least 1");
  require(o.input_bins() >= 0, "input_bins must be ≥ 0 (0: all bins)");
  require(o.hidden_size() >= 2 && o.hidden_size() % 2 == 0,
          "hidden_size must be even and at least 2 (half of it per LSTM direction), got " +
              std::to_string(o.hidden_size()));
  require(o.recurrent_depth() >= 1, "recurrent_depth must be at least 1");
  require(o.dropout_p() >= 0 && o.dropout_p() <= 1, "dropout_p must be in [0, 1]");
}

torch::nn::Linear linear(int64_t in, int64_t out) {
  return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
}

}  // namespace

SpectrogramNetUMXImpl::SpectrogramNetUMXImpl(UMXOptions options) : options_(std::move(options)) {
  validate(options_);
  const int64_t bins = options_.num_bins();
  input_bins_ = options_.input_bins() == 0 ? bins : std::min(options_.input_bins(), bins);
  const int64_t channels = options_.num_channels();
  const int64_t targets = options_.num_targets();
  const int64_t hidden = options_.hidden_size();
  input_mean = register_parameter("input_mean", torch::zeros({input_bins_}));
  input_scale = register_parameter("input_scale", torch::ones({input_bins_}));
  encoder = register_module("encoder", linear(channels * input_bins_, hidden));
  encoder_norm = register_module("encoder_norm", torch::nn::BatchNorm1d(hidden));
  const int64_t depth = options_.recurrent_depth();
  lstm = register_module("lstm",
                         torch::nn::LSTM(torch::nn::LSTMOptions(hidden, hidden / 2)
                                             .num_layers(depth)
                                             .bidirectional(true)
                                             .dropout(depth > 1 ? options_.dropout_p() : 0.0)));
  decoder_hidden = register_module("decoder_hidden", linear(2 * hidden, hidden));
  decoder_hidden_norm = register_module("decoder_hidden_norm", torch::nn::BatchNorm1d(hidden));
  decoder_output = register_module("decoder_output", linear(hidden, targets * channels * bins));
  decoder_output_norm =
      register_module("decoder_output_norm", torch::nn::BatchNorm1d(targets * channels * bins));
  output_scale = register_parameter("output_scale", torch::ones({targets, 1, bins}));
  output_mean = register_parameter("output_mean", torch::zeros({targets, 1, bins}));
  mask_activation = register_module("mask_activation", MaskActivation(options_.mask_activation()));
}

torch::Tensor SpectrogramNetUMXImpl::forward(const torch::Tensor& spec) {
  const int64_t batch = spec.size(0), channels = spec.size(1), bins = spec.size(2),
                frames = spec.size(3);
  if (channels != options_.num_channels() || bins != options_.num_bins())
    throw Error("SpectrogramNetUMX: expected (batch, " + std::to_string(options_.num_channels()) +
                ", " + std::to_string(options_.num_bins()) + ", frames), got " +
                std::to_string(channels) + " channels and " + std::to_string(bins) + " bins");
  const int64_t rows = frames * batch;
  const int64_t hidden = options_.hidden_size();
  // Frames first: (T, B, C, F_in), one row per frame for the linears.
  torch::Tensor x = spec.narrow(2, 0, input_bins_).permute({3, 0, 1, 2});
  x = (x + input_mean) * input_scale;
  x = torch::tanh(encoder_norm(encoder(x.reshape({rows, channels * input_bins_}))));  // (T·B, H)
  x = x.reshape({frames, batch, hidden});
  const torch::Tensor recurrent = std::get<0>(lstm(x));  // (T, B, H)
  torch::Tensor y = torch::cat({x, recurrent}, -1).reshape({rows, 2 * hidden});
  y = torch::relu(decoder_hidden_norm(decoder_hidden(y)));  // (T·B, H)
  y = decoder_output_norm(decoder_output(y));               // (T·B, K·C·F)
  y = y.reshape({rows, options_.num_targets(), channels, bins}) * output_scale + output_mean;
  y = y.reshape({frames, batch, options_.num_targets(), channels, bins}).permute({1, 2, 3, 4, 0});
  return mask_activation(y);  // (B, K, C, F, T)
}

}  // namespace auralflow::models
