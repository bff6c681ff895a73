#pragma once
/// @file
/// Waveform-domain separators, the SpectrogramNet ideas on raw audio (in the spirit of
/// Wave-U-Net / Demucs v1-v2):
/// @verbatim
///   AudioNetSimple      a 1-D convolutional encoder/decoder with additive skips,
///   AudioNetSimpleLSTM  the same with a bidirectional LSTM over time at the bottleneck,
///   AudioNetVAE         the LSTM net with a Gaussian latent (mu, sigma) before the LSTM.
/// @endverbatim
/// They take audio (batch, channels, samples) and return the target waveforms directly,
/// (batch, targets, channels, samples); the targets dim is always there, also for one target.
///
/// Architecture (h = hidden_channels, D = depth, K = kernel_size, S = stride, C = channels):
/// @verbatim
///   input norm   per batch item: x ← (x − mean) / (std + 1e-5) over (channels, samples); the
///                estimates are mapped back with · std + mean (as Demucs). No parameters.
///   padding      zeros, split evenly left/right, up to valid_length(samples); cropped at the end.
///   encoder_k    (k = 1..D) Conv1d(in, h·2^(k−1), K, stride S) → ReLU → Conv1d(·, 2·, 1) → GLU;
///                in = C for k = 1. Its output is skip_k.
///   bottleneck   Simple: none. LSTM: BiLSTM(h·2^(D−1) → hidden_size, recurrent_depth layers,
///                batch_first, over the encoded time steps) → Linear(2·hidden_size, h·2^(D−1)).
///                VAE: mu = Linear, sigma = exp(Linear) per time step, z = mu + sigma·eps
///                (z = mu in eval mode), then the LSTM bottleneck on z.
///   decoder_k    (k = 1..D, mirrors encoder_{D+1−k}) x ← x + skip_{D+1−k}, then
///                Conv1d(in, 2·in, 1) → GLU → ConvTranspose1d(in, out, K, stride S), and for
///                k < D ReLU → Dropout2d(dropout_p) (whole channels, training only). The last one
///                has out = targets·C and is the estimate.
/// @endverbatim
///
/// Length rule. Encoder level k maps L to (L − K)/S + 1 samples and the decoder maps L back to
/// (L − 1)·S + K, so the skips line up only when every division is exact. The valid lengths are
/// `m = S^D·n + (K − S)·(S^D − 1)/(S − 1)`, n ≥ 1 encoded time steps,
/// i.e. one every S^D samples (with S = 1 every length), the smallest (n = 1) being
/// receptive_field(): the span of input samples one encoded time step sees,
/// 1 + (K − 1)·(S^D − 1)/(S − 1) (S = 1: 1 + D·(K − 1)). Any input length N works:
/// the input is zero-padded to valid_length(N), the smallest valid m ≥ N, and the output is cropped
/// back to N. Defaults (K 8, S 4, D 5): m = 1024·n + 1364, receptive field 2388 samples (54 ms at
/// 44.1 kHz); a 3 s chunk (132300 samples) is padded by 136 to 132436.
///
/// Default sizes: hidden_channels 32, depth 5, kernel 8, stride 4 as the config templates
/// (wave_*); the bottleneck has 512 channels. The LSTM is Demucs-sized, 2 layers of
/// hidden_size 512 (= the bottleneck width), instead of the spectrogram nets' 3 × 1024: the
/// waveform bottleneck has 512 features per step, not 4096, and 3 × 1024 would put ~63 M of the
/// net's weights in the LSTM. Parameters at the defaults, stereo, one target:
/// AudioNetSimple 4.19 M, AudioNetSimpleLSTM 15.2 M, AudioNetVAE 15.7 M (tests check them).
///
/// Errors: bad options and wrongly shaped input throw auralflow::Error naming the problem.
#include <torch/arg.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <vector>

namespace auralflow::models {

/// Settings of the AudioNet family; the recurrent ones only matter for LSTM/VAE.
/// Example: AudioNetSimple(AudioNetOptions(2).num_targets(4).hidden_channels(16).depth(4)).
struct AudioNetOptions {
  /// Options for `num_channels` channels, every other option at its default.
  explicit AudioNetOptions(int64_t num_channels) : num_channels_(num_channels) {}

  /// Audio channels C: 1 mono, 2 stereo.
  TORCH_ARG(int64_t, num_channels);
  /// Number of estimated target waveforms.
  TORCH_ARG(int64_t, num_targets) = 1;
  /// Channels h of the first encoder level; level k has h·2^(k−1).
  TORCH_ARG(int64_t, hidden_channels) = 32;
  /// Encoder (and decoder) levels D, 1..10.
  TORCH_ARG(int64_t, depth) = 5;
  /// Kernel K of the strided (transposed) convolutions; at least the stride.
  TORCH_ARG(int64_t, kernel_size) = 8;
  /// Down/up-sampling factor S of each level, 1..16.
  TORCH_ARG(int64_t, stride) = 4;
  /// Channel dropout after every decoder level but the last (training only), in [0, 1).
  TORCH_ARG(double, dropout_p) = 0.4;
  /// Per-item standardisation of the input, undone on the estimates.
  TORCH_ARG(bool, normalize_input) = true;
  /// LSTM/VAE: stacked bidirectional LSTM layers.
  TORCH_ARG(int64_t, recurrent_depth) = 2;
  /// LSTM/VAE: LSTM hidden size per direction.
  TORCH_ARG(int64_t, hidden_size) = 512;
};

/// Encoder level: Conv1d(in, out, K, stride S) → ReLU → Conv1d(out, 2·out, 1) → GLU.
/// Keys: `conv.*`, `rewrite.*`.
class WaveEncoderLevelImpl : public torch::nn::Module {
 public:
  /// A level from `in_channels` to `out_channels` with kernel K = `kernel_size` and stride S.
  WaveEncoderLevelImpl(int64_t in_channels, int64_t out_channels, int64_t kernel_size,
                       int64_t stride);
  /// (B, in, L) → (B, out, (L − K)/S + 1)
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Conv1d conv{nullptr};     ///< the strided Conv1d(in, out, K, S)
  torch::nn::Conv1d rewrite{nullptr};  ///< the 1×1 Conv1d(out, 2·out) before the GLU
};
TORCH_MODULE(WaveEncoderLevel);

/// Decoder level: Conv1d(in, 2·in, 1) → GLU → ConvTranspose1d(in, out, K, stride S), then,
/// unless `last`, ReLU → Dropout2d(dropout_p) over whole channels.
/// Keys: `rewrite.*`, `conv.*` (`dropout` has no parameters and is absent when `last`).
class WaveDecoderLevelImpl : public torch::nn::Module {
 public:
  /// A level from `in_channels` to `out_channels` with kernel K = `kernel_size` and stride S;
  /// `last`: no ReLU and no dropout (the level that outputs the estimates).
  WaveDecoderLevelImpl(int64_t in_channels, int64_t out_channels, int64_t kernel_size,
                       int64_t stride, double dropout_p, bool last);
  /// (B, in, L) → (B, out, (L − 1)·S + K)
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Conv1d rewrite{nullptr};        ///< the 1×1 Conv1d(in, 2·in) before the GLU
  torch::nn::ConvTranspose1d conv{nullptr};  ///< ConvTranspose1d(in, out, K, S)
  torch::nn::Dropout2d dropout{nullptr};     ///< empty for the last level
};
TORCH_MODULE(WaveDecoderLevel);

/// What the encoder hands to the bottleneck and the decoder.
struct AudioNetEncoding {
  /// Output of the last encoder level: (B, h·2^(D−1), L_D).
  torch::Tensor code;
  /// skip_k = output of encoder_k, (B, h·2^(k−1), L_k), k = 1..D (index k − 1).
  std::vector<torch::Tensor> skips;
  /// Per-item statistics of the input, (B, 1, 1); undefined without normalize_input.
  torch::Tensor mean;
  torch::Tensor std;  ///< (B, 1, 1), with mean
  /// Input length N and the zeros added on the left (the output is cropped to [left, left + N)).
  int64_t num_samples = 0;
  int64_t pad_left = 0;  ///< zeros added on the left
};

/// The encoder/decoder shared by the three nets: encoder_1..encoder_D, decoder_1..decoder_D.
/// Subclasses add the bottleneck.
class AudioUNetImpl : public torch::nn::Module {
 public:
  /// Checks the shape, normalises, pads to valid_length and encodes. audio: (B, C, N).
  AudioNetEncoding encode(const torch::Tensor& audio);
  /// Decoder with skips, crop to N, de-normalisation.
  /// latent (B, h·2^(D−1), L_D) → estimates (B, targets, C, N)
  torch::Tensor decode(const torch::Tensor& latent, const AudioNetEncoding& encoding);

  /// The smallest length ≥ num_samples (≥ 1) the layers map exactly (see the header comment).
  int64_t valid_length(int64_t num_samples) const;
  /// Input samples seen by one encoded time step: 1 + (K − 1)·(S^D − 1)/(S − 1), which is
  /// also valid_length(1).
  int64_t receptive_field() const;

  const AudioNetOptions& options() const { return options_; }  ///< the options it was built with

  std::vector<WaveEncoderLevel> encoder;  ///< encoder_1..encoder_D
  std::vector<WaveDecoderLevel> decoder;  ///< decoder_1..decoder_D (decoder_1 is the deepest)

 protected:
  /// Validates the options (auralflow::Error naming the bad one) and builds the levels.
  explicit AudioUNetImpl(AudioNetOptions options);

  AudioNetOptions options_;  ///< the validated options
};

/// The plain encoder/decoder: the code goes straight to the decoder.
class AudioNetSimpleImpl : public AudioUNetImpl {
 public:
  /// The net for `options` (auralflow::Error for bad options).
  explicit AudioNetSimpleImpl(AudioNetOptions options);
  /// audio (B, C, N) → estimates (B, targets, C, N)
  torch::Tensor forward(const torch::Tensor& audio);
};
TORCH_MODULE(AudioNetSimple);

/// The encoder/decoder with the recurrent bottleneck shared by LSTM and VAE: a bidirectional
/// LSTM over the encoded time steps (key `lstm`) and Linear(2·hidden_size, h·2^(D−1))
/// (key `linear`).
class AudioRecurrentUNetImpl : public AudioUNetImpl {
 public:
  /// code (B, features, L) → sequence (B, L, features), features = h·2^(D−1).
  static torch::Tensor to_sequence(const torch::Tensor& code);
  /// sequence (B, L, features) → LSTM → linear → latent (B, features, L).
  torch::Tensor to_latent(const torch::Tensor& sequence);

  /// Bottleneck width h·2^(D−1), the LSTM input size.
  int64_t num_features() const;

  torch::nn::LSTM lstm{nullptr};      ///< the bidirectional LSTM, key `lstm`
  torch::nn::Linear linear{nullptr};  ///< Linear(2·hidden_size, features), key `linear`

 protected:
  /// Builds the encoder/decoder and the recurrent bottleneck (auralflow::Error for bad options).
  explicit AudioRecurrentUNetImpl(AudioNetOptions options);
};

/// The encoder/decoder with a BiLSTM bottleneck.
class AudioNetSimpleLSTMImpl : public AudioRecurrentUNetImpl {
 public:
  /// The net for `options` (auralflow::Error for bad options).
  explicit AudioNetSimpleLSTMImpl(AudioNetOptions options);
  /// audio (B, C, N) → estimates (B, targets, C, N)
  torch::Tensor forward(const torch::Tensor& audio);
};
TORCH_MODULE(AudioNetSimpleLSTM);

/// Output of AudioNetVAE: the estimates and the latent Gaussian for the KL term
/// (auralflow::kl_div_loss(mu, sigma)).
struct AudioNetVAEOutput {
  torch::Tensor estimate;  ///< (B, targets, C, N)
  torch::Tensor mu;        ///< (B, L_D, features), as AudioRecurrentUNet::to_sequence
  torch::Tensor sigma;     ///< (B, L_D, features), exp(log_sigma(·)) > 0
};

/// mu = Linear(features, features) and sigma = exp(Linear(features, features)) of the encoded
/// sequence (keys `mu`, `log_sigma`), then z = mu + sigma·eps goes through the LSTM bottleneck.
/// In training eps ~ N(0, 1) from the global torch generator (torch::manual_seed makes it
/// repeatable); in eval mode z = mu. Same API as SpectrogramNetVAE.
class AudioNetVAEImpl : public AudioRecurrentUNetImpl {
 public:
  /// The net for `options` (auralflow::Error for bad options).
  explicit AudioNetVAEImpl(AudioNetOptions options);
  /// audio (B, C, N) → {estimate, mu, sigma}
  AudioNetVAEOutput forward(const torch::Tensor& audio);
  /// As forward, but with the given noise in either mode: z = mu + sigma·eps, eps shaped as mu.
  AudioNetVAEOutput forward_with_noise(const torch::Tensor& audio, const torch::Tensor& eps);

  torch::nn::Linear mu{nullptr};         ///< Linear(features, features): the latent mean
  torch::nn::Linear log_sigma{nullptr};  ///< Linear(features, features): log of the latent std

 private:
  /// eps undefined: sample in training, z = mu in eval.
  AudioNetVAEOutput run(const torch::Tensor& audio, const torch::Tensor& eps);
};
TORCH_MODULE(AudioNetVAE);

}  // namespace auralflow::models
