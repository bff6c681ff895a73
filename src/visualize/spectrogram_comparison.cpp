// spectrogram_comparison(): mixture, estimate and target mel spectrograms on one dB scale.
#include <torch/torch.h>

#include "auralflow/error.hpp"
#include "auralflow/visualize.hpp"
#include "visualize/mono.hpp"

namespace auralflow::visualize {

Image spectrogram_comparison(const torch::Tensor& mixture, const torch::Tensor& estimate,
                             const torch::Tensor& target, const AudioTransform& transform,
                             const SpectrogramComparisonOptions& options) {
  if (options.panel_height <= 0 || options.width <= 0 || options.gap < 0) {
    throw Error("spectrogram_comparison: panel_height and width must be positive, gap >= 0");
  }
  const auto signals = detail::mono_signals({mixture, estimate, target}, "spectrogram_comparison");
  if (signals[0].size(0) < transform.num_fft()) {
    throw Error(
        "spectrogram_comparison: needs at least num_fft = " + std::to_string(transform.num_fft()) +
        " samples, got " + std::to_string(signals[0].size(0)));
  }
  // (3, N) -> (3, mels, frames) in dB, 0 dB at the loudest bin of all three. All-silent
  // input gives 0/0 = NaN there, drawn as the floor like any silence.
  const auto db = transform.audio_to_mel(torch::stack(signals));
  const auto level = torch::nan_to_num((db + 80.0) / 80.0, 0.0).clamp(0.0, 1.0).contiguous();
  const auto levels = level.accessor<float, 3>();
  const int64_t mels = level.size(1);
  const int64_t frames = level.size(2);

  Image image(3 * options.panel_height + 2 * options.gap, options.width);
  for (int64_t panel = 0; panel < 3; ++panel) {
    const int64_t top = panel * (options.panel_height + options.gap);
    for (int64_t row = 0; row < options.panel_height; ++row) {
      const int64_t mel = (options.panel_height - 1 - row) * mels / options.panel_height;
      for (int64_t x = 0; x < options.width; ++x) {
        const int64_t frame = x * frames / options.width;
        image.set(top + row, x, viridis(levels[panel][mel][frame]));
      }
    }
  }
  return image;
}

}  // namespace auralflow::visualize
