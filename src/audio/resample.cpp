// Sample-rate conversion with libsoxr (one shot, high quality, split channels).
#include <soxr.h>

#include <cmath>
#include <string>
#include <vector>

#include "auralflow/audio.hpp"
#include "auralflow/error.hpp"

namespace auralflow::audio {

torch::Tensor resample(const torch::Tensor& audio, int from_rate, int to_rate) {
  if (audio.dim() != 2) {
    throw Error("resample: expected audio shaped (channels, samples), got " +
                std::to_string(audio.dim()) + " dimensions");
  }
  if (from_rate <= 0 || to_rate <= 0) {
    throw Error("resample: sample rates must be positive, got " + std::to_string(from_rate) +
                " -> " + std::to_string(to_rate));
  }
  const torch::Tensor input = audio.to(torch::kCPU, torch::kFloat).contiguous();  // (C, N)
  if (from_rate == to_rate) return input.to(audio.device());
  const int64_t channels = input.size(0);
  const int64_t frames = input.size(1);
  const auto out_frames =
      static_cast<int64_t>(std::llround(static_cast<double>(frames) * to_rate / from_rate));
  torch::Tensor output = torch::empty({channels, out_frames});  // (C, N * to / from)
  if (channels == 0 || out_frames == 0) return output.to(audio.device());

  std::vector<const float*> in_planes(channels);
  std::vector<float*> out_planes(channels);
  for (int64_t c = 0; c < channels; ++c) {
    in_planes[c] = input[c].data_ptr<float>();
    out_planes[c] = output[c].data_ptr<float>();
  }
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  size_t done = 0;
  const soxr_error_t error =
      soxr_oneshot(from_rate, to_rate, static_cast<unsigned>(channels), in_planes.data(), frames,
                   nullptr, out_planes.data(), out_frames, &done, &io, &quality, nullptr);
  if (error != nullptr) throw Error(std::string("resample: libsoxr failed: ") + error);
  // One-shot conversion fills all of `output`; the narrow only guarantees that no
  // unwritten sample is ever returned.
  return output.narrow(1, 0, static_cast<int64_t>(done)).to(audio.device());
}

}  // namespace auralflow::audio
