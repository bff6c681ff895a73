// waveform_comparison(): estimate and target overlaid, min..max of the samples per column.
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "auralflow/error.hpp"
#include "auralflow/visualize.hpp"
#include "visualize/mono.hpp"

namespace auralflow::visualize {
namespace {

constexpr uint8_t kTarget = 1;
constexpr uint8_t kEstimate = 2;

// Amplitude -> row: +1 is row 0, -1 the last row.
int64_t row_of(float value, int64_t height) {
  const double clamped = std::clamp(static_cast<double>(value), -1.0, 1.0);
  return std::lround((1.0 - clamped) / 2.0 * static_cast<double>(height - 1));
}

// Marks `bit` in `coverage` (height, width) over each column's min..max rows.
void cover(const torch::Tensor& signal, uint8_t bit, int64_t height, int64_t width,
           std::vector<uint8_t>& coverage) {
  const float* samples = signal.data_ptr<float>();
  const int64_t count = signal.size(0);
  for (int64_t x = 0; x < width; ++x) {
    const int64_t begin = x * count / width;
    const int64_t end = std::max(begin + 1, (x + 1) * count / width);
    const auto [low, high] = std::minmax_element(samples + begin, samples + end);
    for (int64_t y = row_of(*high, height); y <= row_of(*low, height); ++y) {
      coverage[static_cast<size_t>(y * width + x)] |= bit;
    }
  }
}

}  // namespace

Image waveform_comparison(const torch::Tensor& estimate, const torch::Tensor& target,
                          const WaveformComparisonOptions& options) {
  if (options.height <= 1 || options.width <= 0) {
    throw Error("waveform_comparison: height must be > 1 and width > 0");
  }
  const auto signals = detail::mono_signals({estimate, target}, "waveform_comparison");
  std::vector<uint8_t> coverage(static_cast<size_t>(options.height * options.width), 0);
  cover(signals[0].contiguous(), kEstimate, options.height, options.width, coverage);
  cover(signals[1].contiguous(), kTarget, options.height, options.width, coverage);

  Rgb both{};
  for (size_t c = 0; c < 3; ++c) {
    both[c] = static_cast<uint8_t>((options.target_colour[c] + options.estimate_colour[c]) / 2);
  }
  Image image(options.height, options.width);
  for (int64_t y = 0; y < options.height; ++y) {
    for (int64_t x = 0; x < options.width; ++x) {
      switch (coverage[static_cast<size_t>(y * options.width + x)]) {
        case kTarget:
          image.set(y, x, options.target_colour);
          break;
        case kEstimate:
          image.set(y, x, options.estimate_colour);
          break;
        case kTarget | kEstimate:
          image.set(y, x, both);
          break;
        default:
          break;
      }
    }
  }
  return image;
}

}  // namespace auralflow::visualize
