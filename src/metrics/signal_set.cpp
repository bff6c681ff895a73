#include "signal_set.hpp"

#include <algorithm>

namespace auralflow::metrics::detail {
namespace {

template <typename T>
void read_strided(const torch::Tensor& signal, int64_t channel, int64_t begin, int64_t count,
                  double* out) {
  const int64_t stride = signal.stride(1);
  const T* in = signal.data_ptr<T>() + channel * signal.stride(0) + begin * stride;
  if (stride == 1) {
    std::copy(in, in + count, out);
    return;
  }
  for (int64_t i = 0; i < count; ++i) out[i] = static_cast<double>(in[i * stride]);
}

}  // namespace

SignalSet::SignalSet(const std::vector<torch::Tensor>& signals) {
  signals_.reserve(signals.size());
  for (const auto& signal : signals) {
    const bool readable = signal.device().is_cpu() && (signal.scalar_type() == torch::kFloat32 ||
                                                       signal.scalar_type() == torch::kFloat64);
    signals_.push_back(readable ? signal : signal.to(torch::kCPU, torch::kFloat64));
  }
  if (!signals_.empty()) {
    channels_ = signals_.front().size(0);
    samples_ = signals_.front().size(1);
  }
}

void SignalSet::read(int64_t signal, int64_t channel, int64_t begin, int64_t end,
                     double* out) const {
  const int64_t first = std::clamp(begin, int64_t{0}, samples_);
  const int64_t last = std::clamp(end, first, samples_);
  std::fill(out, out + (first - begin), 0.0);
  const auto& tensor = signals_[signal];
  if (tensor.scalar_type() == torch::kFloat32) {
    read_strided<float>(tensor, channel, first, last - first, out + (first - begin));
  } else {
    read_strided<double>(tensor, channel, first, last - first, out + (first - begin));
  }
  std::fill(out + (last - begin), out + (end - begin), 0.0);
}

double SignalSet::channel_sum(int64_t signal, int64_t sample) const {
  double sum = 0.0;
  for (int64_t c = 0; c < channels_; ++c) {
    double value = 0.0;
    read(signal, c, sample, sample + 1, &value);
    sum += value;
  }
  return sum;
}

}  // namespace auralflow::metrics::detail
