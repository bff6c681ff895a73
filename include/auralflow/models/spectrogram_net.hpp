#pragma once
/// @file
/// Spectrogram-domain mask estimators, ported from the original Python Auralflow:
/// @verbatim
///   SpectrogramNetSimple  5-level U-Net with a conv bottleneck,
///   SpectrogramNetLSTM    the same U-Net with a bidirectional LSTM bottleneck,
///   SpectrogramNetVAE     the LSTM net with a Gaussian latent (mu, sigma) before the LSTM.
/// @endverbatim
/// They take magnitude spectrograms (batch, channels, bins, frames) and return soft masks
/// (batch, targets, channels, bins, frames) in [0, 1]; the targets dim is always there, also for
/// one target. Submodules carry the original's state_dict names (see state_dict.hpp to load
/// original checkpoints).
///
/// Changes from the original, on purpose (each has a test):
/// * any frame count: the input norm's affine is per (channel, bin) unless num_frames is set;
///   the transposed convs are sized per call; inputs shorter than 32 frames are zero-padded to
///   32 after the input norm and the mask is cropped back.
/// * the LSTM runs along the sequence (batch_first); the original ran it over the mini-batch
///   axis (kept as lstm_batch_first(false) for exact parity with original checkpoints).
/// * every decoder level uses dropout_p (the original fixed 0.4 for up_4 and up_5).
/// * the VAE uses z = mu in eval mode (the original sampled on every call).
/// * no dead parameters: LSTM/VAE have no conv `bottleneck`, and there is no frozen identity
///   `output_norm` when normalize_output is off.
/// * the LSTM and its linears use hidden_size as given; the original also computed an unused
///   min(hidden_size, 32·hidden_channels).
/// * an unknown mask activation is an error (the original fell back to sigmoid).
/// * several targets: num_targets masks from one decoder (the 1×1 soft_conv has K·C outputs).
#include "auralflow/models/layers.hpp"
#include "auralflow/models/mask_activation.hpp"

#include <torch/arg.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>

#include <array>
#include <cstdint>
#include <string>

namespace auralflow::models {

/// Settings of the SpectrogramNet family; the recurrent ones only matter for LSTM/VAE.
/// Example: SpectrogramNetSimple(SpectrogramNetOptions(513, 2).hidden_channels(16)).
struct SpectrogramNetOptions {
  /// Options for F = `num_bins` bins and C = `num_channels`, every other option at its default.
  SpectrogramNetOptions(int64_t num_bins, int64_t num_channels)
      : num_bins_(num_bins), num_channels_(num_channels) {}

  /// Frequency bins F of the input (n_fft / 2 + 1); at least 32.
  TORCH_ARG(int64_t, num_bins);
  /// Audio channels C: 1 mono, 2 stereo.
  TORCH_ARG(int64_t, num_channels);
  /// Number of masks K (one per target source).
  TORCH_ARG(int64_t, num_targets) = 1;
  /// Channels h of the first encoder level; level k has h·2^(k−1), the bottleneck 32·h.
  TORCH_ARG(int64_t, hidden_channels) = 16;
  /// relu, hardtanh, tanh, softmax, prelu, selu, elu or sigmoid (see MaskActivation).
  TORCH_ARG(std::string, mask_activation) = "sigmoid";
  /// Encoder activation: LeakyReLU(leak_factor) when > 0, otherwise SELU.
  TORCH_ARG(double, leak_factor) = 0.0;
  /// Dropout2d rate after every decoder level (training only).
  TORCH_ARG(double, dropout_p) = 0.4;
  /// Learnt input normalisation (InputNorm), key `input_norm`.
  TORCH_ARG(bool, normalize_input) = true;
  /// Learnt per-bin output centring/scaling (CenterScale), key `output_norm`.
  TORCH_ARG(bool, normalize_output) = true;
  /// 0 (default): any frame count. T > 0: the net is tied to T frames like the original: the
  /// input norm is the original's LayerNorm over [C, F, T] (so original checkpoints load), and
  /// input_axis 1 reads T/32 encoded frames as LSTM features. Must be 0 or ≥ 32.
  TORCH_ARG(int64_t, num_frames) = 0;

  /// LSTM/VAE: number of stacked bidirectional LSTM layers.
  TORCH_ARG(int64_t, recurrent_depth) = 3;
  /// LSTM/VAE: LSTM hidden size H (per direction); the linears are 2H → H → 2·features.
  TORCH_ARG(int64_t, hidden_size) = 1024;
  /// LSTM/VAE: 0: the sequence runs over the encoded frames and the features are
  /// (channels × bins) (any length); 1: over the encoded bins, features (channels × frames),
  /// which needs num_frames.
  TORCH_ARG(int64_t, input_axis) = 0;
  /// LSTM/VAE: dropout between LSTM layers (training only); the original's fixed 0.3.
  TORCH_ARG(double, recurrent_dropout) = 0.3;
  /// LSTM/VAE: true (default): the recurrence runs along the sequence, each batch item on its
  /// own. false: the original's bug, for exact parity with original checkpoints: the
  /// recurrence runs over the mini-batch items (nn.LSTM(batch_first=False) fed (B, L, features)).
  TORCH_ARG(bool, lstm_batch_first) = true;
};

/// What the encoder hands to the bottleneck and the decoder.
struct UNetEncoding {
  /// Pooled output of down_5: (B, 16h, F/32, T'/32), T' = max(T, 32).
  torch::Tensor code;
  /// skip_k (B, h·2^(k−1), F/2^(k−1), T'/2^(k−1)), the DownBlock outputs before pooling.
  std::array<torch::Tensor, 5> skips;
  /// T, the frame count of the input (the mask is cropped back to it).
  int64_t num_frames = 0;
};

/// The U-Net shared by the three nets: input_norm, down_1..down_5, up_1..up_5, soft_conv
/// (1×1 conv + BN), output_norm, mask_activation. Subclasses add the bottleneck.
class SpectrogramUNetImpl : public torch::nn::Module {
 public:
  /// Input norm, zero padding to ≥ 32 frames, encoder. spec: (B, C, F, T).
  UNetEncoding encode(const torch::Tensor& spec);
  /// Decoder, soft_conv, output norm, mask activation, crop to T.
  /// latent (B, 32h, F/32, T'/32) → mask (B, K, C, F, T)
  torch::Tensor decode(const torch::Tensor& latent, const UNetEncoding& encoding);

  /// The options it was built with.
  const SpectrogramNetOptions& options() const { return options_; }

  InputNorm input_norm{nullptr};  ///< empty when !normalize_input
  std::array<DownBlock, 5> down{DownBlock{nullptr}, DownBlock{nullptr}, DownBlock{nullptr},
                                DownBlock{nullptr}, DownBlock{nullptr}};  ///< down_1..down_5
  std::array<UpBlock, 5> up{UpBlock{nullptr}, UpBlock{nullptr}, UpBlock{nullptr}, UpBlock{nullptr},
                            UpBlock{nullptr}};  ///< up_1..up_5
  torch::nn::Sequential soft_conv{nullptr};     ///< 1×1 Conv2d(h → K·C) + BatchNorm2d
  CenterScale output_norm{nullptr};             ///< empty when !normalize_output
  MaskActivation mask_activation{nullptr};      ///< the mask_activation option

 protected:
  /// Validates the options (auralflow::Error naming the bad one) and builds the U-Net.
  explicit SpectrogramUNetImpl(SpectrogramNetOptions options);

  SpectrogramNetOptions options_;  ///< the validated options
};

/// The original SpectrogramNetSimple: the U-Net with a SELU ConvBlockTriple(16h → 32h)
/// bottleneck (key `bottleneck`).
class SpectrogramNetSimpleImpl : public SpectrogramUNetImpl {
 public:
  /// The net for `options` (auralflow::Error for bad options).
  explicit SpectrogramNetSimpleImpl(SpectrogramNetOptions options);
  /// spec (B, C, F, T) → mask (B, K, C, F, T)
  torch::Tensor forward(const torch::Tensor& spec);

  ConvBlockTriple bottleneck{nullptr};  ///< SELU, 16h → 32h
};
TORCH_MODULE(SpectrogramNetSimple);

/// The U-Net with the recurrent bottleneck shared by LSTM and VAE: the code is read as a
/// sequence (B, L, features), run through a bidirectional LSTM (key `lstm`) and the linears
/// Linear(2H, H) → SELU → Linear(H, 2·features) → SELU (key `linear`), and reshaped into the
/// decoder's (B, 32h, F/32, T'/32) latent.
class SpectrogramRecurrentUNetImpl : public SpectrogramUNetImpl {
 public:
  /// code (B, 16h, F5, T5) → (B, T5, 16h·F5) for input_axis 0, (B, F5, 16h·T5) for 1.
  torch::Tensor to_sequence(const torch::Tensor& code) const;
  /// sequence (B, L, features) → LSTM → linears → latent (B, 32h, F5, T5), shaped like
  /// `code` with twice the channels.
  torch::Tensor to_latent(const torch::Tensor& sequence, const torch::Tensor& code);

  /// LSTM input size: 16h·(F/32) for input_axis 0, 16h·(num_frames/32) for 1.
  int64_t num_features() const { return num_features_; }

  torch::nn::LSTM lstm{nullptr};          ///< bidirectional, num_features → H per direction
  torch::nn::Sequential linear{nullptr};  ///< Linear(2H, H) → SELU → Linear(H, 2·features) → SELU

 protected:
  /// Builds the U-Net and the recurrent bottleneck (auralflow::Error for bad options).
  explicit SpectrogramRecurrentUNetImpl(SpectrogramNetOptions options);

  int64_t num_features_;  ///< see num_features()
};

/// The original SpectrogramNetLSTM (with batch_first fixed, see lstm_batch_first).
class SpectrogramNetLSTMImpl : public SpectrogramRecurrentUNetImpl {
 public:
  /// The net for `options` (auralflow::Error for bad options).
  explicit SpectrogramNetLSTMImpl(SpectrogramNetOptions options);
  /// spec (B, C, F, T) → mask (B, K, C, F, T)
  torch::Tensor forward(const torch::Tensor& spec);
};
TORCH_MODULE(SpectrogramNetLSTM);

/// Output of SpectrogramNetVAE: the mask and the latent Gaussian for the KL term.
struct SpectrogramNetVAEOutput {
  torch::Tensor mask;   ///< (B, K, C, F, T)
  torch::Tensor mu;     ///< (B, L, features), as SpectrogramRecurrentUNet::to_sequence
  torch::Tensor sigma;  ///< (B, L, features), exp(log_sigma(·)) > 0
};

/// The original SpectrogramNetVAE: mu = Linear(features, features) and
/// sigma = exp(Linear(features, features)) of the sequence (keys `mu`, `log_sigma`), then
/// z = mu + sigma·eps goes through the LSTM bottleneck. In training eps ~ N(0, 1) (from the
/// global torch generator, so torch::manual_seed makes it repeatable); in eval mode z = mu.
class SpectrogramNetVAEImpl : public SpectrogramRecurrentUNetImpl {
 public:
  /// The net for `options` (auralflow::Error for bad options).
  explicit SpectrogramNetVAEImpl(SpectrogramNetOptions options);
  /// spec (B, C, F, T) → {mask, mu, sigma}
  SpectrogramNetVAEOutput forward(const torch::Tensor& spec);
  /// As forward, but with the given noise in either mode: z = mu + sigma·eps, eps shaped as mu.
  SpectrogramNetVAEOutput forward_with_noise(const torch::Tensor& spec, const torch::Tensor& eps);

  torch::nn::Linear mu{nullptr};         ///< Linear(features, features): the latent mean
  torch::nn::Linear log_sigma{nullptr};  ///< Linear(features, features): log of the latent std

 private:
  /// eps undefined: sample in training, z = mu in eval.
  SpectrogramNetVAEOutput run(const torch::Tensor& spec, const torch::Tensor& eps);
};
TORCH_MODULE(SpectrogramNetVAE);

}  // namespace auralflow::models
