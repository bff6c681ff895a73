#pragma once
/// @file
/// Building blocks of the spectrogram U-Nets (SpectrogramNet*). Each block registers its
/// submodules under the names the original Python Auralflow used, so that the state_dict keys
/// match (e.g. `down_1.conv_block.conv.0.conv.weight`, `up_1.up.weight`).
/// Shapes: spectrograms are (batch, channels, bins, frames).
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <utility>

namespace auralflow::models {

/// conv 3×3 ("same" padding, no bias) → activation → BatchNorm2d. The activation comes
/// *before* BN, as in the original: LeakyReLU(leak) when leak > 0, otherwise SELU.
/// Keys: `conv.weight`, `bn.*`.
class ConvBlockImpl : public torch::nn::Module {
 public:
  /// A block from `in_channels` to `out_channels`; `leak` > 0: LeakyReLU(leak), else SELU.
  ConvBlockImpl(int64_t in_channels, int64_t out_channels, double leak);
  /// (B, in, F, T) → (B, out, F, T)
  torch::Tensor forward(const torch::Tensor& x);

  /// The LeakyReLU slope; 0: SELU.
  double leak() const { return leak_; }

  torch::nn::Conv2d conv{nullptr};     ///< 3×3, no bias
  torch::nn::BatchNorm2d bn{nullptr};  ///< after the activation

 private:
  double leak_;
};
TORCH_MODULE(ConvBlock);

/// Three ConvBlocks in a row (in → out → out → out). Keys: `conv.{0,1,2}.*`.
class ConvBlockTripleImpl : public torch::nn::Module {
 public:
  /// Three blocks in → out → out → out with the activation of `leak` (as ConvBlock).
  ConvBlockTripleImpl(int64_t in_channels, int64_t out_channels, double leak);
  /// (B, in, F, T) → (B, out, F, T)
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Sequential conv{nullptr};  ///< the three ConvBlocks
};
TORCH_MODULE(ConvBlockTriple);

/// Encoder level: ConvBlockTriple, whose output is the skip, then max-pool 2×2 (floor).
/// Keys: `conv_block.*`.
class DownBlockImpl : public torch::nn::Module {
 public:
  /// A level from `in_channels` to `out_channels` with the activation of `leak` (as ConvBlock).
  DownBlockImpl(int64_t in_channels, int64_t out_channels, double leak);
  /// (B, in, F, T) → {pooled (B, out, F/2, T/2), skip (B, out, F, T)}
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x);

  ConvBlockTriple conv_block{nullptr};  ///< the convolutions before the pooling
};
TORCH_MODULE(DownBlock);

/// Padding and output_padding of UpBlock's stride-2, kernel-5 transposed conv mapping `in` to
/// `out` samples (the original's _get_deconv_pad, then what ConvTranspose2d(output_size=…)
/// implies): p = ceil((5 − out + 2·(in − 1)) / 2).
std::pair<int64_t, int64_t> deconv_padding(int64_t in, int64_t out);

/// Decoder level: ConvTranspose2d(in → out, kernel 5, stride 2) sized to the skip → BN →
/// concat with the skip → SELU ConvBlockTriple(2·out → out) → Dropout2d(dropout_p).
/// The transposed conv's padding and output_padding are computed per call from the sizes, with
/// the original's formula, so any input size works. Keys: `up.*`, `bn.*`, `conv_block.*`.
class UpBlockImpl : public torch::nn::Module {
 public:
  /// A level from `in_channels` to `out_channels` with Dropout2d(`dropout_p`) at the end.
  UpBlockImpl(int64_t in_channels, int64_t out_channels, double dropout_p);
  /// x (B, in, F', T'), skip (B, out, F, T) with F' = F/2, T' = T/2 (floor) → (B, out, F, T)
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& skip);

  torch::nn::ConvTranspose2d up{nullptr};  ///< kernel 5, stride 2, in → out (run in sub-pixel form)
  torch::nn::BatchNorm2d bn{nullptr};      ///< after `up`
  ConvBlockTriple conv_block{nullptr};     ///< SELU, 2·out → out, after the concat
  torch::nn::Dropout2d dropout{nullptr};  ///< whole channels, training only
};
TORCH_MODULE(UpBlock);

/// Input normalisation: a per-item layer norm over (channels, bins, frames), eps 1e-5, with a
/// learnt affine.
/// * num_frames == 0: affine shaped (channels, bins), shared by all frames, so any frame count
///   works (the default; a deliberate change from the original).
/// * num_frames == T > 0: exactly the original's nn.LayerNorm([C, F, T]) with its affine shaped
///   (channels, bins, T), so original checkpoints load; the input must then have T frames.
/// Keys: `weight`, `bias` (the original's `input_norm.layer_norm.layer_norm.{weight,bias}`).
class InputNormImpl : public torch::nn::Module {
 public:
  /// The norm for C = `num_channels`, F = `num_bins` and `num_frames` (0: any frame count).
  InputNormImpl(int64_t num_channels, int64_t num_bins, int64_t num_frames);
  /// (B, C, F, T) → (B, C, F, T)
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight;  ///< (C, F) or (C, F, T), initialised to 1
  torch::Tensor bias;    ///< shaped as weight, initialised to 0

 private:
  int64_t num_frames_;
};
TORCH_MODULE(InputNorm);

/// The original's CenterScaleNormalization: (x − center[f]) · scale[f], one learnt pair per
/// frequency bin, broadcast over everything else. Keys: `center`, `scale`.
class CenterScaleImpl : public torch::nn::Module {
 public:
  /// One (center, scale) pair per bin for `num_bins` bins.
  explicit CenterScaleImpl(int64_t num_bins);
  /// (…, F, T) → (…, F, T)
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor center;  ///< (F,), initialised uniform in [0, 0.1)
  torch::Tensor scale;   ///< (F,), initialised uniform in [1, 1.1)
};
TORCH_MODULE(CenterScale);

}  // namespace auralflow::models
