#include "silence.hpp"

#include <algorithm>
#include <array>

namespace auralflow::metrics::detail {
namespace {

constexpr int64_t kChunk = 4096;

/// Whether the channel sum of `signal` is 0 at every sample of [begin, end).
bool silent(const SignalSet& signals, int64_t signal, int64_t begin, int64_t end) {
  std::array<double, kChunk> sum{};
  std::array<double, kChunk> channel{};
  for (int64_t start = begin; start < end; start += kChunk) {
    const int64_t count = std::min(kChunk, end - start);
    std::fill(sum.begin(), sum.begin() + count, 0.0);
    for (int64_t c = 0; c < signals.channels(); ++c) {  // summed in channel order, as museval
      signals.read(signal, c, start, start + count, channel.data());
      for (int64_t n = 0; n < count; ++n) sum[n] += channel[n];
    }
    if (std::any_of(sum.begin(), sum.begin() + count, [](double value) { return value != 0.0; }))
      return false;
  }
  return true;
}

}  // namespace

bool any_silent(const SignalSet& signals, int64_t begin, int64_t end) {
  for (int64_t s = 0; s < signals.count(); ++s) {
    if (silent(signals, s, begin, end)) return true;
  }
  return false;
}

}  // namespace auralflow::metrics::detail
