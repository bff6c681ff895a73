#pragma once
// Private to src/tensorboard: WAV files encoded in memory (libsndfile virtual I/O).
#include <torch/types.h>

#include <string>

namespace auralflow::tensorboard::detail {

/// (channels, samples) finite float audio on the CPU -> the bytes of a 16-bit PCM WAV file
/// at `sample_rate`; samples outside [-1, 1] are clipped.
std::string encode_wav16(const torch::Tensor& audio, int sample_rate);

}  // namespace auralflow::tensorboard::detail
