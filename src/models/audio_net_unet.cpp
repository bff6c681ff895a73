#include "auralflow/error.hpp"
#include "auralflow/models/audio_net.hpp"

#include <algorithm>
#include <sstream>
#include <string>

namespace auralflow::models {

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw Error("AudioNet options: " + what);
}

void validate(const AudioNetOptions& o) {
  require(o.num_channels() == 1 || o.num_channels() == 2,
          "num_channels must be 1 (mono) or 2 (stereo), got " + std::to_string(o.num_channels()));
  require(o.num_targets() >= 1, "num_targets must be at least 1");
  require(o.hidden_channels() >= 1, "hidden_channels must be at least 1");
  require(o.depth() >= 1 && o.depth() <= 10,
          "depth must be in 1..10, got " + std::to_string(o.depth()));
  require(o.stride() >= 1 && o.stride() <= 16,
          "stride must be in 1..16, got " + std::to_string(o.stride()));
  require(o.kernel_size() >= o.stride(),
          "kernel_size must be at least the stride (" + std::to_string(o.stride()) +
              ") so that no sample is skipped, got " + std::to_string(o.kernel_size()));
  require(o.dropout_p() >= 0 && o.dropout_p() < 1, "dropout_p must be in [0, 1)");
  require(o.recurrent_depth() >= 1, "recurrent_depth must be at least 1");
  require(o.hidden_size() >= 1, "hidden_size must be at least 1");
}

}  // namespace

AudioUNetImpl::AudioUNetImpl(AudioNetOptions options) : options_(std::move(options)) {
  validate(options_);
  const int64_t h = options_.hidden_channels();
  const int64_t depth = options_.depth();
  const int64_t kernel = options_.kernel_size();
  const int64_t stride = options_.stride();
  for (int64_t k = 1; k <= depth; ++k) {
    // encoder_k: (k == 1 ? C : h·2^(k−2)) → h·2^(k−1) channels.
    const int64_t in = k == 1 ? options_.num_channels() : h << (k - 2);
    encoder.push_back(register_module("encoder_" + std::to_string(k),
                                      WaveEncoderLevel(in, h << (k - 1), kernel, stride)));
  }
  for (int64_t k = 1; k <= depth; ++k) {
    // decoder_k mirrors encoder_{D+1−k}: h·2^(D−k) → h·2^(D−k−1), the last one → targets·C.
    const bool last = k == depth;
    const int64_t out =
        last ? options_.num_targets() * options_.num_channels() : h << (depth - k - 1);
    decoder.push_back(register_module(
        "decoder_" + std::to_string(k),
        WaveDecoderLevel(h << (depth - k), out, kernel, stride, options_.dropout_p(), last)));
  }
}

int64_t AudioUNetImpl::valid_length(int64_t num_samples) const {
  const int64_t kernel = options_.kernel_size();
  const int64_t stride = options_.stride();
  int64_t length = std::max<int64_t>(num_samples, 1);
  for (int64_t k = 0; k < options_.depth(); ++k) {  // encoder lengths, rounded up
    length = length <= kernel ? 1 : (length - kernel + stride - 1) / stride + 1;
  }
  for (int64_t k = 0; k < options_.depth(); ++k) length = (length - 1) * stride + kernel;
  return length;
}

int64_t AudioUNetImpl::receptive_field() const {
  int64_t field = 1;
  int64_t jump = 1;  // input samples between neighbouring outputs of the current level
  for (int64_t k = 0; k < options_.depth(); ++k) {
    field += (options_.kernel_size() - 1) * jump;
    jump *= options_.stride();
  }
  return field;
}

AudioNetEncoding AudioUNetImpl::encode(const torch::Tensor& audio) {
  if (audio.dim() != 3 || audio.size(1) != options_.num_channels() || audio.size(2) < 1) {
    std::ostringstream message;
    message << "AudioNet: expected audio (batch, " << options_.num_channels()
            << ", samples ≥ 1), got " << audio.sizes();
    throw Error(message.str());
  }
  AudioNetEncoding encoding;
  encoding.num_samples = audio.size(2);
  torch::Tensor x = audio;
  if (options_.normalize_input()) {
    encoding.mean = audio.mean({1, 2}, /*keepdim=*/true);  // (B, 1, 1)
    encoding.std = (audio - encoding.mean).square().mean({1, 2}, true).sqrt();
    x = (audio - encoding.mean) / (encoding.std + 1e-5);
  }
  const int64_t padding = valid_length(encoding.num_samples) - encoding.num_samples;
  encoding.pad_left = padding / 2;
  x = torch::constant_pad_nd(x, {encoding.pad_left, padding - encoding.pad_left});  // (B, C, m)
  for (auto& level : encoder) {
    x = level(x);
    encoding.skips.push_back(x);
  }
  encoding.code = x;
  return encoding;
}

torch::Tensor AudioUNetImpl::decode(const torch::Tensor& latent, const AudioNetEncoding& encoding) {
  torch::Tensor x = latent;
  const int64_t depth = options_.depth();
  for (int64_t k = 0; k < depth; ++k) x = decoder[k](x + encoding.skips[depth - 1 - k]);
  x = x.narrow(2, encoding.pad_left, encoding.num_samples);  // (B, targets·C, N)
  x = x.reshape({x.size(0), options_.num_targets(), options_.num_channels(), x.size(2)});
  if (!encoding.mean.defined()) return x;
  return x * encoding.std.unsqueeze(1) + encoding.mean.unsqueeze(1);  // stats (B, 1, 1, 1)
}

}  // namespace auralflow::models
