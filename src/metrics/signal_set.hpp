#pragma once
// Read access to the signals of one BSSEval call (private): samples are read as float64 from
// the callers' Signals a range at a time, so that no whole-track float64 copy is ever made.
#include <cstdint>
#include <string>
#include <vector>

#include "auralflow/signal.hpp"

namespace auralflow::metrics::detail {

/// "[channels, samples]", for error messages.
std::string shape_of(const Signal& signal);

/// A list of (channels, samples) signals, all the same shape (the caller checks).
class SignalSet {
 public:
  explicit SignalSet(std::vector<SignalPtr> signals);

  int64_t count() const { return static_cast<int64_t>(signals_.size()); }
  int64_t channels() const { return channels_; }
  int64_t samples() const { return samples_; }

  /// out[i] = sample begin + i of `channel` of `signal` as float64, i in [0, end - begin);
  /// 0 outside [0, samples).
  void read(int64_t signal, int64_t channel, int64_t begin, int64_t end, double* out) const;

 private:
  std::vector<SignalPtr> signals_;
  int64_t channels_ = 0;
  int64_t samples_ = 0;
};

}  // namespace auralflow::metrics::detail
