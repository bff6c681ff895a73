#pragma once
/// @file
/// SpectrogramNetUMX: an Open-Unmix-style recurrent mask estimator, after
///   F.-R. Stöter, S. Uhlich, A. Liutkus, Y. Mitsufuji, "Open-Unmix - A Reference Implementation
///   for Music Source Separation", Journal of Open Source Software 4(41), 1667, 2019.
/// Each frame of the magnitude spectrogram, cut to the bins below `bandwidth`, is encoded by one
/// linear layer, the sequence of frames runs through a bidirectional LSTM, and a linear decoder
/// reads the encoding and the LSTM output together (skip connection) to predict one mask per
/// target, channel and bin. It has no convolutions: its cost is a few matrix products per frame,
/// which is why it learns fast on a CPU.
///
/// Differences from Open-Unmix: one network predicts every target (Open-Unmix trains one per
/// target); the masks go through MaskActivation (clamped to [0, 1]) and multiply the mixture
/// spectrogram in SpectrogramMaskModel, as every SpectrogramNet does; the input statistics are
/// learnt from zero mean and unit scale instead of being measured on the data set first.
#include <torch/arg.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>

#include <cstdint>
#include <string>

#include "auralflow/models/mask_activation.hpp"

namespace auralflow::models {

/// Settings of SpectrogramNetUMX. Example: SpectrogramNetUMX(UMXOptions(2049, 2).num_targets(4)).
struct UMXOptions {
  /// Options for F = `num_bins` bins and C = `num_channels`, every other option at its default.
  UMXOptions(int64_t num_bins, int64_t num_channels)
      : num_bins_(num_bins), num_channels_(num_channels) {}

  /// Frequency bins F of the input (n_fft / 2 + 1).
  TORCH_ARG(int64_t, num_bins);
  /// Audio channels C: 1 mono, 2 stereo.
  TORCH_ARG(int64_t, num_channels);
  /// Number of masks K (one per target source).
  TORCH_ARG(int64_t, num_targets) = 1;
  /// Bins the network reads, from 0 (Open-Unmix: those below 16 kHz); 0 or > F: all F.
  TORCH_ARG(int64_t, input_bins) = 0;
  /// Width H of the encoder, the LSTM output (H / 2 per direction) and the decoder.
  TORCH_ARG(int64_t, hidden_size) = 512;
  /// Stacked bidirectional LSTM layers.
  TORCH_ARG(int64_t, recurrent_depth) = 3;
  /// Dropout between LSTM layers (training only).
  TORCH_ARG(double, dropout_p) = 0.4;
  /// relu, hardtanh, tanh, softmax, prelu, selu, elu or sigmoid (see MaskActivation).
  TORCH_ARG(std::string, mask_activation) = "relu";
};

/// SpectrogramNetUMX (see the file comment): (|X| + input_mean)·input_scale → encoder →
/// tanh → LSTM; [encoding, LSTM output] → decoder_hidden → ReLU → decoder_output →
/// ·output_scale + output_mean → mask_activation.
class SpectrogramNetUMXImpl : public torch::nn::Module {
 public:
  /// auralflow::Error naming the first invalid option.
  explicit SpectrogramNetUMXImpl(UMXOptions options);
  /// spec (B, C, F, T) magnitudes → mask (B, K, C, F, T) in [0, 1]
  torch::Tensor forward(const torch::Tensor& spec);

  const UMXOptions& options() const { return options_; }  ///< the options it was built with
  /// Bins read from the input: min(input_bins, F), or F when input_bins is 0.
  int64_t input_bins() const { return input_bins_; }

  torch::Tensor input_mean;            ///< (F_in): added to the magnitudes before input_scale
  torch::Tensor input_scale;           ///< (F_in)
  torch::nn::Linear encoder{nullptr};  ///< C·F_in → H, no bias (the batch norm has one)
  torch::nn::BatchNorm1d encoder_norm{nullptr};         ///< H, after the encoder
  torch::nn::LSTM lstm{nullptr};                        ///< H → H (H / 2 per direction)
  torch::nn::Linear decoder_hidden{nullptr};            ///< 2H → H, no bias
  torch::nn::BatchNorm1d decoder_hidden_norm{nullptr};  ///< H, after decoder_hidden
  torch::nn::Linear decoder_output{nullptr};            ///< H → K·C·F, no bias
  torch::nn::BatchNorm1d decoder_output_norm{nullptr};  ///< K·C·F, after decoder_output
  torch::Tensor output_scale;                           ///< (K, 1, F)
  torch::Tensor output_mean;                            ///< (K, 1, F)
  MaskActivation mask_activation{nullptr};              ///< the mask_activation option

 private:
  UMXOptions options_;
  int64_t input_bins_;
};
TORCH_MODULE(SpectrogramNetUMX);

}  // namespace auralflow::models
