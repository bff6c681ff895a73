#pragma once
/// @file
/// HybridNet: a spectrogram branch and a waveform branch whose estimates are blended by a
/// learnt weight per target and channel, trainable end to end.
///
/// @verbatim
///   audio (B, C, N) ──STFT──▶ X (B, C, F, T) ──|·|──▶ SpectrogramNet* ──▶ mask (B, K, C, F, T)
///         │                                  mask·X (mixture phase) ──iSTFT──▶ s (B, K, C, N)
///         └──────────────▶ AudioNet* ──────────────────────────────────────▶ w (B, K, C, N)
///   estimate = sigmoid(blend)·s + (1 − sigmoid(blend))·w,  blend (K, C), initialised to 0 (½, ½).
/// @endverbatim
///
/// The branches are any of SpectrogramNetSimple/LSTM/VAE and AudioNetSimple/SimpleLSTM/VAE,
/// registered as `spectrogram` and `waveform` (so their keys are `spectrogram.*`, `waveform.*`,
/// and `blend`). They are built from HybridNetOptions, or passed in already built (e.g. trained
/// on their own); the hybrid then shares, not copies, their weights. Any input length works
/// (both branches handle any length; the iSTFT is cropped to N).
///
/// Default sizes (HybridNetOptions(C)): the spectrogram branch is SpectrogramNetLSTM with the
/// spectrogram defaults (hidden_channels 16, 3 LSTM layers) but hidden_size 512 instead of 1024,
/// and the waveform branch AudioNetSimpleLSTM at its defaults. That is 60.9 M parameters in
/// stereo (45.7 M + 15.2 M), the scale of the original's ~65 M; with hidden_size 1024 the
/// spectrogram branch alone would be 112 M.
#include "auralflow/models/audio_net.hpp"
#include "auralflow/models/spectrogram_net.hpp"
#include "auralflow/transforms.hpp"

#include <torch/arg.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <string>
#include <variant>

namespace auralflow::models {

/// Settings of a HybridNet built from scratch. The two branch options must agree on the
/// channels and targets, and spectrogram().num_bins() must be num_fft / 2 + 1.
/// Example: HybridNetOptions(2, 4).spectrogram_net("SpectrogramNetSimple") then
/// options.waveform().hidden_channels(16).
struct HybridNetOptions {
  /// Both branches at their (hybrid) defaults for C channels and K targets.
  explicit HybridNetOptions(int64_t num_channels, int64_t num_targets = 1);

  /// SpectrogramNetSimple, SpectrogramNetLSTM or SpectrogramNetVAE.
  TORCH_ARG(std::string, spectrogram_net) = "SpectrogramNetLSTM";
  /// Options of the spectrogram branch.
  TORCH_ARG(SpectrogramNetOptions, spectrogram);
  /// AudioNetSimple, AudioNetSimpleLSTM or AudioNetVAE.
  TORCH_ARG(std::string, audio_net) = "AudioNetSimpleLSTM";
  /// Options of the waveform branch.
  TORCH_ARG(AudioNetOptions, waveform);
  /// STFT of the spectrogram branch (see AudioTransform).
  TORCH_ARG(int64_t, num_fft) = 1024;
  /// Hop of that STFT, in samples.
  TORCH_ARG(int64_t, hop_length) = 512;
  /// Window length of that STFT, in samples (≤ num_fft).
  TORCH_ARG(int64_t, window_size) = 1024;
};

/// The spectrogram branch: one of the three SpectrogramNet modules.
using SpectrogramBranch = std::variant<SpectrogramNetSimple, SpectrogramNetLSTM, SpectrogramNetVAE>;
/// The waveform branch: one of the three AudioNet modules.
using WaveformBranch = std::variant<AudioNetSimple, AudioNetSimpleLSTM, AudioNetVAE>;

/// The names a HybridNet spectrogram branch can have (SpectrogramNetSimple/LSTM/VAE).
const std::vector<std::string>& spectrogram_branch_types();
/// The names a HybridNet waveform branch can have (AudioNetSimple/SimpleLSTM/VAE).
const std::vector<std::string>& waveform_branch_types();

/// A fresh branch of type `name` (one of spectrogram_branch_types()); auralflow::Error listing
/// the allowed names otherwise.
SpectrogramBranch make_spectrogram_branch(const std::string& name,
                                          const SpectrogramNetOptions& options);
/// A fresh branch of type `name` (one of waveform_branch_types()); auralflow::Error otherwise.
WaveformBranch make_waveform_branch(const std::string& name, const AudioNetOptions& options);

/// Output of HybridNet: the blend, both branch estimates, and the latents of VAE branches.
struct HybridNetOutput {
  torch::Tensor estimate;              ///< (B, K, C, N), the blend
  torch::Tensor spectrogram_estimate;  ///< (B, K, C, N), iSTFT(mask · X)
  torch::Tensor waveform_estimate;     ///< (B, K, C, N)
  torch::Tensor mask;                  ///< (B, K, C, F, T), the spectrogram branch's mask
  /// The spectrogram branch's latent mean and standard deviation; defined only when that
  /// branch is a VAE (shapes as its own output).
  torch::Tensor spectrogram_mu;
  torch::Tensor spectrogram_sigma;  ///< see spectrogram_mu
  /// The waveform branch's latent mean and standard deviation; defined only when that branch
  /// is a VAE (shapes as its own output).
  torch::Tensor waveform_mu;
  torch::Tensor waveform_sigma;  ///< see waveform_mu
};

/// HybridNet: a spectrogram branch (a mask on the mixture's STFT) and a waveform branch run on
/// the same audio, blended per target and channel by a learnt weight: estimate =
/// w·spectrogram_estimate + (1 − w)·waveform_estimate, w = sigmoid(blend).
class HybridNetImpl : public torch::nn::Module {
 public:
  /// Builds both branches from the options (auralflow::Error for bad or inconsistent ones).
  explicit HybridNetImpl(const HybridNetOptions& options);
  /// Uses two already-built branches (weights shared) and the STFT of the spectrogram branch.
  /// They must agree on channels and targets, and the spectrogram net's num_bins must be
  /// transform.num_bins().
  HybridNetImpl(SpectrogramBranch spectrogram, WaveformBranch waveform,
                AudioTransform transform = AudioTransform());

  /// audio (B, C, N) → estimates (B, K, C, N) and the parts above.
  HybridNetOutput forward(const torch::Tensor& audio);

  int64_t num_channels() const { return blend.size(1); }  ///< C, audio channels
  int64_t num_targets() const { return blend.size(0); }   ///< K, estimated targets
  /// The STFT of the spectrogram branch.
  const AudioTransform& transform() const { return transform_; }

  SpectrogramBranch spectrogram;  ///< key `spectrogram`
  WaveformBranch waveform;        ///< key `waveform`
  /// (K, C) logits of the spectrogram branch's share.
  torch::Tensor blend;

 private:
  AudioTransform transform_;
};
TORCH_MODULE(HybridNet);

}  // namespace auralflow::models
