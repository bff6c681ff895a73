#pragma once
/// @file
/// SpectrogramNetSimple and SpectrogramNetLSTM in inference form: the same masks as the
/// module's eval-mode forward (up to float rounding), with every BatchNorm folded into a
/// neighbouring convolution (folded_conv.hpp) and the feature maps in a memory format of the
/// caller's choice (channels-last suits oneDNN's CPU convolutions) and, optionally, the
/// convolutions and activations in bfloat16 (inference_precision.hpp): the mask then differs
/// from the module's by bfloat16 rounding (about 1e-2 at most on a mask in [0, 1]).
///
/// Where each BN goes: inside a ConvBlockTriple, BN i into conv i+1's input; the triple's last
/// BN of an encoder level into the next level's first conv (through the max-pool, when its
/// scales are ≥ 0) and into the decoder's first conv on the skip's channels; the decoder's BN
/// after each transposed conv into that conv's output; the last decoder BN and soft_conv's BN
/// into the 1×1 soft_conv. The BN before each transposed conv (small maps) stays a BN.
///
/// A snapshot: build it from a module in eval mode; later changes to the module's weights are
/// not seen (SpectrogramMaskModel rebuilds it when they change).
#include <torch/types.h>

#include <array>
#include <memory>

#include "auralflow/models/folded_conv.hpp"
#include "auralflow/models/spectrogram_net.hpp"

namespace auralflow::models {

/// A SpectrogramNetSimple or SpectrogramNetLSTM in eval mode with every BatchNorm folded into
/// the neighbouring convolutions (folded_conv.hpp): the same masks with fewer passes over the
/// data. SpectrogramMaskModel::separate uses it on the CPU; the weights are copied when it is
/// made, so it must be rebuilt after they change.
class FoldedSpectrogramNet {
 public:
  /// True for the networks this can fold: SpectrogramNetSimple and SpectrogramNetLSTM.
  static bool supports(const torch::nn::Module& net);

  /// `net` must be one that supports() accepts; an LSTM net's recurrent bottleneck is run by
  /// `net` itself (in float32), so it must outlive this object. `dtype` (float32 or bfloat16)
  /// is the type of the convolutions and the feature maps between them; the input
  /// normalisation, the output normalisation and the mask are float32 either way.
  explicit FoldedSpectrogramNet(std::shared_ptr<torch::nn::Module> net,
                                c10::MemoryFormat format = c10::MemoryFormat::ChannelsLast,
                                torch::ScalarType dtype = torch::kFloat32);

  /// spec (B, C, F, T) → mask (B, K, C, F, T), as the module's forward in eval mode.
  torch::Tensor forward(const torch::Tensor& spec) const;

 private:
  /// A ConvBlockTriple without its last BN, whose affine is handed to the consumers.
  struct Triple {
    std::array<FoldedConv2d, 3> convs;
    std::array<double, 3> leaks{};
    ChannelAffine last;  ///< the third block's BN
    torch::Tensor operator()(const torch::Tensor& x) const;
  };
  Triple fold(const ConvBlockTripleImpl& triple, const ChannelAffine& input) const;

  std::shared_ptr<torch::nn::Module> module_;
  SpectrogramUNetImpl* net_ = nullptr;
  SpectrogramRecurrentUNetImpl* recurrent_ = nullptr;  ///< the LSTM net, else nullptr
  c10::MemoryFormat format_;
  torch::ScalarType dtype_;  ///< of the folded weights and the feature maps
  std::array<Triple, 5> down_;
  std::array<bool, 5> skip_folded_{};  ///< down_k's last BN left to its consumers
  Triple bottleneck_;                  ///< SpectrogramNetSimple only
  std::array<FoldedConvTranspose2d, 5> up_conv_;
  std::array<Triple, 5> up_;
  FoldedConv2d soft_conv_;
};

}  // namespace auralflow::models
