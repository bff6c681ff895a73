#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"

namespace auralflow::metrics {

std::vector<FrameBounds> bss_eval_frames(int64_t samples, const BssEvalOptions& options) {
  const int64_t window = options.window();
  const int64_t hop = options.hop();
  if (samples < 1 || window < 1 || hop < 1) {
    throw Error("bss_eval_frames: samples, window and hop must be >= 1 (got " +
                std::to_string(samples) + ", " + std::to_string(window) + ", " +
                std::to_string(hop) + ")");
  }
  if (window >= samples) return {{0, samples}};
  std::vector<FrameBounds> frames;
  for (int64_t t = 0; t < (samples - window + hop) / hop; ++t) {
    frames.emplace_back(t * hop, t * hop + window);
  }
  return frames;
}

}  // namespace auralflow::metrics
