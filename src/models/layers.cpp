#include "auralflow/models/layers.hpp"

#include "auralflow/error.hpp"
#include "subpixel_conv.hpp"

#include <torch/nn/init.h>

#include <string>

namespace auralflow::models {

std::pair<int64_t, int64_t> deconv_padding(int64_t in, int64_t out) {
  const int64_t twice = 5 - out + 2 * (in - 1);
  const int64_t padding = (twice + 1) / 2;  // ceil; twice ≥ 2 since out ≤ 2·in + 1
  const int64_t output_padding = out - ((in - 1) * 2 - 2 * padding + 5);
  return {padding, output_padding};
}

ConvBlockImpl::ConvBlockImpl(int64_t in_channels, int64_t out_channels, double leak) : leak_(leak) {
  conv = register_module(
      "conv", torch::nn::Conv2d(
                  torch::nn::Conv2dOptions(in_channels, out_channels, 3).padding(1).bias(false)));
  bn = register_module("bn", torch::nn::BatchNorm2d(out_channels));
  // The original's init: Kaiming normal (fan-in), gain √2 for LeakyReLU, 1 for SELU.
  if (leak_ > 0) {
    torch::nn::init::kaiming_normal_(conv->weight);
  } else {
    torch::nn::init::kaiming_normal_(conv->weight, 0, torch::kFanIn, torch::kLinear);
  }
}

torch::Tensor ConvBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = conv(x);
  y = leak_ > 0 ? torch::leaky_relu(y, leak_) : torch::selu(y);
  return bn(y);
}

ConvBlockTripleImpl::ConvBlockTripleImpl(int64_t in_channels, int64_t out_channels, double leak) {
  conv =
      register_module("conv", torch::nn::Sequential(ConvBlock(in_channels, out_channels, leak),
                                                    ConvBlock(out_channels, out_channels, leak),
                                                    ConvBlock(out_channels, out_channels, leak)));
}

torch::Tensor ConvBlockTripleImpl::forward(const torch::Tensor& x) { return conv->forward(x); }

DownBlockImpl::DownBlockImpl(int64_t in_channels, int64_t out_channels, double leak) {
  conv_block = register_module("conv_block", ConvBlockTriple(in_channels, out_channels, leak));
}

std::pair<torch::Tensor, torch::Tensor> DownBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor skip = conv_block(x);
  return {torch::max_pool2d(skip, 2), skip};
}

UpBlockImpl::UpBlockImpl(int64_t in_channels, int64_t out_channels, double dropout_p) {
  up = register_module(
      "up", torch::nn::ConvTranspose2d(
                torch::nn::ConvTranspose2dOptions(in_channels, out_channels, 5).stride(2)));
  bn = register_module("bn", torch::nn::BatchNorm2d(out_channels));
  conv_block = register_module("conv_block", ConvBlockTriple(in_channels, out_channels, 0));
  dropout = register_module("dropout", torch::nn::Dropout2d(dropout_p));
}

torch::Tensor UpBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& skip) {
  const auto [pad_f, out_pad_f] = deconv_padding(x.size(2), skip.size(2));
  const auto [pad_t, out_pad_t] = deconv_padding(x.size(3), skip.size(3));
  // up's transposed convolution, in sub-pixel form (oneDNN, forward and backward)
  const int64_t stride = (*up->options.stride())[0];
  const int64_t kernel = (*up->options.kernel_size())[0];
  torch::Tensor y = detail::subpixel_conv_transpose2d(
      x, detail::subpixel_weight(up->weight, stride), up->bias.repeat_interleave(stride * stride),
      stride, kernel, {pad_f, pad_t}, {out_pad_f, out_pad_t});
  y = bn(y);                                 // (B, out, F, T)
  y = conv_block(torch::cat({y, skip}, 1));  // (B, 2·out, F, T) → (B, out, F, T)
  return dropout(y);
}

InputNormImpl::InputNormImpl(int64_t num_channels, int64_t num_bins, int64_t num_frames)
    : num_frames_(num_frames) {
  std::vector<int64_t> shape{num_channels, num_bins};
  if (num_frames_ > 0) shape.push_back(num_frames_);
  weight = register_parameter("weight", torch::ones(shape));
  bias = register_parameter("bias", torch::zeros(shape));
}

torch::Tensor InputNormImpl::forward(const torch::Tensor& x) {
  if (num_frames_ > 0) {
    if (x.size(3) != num_frames_) {
      throw Error("input_norm: the network was built for num_frames = " +
                  std::to_string(num_frames_) + " (the original's LayerNorm over [C, F, T]), got " +
                  std::to_string(x.size(3)) + " frames");
    }
    return torch::layer_norm(x, x.sizes().slice(1), weight, bias, 1e-5);
  }
  const torch::Tensor normed = torch::layer_norm(x, x.sizes().slice(1), {}, {}, 1e-5);
  return normed * weight.unsqueeze(-1) + bias.unsqueeze(-1);  // affine (C, F, 1)
}

CenterScaleImpl::CenterScaleImpl(int64_t num_bins) {
  center = register_parameter("center", torch::empty({num_bins}).uniform_(0.0, 0.1));
  scale = register_parameter("scale", torch::empty({num_bins}).uniform_(1.0, 1.1));
}

torch::Tensor CenterScaleImpl::forward(const torch::Tensor& x) {
  return (x - center.unsqueeze(-1)) * scale.unsqueeze(-1);  // (F, 1) broadcast over frames
}

}  // namespace auralflow::models
