#include "auralflow/signal.hpp"

#include <algorithm>

#include "auralflow/error.hpp"

namespace auralflow {
namespace {

/// A float32 or float64 CPU tensor (channels, samples), read in place.
class TensorSignal : public Signal {
 public:
  explicit TensorSignal(torch::Tensor signal) : signal_(std::move(signal)) {}

  int64_t channels() const override { return signal_.size(0); }
  int64_t samples() const override { return signal_.size(1); }

  void read(int64_t channel, int64_t begin, int64_t count, double* out) const override {
    if (signal_.scalar_type() == torch::kFloat32) {
      read_as<float>(channel, begin, count, out);
    } else {
      read_as<double>(channel, begin, count, out);
    }
  }

 private:
  template <typename T>
  void read_as(int64_t channel, int64_t begin, int64_t count, double* out) const {
    const int64_t stride = signal_.stride(1);
    const T* in = signal_.data_ptr<T>() + channel * signal_.stride(0) + begin * stride;
    if (stride == 1) {
      std::copy(in, in + count, out);
      return;
    }
    for (int64_t i = 0; i < count; ++i) out[i] = static_cast<double>(in[i * stride]);
  }

  torch::Tensor signal_;  // float32 or float64, CPU
};

}  // namespace

SignalPtr tensor_signal(const torch::Tensor& signal) {
  if (signal.dim() != 2 || !signal.is_floating_point()) {
    throw Error("tensor_signal: expected a floating-point (channels, samples) tensor, got " +
                std::string(c10::toString(signal.scalar_type())) + " of shape " +
                c10::str(signal.sizes()));
  }
  const bool readable = signal.device().is_cpu() && (signal.scalar_type() == torch::kFloat32 ||
                                                     signal.scalar_type() == torch::kFloat64);
  return std::make_shared<TensorSignal>(readable ? signal
                                                 : signal.to(torch::kCPU, torch::kFloat64));
}

}  // namespace auralflow
