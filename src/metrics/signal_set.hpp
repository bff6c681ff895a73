#pragma once
// Read access to the signals of one BSSEval call (private): samples are read as float64
// straight from the callers' tensors, a range at a time, so that no whole-track float64
// copy is ever made.
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace auralflow::metrics::detail {

/// A list of (channels, samples) floating-point signals, all the same shape.
class SignalSet {
 public:
  /// float32 and float64 CPU tensors are read in place (any strides); others are converted
  /// to float64 on the CPU once.
  explicit SignalSet(const std::vector<torch::Tensor>& signals);

  int64_t count() const { return static_cast<int64_t>(signals_.size()); }
  int64_t channels() const { return channels_; }
  int64_t samples() const { return samples_; }

  /// out[i] = sample begin + i of `channel` of `signal` as float64, i in [0, end - begin);
  /// 0 outside [0, samples).
  void read(int64_t signal, int64_t channel, int64_t begin, int64_t end, double* out) const;

  /// Sum over the channels of `signal` at `sample` (float64, channels in order).
  double channel_sum(int64_t signal, int64_t sample) const;

 private:
  std::vector<torch::Tensor> signals_;  // float32 or float64, CPU
  int64_t channels_ = 0;
  int64_t samples_ = 0;
};

}  // namespace auralflow::metrics::detail
