#include "auralflow/error.hpp"
#include "auralflow/models/spectrogram_net.hpp"

#include <sstream>
#include <string>

namespace auralflow::models {

namespace {

/// Encoder depth: the code has F/32 × T/32 cells.
constexpr int64_t kLevels = 5;
constexpr int64_t kMinSize = int64_t{1} << kLevels;

void require(bool ok, const std::string& what) {
  if (!ok) throw Error("SpectrogramNet options: " + what);
}

void validate(const SpectrogramNetOptions& o) {
  require(o.num_bins() >= kMinSize,
          "num_bins must be at least 32, got " + std::to_string(o.num_bins()));
  require(o.num_channels() >= 1, "num_channels must be at least 1");
  require(o.num_targets() >= 1, "num_targets must be at least 1");
  require(o.hidden_channels() >= 1, "hidden_channels must be at least 1");
  require(o.leak_factor() >= 0, "leak_factor must be ≥ 0");
  require(o.dropout_p() >= 0 && o.dropout_p() <= 1, "dropout_p must be in [0, 1]");
  require(o.num_frames() == 0 || o.num_frames() >= kMinSize,
          "num_frames must be 0 (any) or at least 32, got " + std::to_string(o.num_frames()));
  require(o.recurrent_depth() >= 1, "recurrent_depth must be at least 1");
  require(o.hidden_size() >= 1, "hidden_size must be at least 1");
  require(o.input_axis() == 0 || o.input_axis() == 1, "input_axis must be 0 or 1");
  require(o.recurrent_dropout() >= 0 && o.recurrent_dropout() <= 1,
          "recurrent_dropout must be in [0, 1]");
}

}  // namespace

SpectrogramUNetImpl::SpectrogramUNetImpl(SpectrogramNetOptions options)
    : options_(std::move(options)) {
  validate(options_);
  const int64_t h = options_.hidden_channels();
  const int64_t channels = options_.num_channels();
  if (options_.normalize_input()) {
    input_norm = register_module("input_norm",
                                 InputNorm(channels, options_.num_bins(), options_.num_frames()));
  }
  for (int64_t k = 0; k < kLevels; ++k) {
    // down_{k+1}: (k == 0 ? C : h·2^(k−1)) → h·2^k channels.
    down[k] = register_module(
        "down_" + std::to_string(k + 1),
        DownBlock(k == 0 ? channels : h << (k - 1), h << k, options_.leak_factor()));
    // up_{k+1}: h·2^(5−k) → h·2^(4−k) channels.
    up[k] =
        register_module("up_" + std::to_string(k + 1),
                        UpBlock(h << (kLevels - k), h << (kLevels - 1 - k), options_.dropout_p()));
  }
  const int64_t outputs = options_.num_targets() * channels;
  soft_conv = register_module(
      "soft_conv", torch::nn::Sequential(torch::nn::Conv2d(torch::nn::Conv2dOptions(h, outputs, 1)),
                                         torch::nn::BatchNorm2d(outputs)));
  if (options_.normalize_output()) {
    output_norm = register_module("output_norm", CenterScale(options_.num_bins()));
  }
  mask_activation = register_module("mask_activation", MaskActivation(options_.mask_activation()));
}

UNetEncoding SpectrogramUNetImpl::encode(const torch::Tensor& spec) {
  if (spec.dim() != 4 || spec.size(1) != options_.num_channels() ||
      spec.size(2) != options_.num_bins()) {
    std::ostringstream message;
    message << "SpectrogramNet: expected a spectrogram (batch, " << options_.num_channels() << ", "
            << options_.num_bins() << ", frames), got " << spec.sizes();
    throw Error(message.str());
  }
  UNetEncoding encoding;
  encoding.num_frames = spec.size(3);
  torch::Tensor x = input_norm ? input_norm(spec) : spec;
  if (encoding.num_frames < kMinSize) {
    x = torch::constant_pad_nd(x, {0, kMinSize - encoding.num_frames});  // (B, C, F, 32)
  }
  for (int64_t k = 0; k < kLevels; ++k) {
    std::tie(x, encoding.skips[k]) = down[k](x);
  }
  encoding.code = x;
  return encoding;
}

torch::Tensor SpectrogramUNetImpl::decode(const torch::Tensor& latent,
                                          const UNetEncoding& encoding) {
  torch::Tensor x = latent;
  for (int64_t k = 0; k < kLevels; ++k) x = up[k](x, encoding.skips[kLevels - 1 - k]);
  x = soft_conv->forward(x);  // (B, K·C, F, T')
  if (output_norm) x = output_norm(x);
  x = x.narrow(3, 0, encoding.num_frames);  // crop the padding: (B, K·C, F, T)
  x = x.reshape({x.size(0), options_.num_targets(), options_.num_channels(), x.size(2), x.size(3)});
  return mask_activation(x);
}

}  // namespace auralflow::models
