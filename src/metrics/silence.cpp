#include "silence.hpp"

namespace auralflow::metrics::detail {

bool any_silent(const SignalSet& signals, int64_t begin, int64_t end) {
  for (int64_t s = 0; s < signals.count(); ++s) {
    bool audible = false;
    for (int64_t n = begin; n < end && !audible; ++n) audible = signals.channel_sum(s, n) != 0.0;
    if (!audible) return true;
  }
  return false;
}

}  // namespace auralflow::metrics::detail
