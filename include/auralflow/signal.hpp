#pragma once
/// @file
/// A (channels, samples) signal that is read a range at a time: the metrics read their
/// references and estimates this way, so a track need not be in memory whole. Two kinds
/// come with the library: a tensor (tensor_signal) and an audio file read from disk as it is
/// needed (audio::open_signal in audio_signal.hpp).
#include <torch/types.h>

#include <cstdint>
#include <memory>

namespace auralflow {

/// Read access to a (channels, samples) signal. Implementations must allow concurrent reads
/// from several threads.
class Signal {
 public:
  virtual ~Signal() = default;

  /// Channels of the signal (≥ 1).
  virtual int64_t channels() const = 0;

  /// Samples per channel.
  virtual int64_t samples() const = 0;

  /// out[i] = sample begin + i of `channel` as float64, for i < count; the caller keeps
  /// 0 ≤ begin and begin + count ≤ samples(). Throws auralflow::Error when the data cannot be
  /// read (a file that changed or broke since it was opened).
  virtual void read(int64_t channel, int64_t begin, int64_t count, double* out) const = 0;
};

/// A shared, read-only signal.
using SignalPtr = std::shared_ptr<const Signal>;

/// `signal` (channels, samples) as a Signal: float32 and float64 CPU tensors are read in
/// place (any strides; the Signal keeps a reference), others are converted to float64 on the
/// CPU once. Throws auralflow::Error for a tensor that is not 2-D or not floating-point.
SignalPtr tensor_signal(const torch::Tensor& signal);

}  // namespace auralflow
