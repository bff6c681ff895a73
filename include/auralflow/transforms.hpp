#pragma once
// Time-frequency transforms shared by the models, the trainer and the visualiser.
// Shapes: audio (..., samples); complex spectrograms (..., bins, frames) with
// bins = num_fft / 2 + 1. Leading dims are usually (batch, channels).
// All operations stay on the input's device; the window and mel filterbank are
// moved (and cached) there, with no hidden host copies.
#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace auralflow {

/// Mel filterbank settings (HTK mel scale, no area normalisation).
struct MelOptions {
  int64_t num_mels = 64;
  double f_min = 1.0;
  double f_max = 16384.0;
};

class Config;

class AudioTransform {
 public:
  /// window_size <= num_fft; a shorter periodic Hann window is zero-padded
  /// symmetrically to num_fft (as torch.stft does).
  AudioTransform(int64_t num_fft = 1024, int64_t hop_length = 512, int64_t window_size = 1024,
                 int64_t sample_rate = 44100, MelOptions mel = {});

  int64_t num_fft() const { return num_fft_; }
  int64_t hop_length() const { return hop_length_; }
  int64_t window_size() const { return window_size_; }
  int64_t sample_rate() const { return sample_rate_; }
  int64_t num_bins() const { return num_fft_ / 2 + 1; }
  /// Frames that to_spectrogram gives for `num_samples` samples: floor(n / hop) + 2.
  int64_t num_frames(int64_t num_samples) const;

  /// (..., samples) -> (..., samples + hop - samples % hop). Like the original,
  /// a length that is already a multiple of the hop still gets one whole hop.
  torch::Tensor pad_audio(const torch::Tensor& audio) const;

  /// (..., samples) float -> (..., bins, frames) complex. Pads with pad_audio,
  /// then a centred STFT (reflect padding), periodic Hann, onesided, not normalised.
  torch::Tensor to_spectrogram(const torch::Tensor& audio) const;

  /// (..., bins, frames) complex -> (..., samples). Without `length` the output has
  /// (frames - 1) * hop samples (the padded length); with it, exactly `length`.
  torch::Tensor to_audio(const torch::Tensor& spectrogram,
                         std::optional<int64_t> length = std::nullopt) const;

  /// The mel filterbank, (bins, num_mels), on `device`.
  torch::Tensor mel_filterbank(const torch::Device& device = torch::kCPU) const;

  /// (..., bins, frames) magnitude -> (..., num_mels, frames); optionally in dB (to_decibel).
  torch::Tensor to_mel_scale(const torch::Tensor& magnitude, bool to_db = true) const;

  /// (...,) -> (...,) in dB relative to the maximum of the whole tensor:
  /// 20·log10(max(x / max(x), 1e-5)), floored at 80 dB below the maximum.
  static torch::Tensor to_decibel(const torch::Tensor& magnitude);

  /// (..., samples) -> (..., num_mels, frames) in dB: |STFT| on the mel scale.
  torch::Tensor audio_to_mel(const torch::Tensor& audio) const;

 private:
  torch::Tensor window_on(const torch::Device& device) const;

  int64_t num_fft_;
  int64_t hop_length_;
  int64_t window_size_;
  int64_t sample_rate_;
  MelOptions mel_;
  torch::Tensor window_;          // (window_size,) periodic Hann, CPU
  torch::Tensor mel_filterbank_;  // (bins, num_mels), CPU
};

/// Cuts every tensor to the shortest length along the last dim (samples), so
/// estimates and references can be compared sample by sample.
std::vector<torch::Tensor> trim_audio(const std::vector<torch::Tensor>& audio);

/// The STFT of a model's config: its num_fft, hop_length, window_size and sample_rate (the
/// mel scale of images and TensorBoard figures depends on the rate).
AudioTransform transform_of(const Config& config);

}  // namespace auralflow
