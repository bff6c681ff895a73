#pragma once
/// @file
/// Convolutions with eval-mode BatchNorm folded into their weights, for inference.
///
/// In eval mode a BatchNorm2d is a fixed per-channel affine, y = scale·x + shift. A BN after a
/// convolution folds into its output channels exactly. A BN *before* a zero-padded convolution
/// (the U-Nets apply activation, then BN, then the next block's convolution) folds into its
/// input channels: conv(pad0(scale·x + shift)) = conv(pad0(x), W·scale) + Σ W·shift, where the
/// second term is a constant per output channel except within `padding` of the border (the
/// zero padding never saw the shift). That border is added back from a small precomputed
/// table, so the result is the unfolded one up to float rounding, at the cost of a few
/// thin strips instead of a pass over the whole feature map.
#include <torch/nn/modules/batchnorm.h>
#include <torch/types.h>

#include <cstdint>
#include <optional>

namespace auralflow::models {

/// x → scale·x + shift per channel (dim 1); undefined tensors mean the identity.
struct ChannelAffine {
  torch::Tensor scale;  ///< (C,)
  torch::Tensor shift;  ///< (C,)

  /// The affine of an eval-mode BatchNorm2d: weight / √(running_var + eps), and so on.
  static ChannelAffine of(const torch::nn::BatchNorm2dImpl& bn);
  /// scale 1, shift 0 over `channels`.
  static ChannelAffine identity(int64_t channels, const torch::TensorOptions& options);
  /// This affine on the first channels, `next` on the ones after (inputs joined by torch::cat).
  ChannelAffine then(const ChannelAffine& next) const;

  /// True for the identity (scale and shift undefined).
  bool is_identity() const { return !scale.defined(); }
  /// True when every scale is ≥ 0, so the affine commutes with max pooling.
  bool is_monotone() const;
  /// x (B, C, …) → scale·x + shift.
  torch::Tensor operator()(const torch::Tensor& x) const;
};

/// conv2d(input(x), weight, bias, stride 1, zero padding) then output(·), computed as a single
/// conv2d on x plus border strips.
class FoldedConv2d {
 public:
  FoldedConv2d() = default;
  /// weight (O, C, k, k), bias (O,) or undefined; `input` over C channels, `output` over O.
  /// The folded weights are kept in `format` and `dtype` (default: the weight's), the type
  /// operator() then takes and returns.
  FoldedConv2d(const torch::Tensor& weight, const torch::Tensor& bias, int64_t padding,
               const ChannelAffine& input, const ChannelAffine& output = {},
               c10::MemoryFormat format = c10::MemoryFormat::Contiguous,
               std::optional<torch::ScalarType> dtype = std::nullopt);

  /// x (B, C, H, W) → (B, O, H, W)
  torch::Tensor operator()(const torch::Tensor& x) const;

 private:
  torch::Tensor weight_;  ///< folded (O, C, k, k)
  torch::Tensor bias_;    ///< folded (O,), the interior value of the shift's term included
  int64_t padding_ = 0;
  /// Border table (O, 2p+1, 2p+1): what a (2p+1)-square map's shift term adds beyond the
  /// interior value, by row class (p top rows, interior, p bottom rows) and column class.
  torch::Tensor border_;
  torch::Tensor taps_;      ///< (O, 1, k, k) the shift through each tap, for maps thinner than 2p+1
  torch::Tensor interior_;  ///< (O,) the shift term inside the map, already in bias_
};

/// conv_transpose2d(x, weight, bias, stride, padding, output_padding) then output(·), with the
/// affine folded into the weights, computed in sub-pixel form (one stride-1 convolution with
/// stride² phases of output channels, a pixel shuffle and a crop), which LibTorch runs on oneDNN.
class FoldedConvTranspose2d {
 public:
  FoldedConvTranspose2d() = default;
  /// weight (C, O, k, k), bias (O,) or undefined; `output` over O; `format` and `dtype` as
  /// FoldedConv2d's.
  FoldedConvTranspose2d(const torch::Tensor& weight, const torch::Tensor& bias, int64_t stride,
                        const ChannelAffine& output,
                        c10::MemoryFormat format = c10::MemoryFormat::Contiguous,
                        std::optional<torch::ScalarType> dtype = std::nullopt);

  /// x (B, C, H, W) → (B, O, H', W') with the given padding and output padding per dim.
  torch::Tensor operator()(const torch::Tensor& x, torch::IntArrayRef padding,
                           torch::IntArrayRef output_padding) const;

 private:
  torch::Tensor weight_;  ///< (stride²·O, C, J, J), J = ceil(k / stride), phases inner
  torch::Tensor bias_;    ///< (stride²·O,)
  int64_t stride_ = 1;
  int64_t kernel_ = 1;
};

}  // namespace auralflow::models
