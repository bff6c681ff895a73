#pragma once
// museval's silence test (private): a signal is silent over a range of samples when the
// sum over its channels is exactly 0 at every sample of the range. Not an energy test:
// right == -left counts as silent.
#include <cstdint>

#include "signal_set.hpp"

namespace auralflow::metrics::detail {

/// True if some signal of `signals` is silent at every sample of [begin, end).
bool any_silent(const SignalSet& signals, int64_t begin, int64_t end);

}  // namespace auralflow::metrics::detail
