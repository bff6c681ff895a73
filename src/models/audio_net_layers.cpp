#include "auralflow/models/audio_net.hpp"

namespace auralflow::models {

WaveEncoderLevelImpl::WaveEncoderLevelImpl(int64_t in_channels, int64_t out_channels,
                                           int64_t kernel_size, int64_t stride) {
  conv = register_module(
      "conv", torch::nn::Conv1d(
                  torch::nn::Conv1dOptions(in_channels, out_channels, kernel_size).stride(stride)));
  rewrite = register_module(
      "rewrite", torch::nn::Conv1d(torch::nn::Conv1dOptions(out_channels, 2 * out_channels, 1)));
}

torch::Tensor WaveEncoderLevelImpl::forward(const torch::Tensor& x) {
  const torch::Tensor y = torch::relu(conv(x));  // (B, out, (L − K)/S + 1)
  return torch::glu(rewrite(y), 1);              // (B, 2·out, ·) → (B, out, ·)
}

WaveDecoderLevelImpl::WaveDecoderLevelImpl(int64_t in_channels, int64_t out_channels,
                                           int64_t kernel_size, int64_t stride, double dropout_p,
                                           bool last) {
  rewrite = register_module(
      "rewrite", torch::nn::Conv1d(torch::nn::Conv1dOptions(in_channels, 2 * in_channels, 1)));
  conv =
      register_module("conv", torch::nn::ConvTranspose1d(torch::nn::ConvTranspose1dOptions(
                                                             in_channels, out_channels, kernel_size)
                                                             .stride(stride)));
  if (!last) dropout = register_module("dropout", torch::nn::Dropout2d(dropout_p));
}

torch::Tensor WaveDecoderLevelImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = conv(torch::glu(rewrite(x), 1));  // (B, in, L) → (B, out, (L − 1)·S + K)
  if (!dropout) return y;
  // Dropout2d on (B, out, L', 1) drops whole channels; a 3-D input would be read differently by
  // LibTorch 1.13 and 2.x.
  return dropout(torch::relu(y).unsqueeze(-1)).squeeze(-1);
}

}  // namespace auralflow::models
