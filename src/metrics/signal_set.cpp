#include "signal_set.hpp"

#include <algorithm>

namespace auralflow::metrics::detail {

std::string shape_of(const Signal& signal) {
  return "[" + std::to_string(signal.channels()) + ", " + std::to_string(signal.samples()) + "]";
}

SignalSet::SignalSet(std::vector<SignalPtr> signals) : signals_(std::move(signals)) {
  if (!signals_.empty()) {
    channels_ = signals_.front()->channels();
    samples_ = signals_.front()->samples();
  }
}

void SignalSet::read(int64_t signal, int64_t channel, int64_t begin, int64_t end,
                     double* out) const {
  const int64_t first = std::clamp(begin, int64_t{0}, samples_);
  const int64_t last = std::clamp(end, first, samples_);
  std::fill(out, out + (first - begin), 0.0);
  if (last > first) signals_[signal]->read(channel, first, last - first, out + (first - begin));
  std::fill(out + (last - begin), out + (end - begin), 0.0);
}

}  // namespace auralflow::metrics::detail
