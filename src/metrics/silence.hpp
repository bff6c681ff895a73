#pragma once
// museval's silence test (private): a signal is silent over a range of samples when the
// sum over its channels is exactly 0 at every sample of the range. Not an energy test:
// right == -left counts as silent.
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace auralflow::metrics::detail {

/// Which samples are not silent, per signal.
class SilenceMask {
 public:
  /// signals: each (channels, samples), all the same length.
  explicit SilenceMask(const std::vector<torch::Tensor>& signals);

  /// True if some signal is silent at every sample of [begin, end).
  bool any_silent(int64_t begin, int64_t end) const;

 private:
  torch::Tensor audible_;  // (signals, samples) bool: channel sum != 0
};

}  // namespace auralflow::metrics::detail
