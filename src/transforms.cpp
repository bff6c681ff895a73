#include "auralflow/transforms.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "auralflow/config.hpp"
#include "auralflow/error.hpp"

namespace auralflow {
namespace {

double hz_to_mel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }

// Triangular HTK mel filters, (bins, num_mels), computed in float32 in the same
// order as torchaudio's melscale_fbanks(norm=None, mel_scale="htk").
torch::Tensor make_mel_filterbank(int64_t num_bins, int64_t sample_rate, const MelOptions& mel) {
  const auto bin_freqs = torch::linspace(0, static_cast<double>(sample_rate / 2), num_bins);
  const auto mel_points =
      torch::linspace(hz_to_mel(mel.f_min), hz_to_mel(mel.f_max), mel.num_mels + 2);
  const auto hz_points = 700.0 * (torch::pow(10.0, mel_points / 2595.0) - 1.0);  // (mels + 2)
  const auto hz_steps = hz_points.slice(0, 1) - hz_points.slice(0, 0, -1);       // (mels + 1)
  const auto slopes = hz_points.unsqueeze(0) - bin_freqs.unsqueeze(1);           // (bins, mels+2)
  const auto down = -slopes.slice(1, 0, -2) / hz_steps.slice(0, 0, -1);
  const auto up = slopes.slice(1, 2) / hz_steps.slice(0, 1);
  return torch::clamp_min(torch::minimum(down, up), 0.0);
}

// Runs `op` on (..., samples) audio flattened to (rows, samples) and restores the leading dims.
template <typename Op>
torch::Tensor over_rows(const torch::Tensor& input, int64_t inner_dims, Op op) {
  const auto sizes = input.sizes();
  const std::vector<int64_t> leading(sizes.begin(), sizes.end() - inner_dims);
  std::vector<int64_t> flat{-1};
  flat.insert(flat.end(), sizes.end() - inner_dims, sizes.end());
  torch::Tensor result = op(input.reshape(flat));
  std::vector<int64_t> restored = leading;
  restored.insert(restored.end(), result.sizes().begin() + 1, result.sizes().end());
  return result.reshape(restored);
}

}  // namespace

AudioTransform::AudioTransform(int64_t num_fft, int64_t hop_length, int64_t window_size,
                               int64_t sample_rate, MelOptions mel)
    : num_fft_(num_fft),
      hop_length_(hop_length),
      window_size_(window_size),
      sample_rate_(sample_rate),
      mel_(mel) {
  if (num_fft <= 0 || hop_length <= 0 || window_size <= 0 || window_size > num_fft)
    throw Error("invalid STFT settings: num_fft " + std::to_string(num_fft) + ", hop_length " +
                std::to_string(hop_length) + ", window_size " + std::to_string(window_size) +
                " (need positive values and window_size <= num_fft)");
  if (sample_rate <= 0) throw Error("invalid sample rate " + std::to_string(sample_rate));
  window_ = torch::hann_window(window_size, torch::TensorOptions().dtype(torch::kFloat32));
  mel_filterbank_ = make_mel_filterbank(num_bins(), sample_rate, mel_);
}

int64_t AudioTransform::num_frames(int64_t num_samples) const {
  return num_samples / hop_length_ + 2;
}

torch::Tensor AudioTransform::window_on(const torch::Device& device) const {
  return window_.device() == device ? window_ : window_.to(device);
}

torch::Tensor AudioTransform::pad_audio(const torch::Tensor& audio) const {
  const int64_t extra = hop_length_ - audio.size(-1) % hop_length_;
  return torch::constant_pad_nd(audio, {0, extra});
}

torch::Tensor AudioTransform::to_spectrogram(const torch::Tensor& audio) const {
  const auto window = window_on(audio.device()).to(audio.scalar_type());
  return over_rows(pad_audio(audio), 1, [&](const torch::Tensor& rows) {
    return torch::stft(rows, num_fft_, hop_length_, window_size_, window, /*center=*/true,
                       /*pad_mode=*/"reflect", /*normalized=*/false, /*onesided=*/true,
                       /*return_complex=*/true);
  });
}

torch::Tensor AudioTransform::to_audio(const torch::Tensor& spectrogram,
                                       std::optional<int64_t> length) const {
  const auto window =
      window_on(spectrogram.device()).to(c10::toRealValueType(spectrogram.scalar_type()));
  const c10::optional<int64_t> output_length =
      length ? c10::optional<int64_t>(*length) : c10::nullopt;
  return over_rows(spectrogram, 2, [&](const torch::Tensor& rows) {
    return torch::istft(rows, num_fft_, hop_length_, window_size_, window, /*center=*/true,
                        /*normalized=*/false, /*onesided=*/true, output_length);
  });
}

torch::Tensor AudioTransform::mel_filterbank(const torch::Device& device) const {
  return mel_filterbank_.to(device);
}

torch::Tensor AudioTransform::to_mel_scale(const torch::Tensor& magnitude, bool to_db) const {
  const auto filterbank = mel_filterbank(magnitude.device()).to(magnitude.scalar_type());
  // (..., bins, frames) -> (..., frames, bins) @ (bins, mels) -> (..., mels, frames)
  auto mel = torch::matmul(magnitude.transpose(-1, -2), filterbank).transpose(-1, -2);
  return to_db ? to_decibel(mel) : mel;
}

torch::Tensor AudioTransform::to_decibel(const torch::Tensor& magnitude) {
  auto db = 20.0 * torch::log10(torch::clamp_min(magnitude / magnitude.max(), 1e-5));
  return torch::maximum(db, db.max() - 80.0);
}

torch::Tensor AudioTransform::audio_to_mel(const torch::Tensor& audio) const {
  return to_mel_scale(torch::abs(to_spectrogram(audio)), /*to_db=*/true);
}

std::vector<torch::Tensor> trim_audio(const std::vector<torch::Tensor>& audio) {
  if (audio.empty()) return {};
  int64_t shortest = audio.front().size(-1);
  for (const auto& tensor : audio) shortest = std::min(shortest, tensor.size(-1));
  std::vector<torch::Tensor> trimmed;
  trimmed.reserve(audio.size());
  for (const auto& tensor : audio) trimmed.push_back(tensor.narrow(-1, 0, shortest));
  return trimmed;
}

AudioTransform transform_of(const Config& config) {
  return AudioTransform(config.get_int("num_fft"), config.get_int("hop_length"),
                        config.get_int("window_size"), config.get_int("sample_rate"));
}

}  // namespace auralflow
