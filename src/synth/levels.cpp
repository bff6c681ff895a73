#include "synth/levels.hpp"

#include <algorithm>
#include <cmath>

namespace auralflow::synth::detail {
namespace {

constexpr int64_t kBlock = 4096;
constexpr double kSilentPower = 1e-8;  // -80 dBFS

double peak(const torch::Tensor& audio) {
  const float* data = audio.data_ptr<float>();
  double value = 0.0;
  for (int64_t i = 0; i < audio.numel(); ++i) value = std::max(value, std::fabs(double{data[i]}));
  return value;
}

void scale(torch::Tensor& audio, double gain) { audio.mul_(static_cast<float>(gain)); }

}  // namespace

double active_power(const torch::Tensor& audio) {
  const torch::Tensor samples = audio.contiguous();  // (channels, samples)
  const float* data = samples.data_ptr<float>();
  const int64_t channels = samples.size(0);
  const int64_t length = samples.size(1);
  double total = 0.0;
  int64_t counted = 0;
  for (int64_t begin = 0; begin < length; begin += kBlock) {
    const int64_t end = std::min(begin + kBlock, length);
    double block = 0.0;
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t i = begin; i < end; ++i)
        block += double{data[c * length + i]} * data[c * length + i];
    const int64_t count = channels * (end - begin);
    if (block / static_cast<double>(count) <= kSilentPower) continue;
    total += block;
    counted += count;
  }
  return counted == 0 ? 0.0 : total / static_cast<double>(counted);
}

void balance(torch::Tensor& stems, const std::vector<double>& stem_db, double mixture_db) {
  for (int64_t k = 0; k < stems.size(0); ++k) {
    torch::Tensor stem = stems[k];
    const double power = active_power(stem);
    if (power > 0.0)
      scale(stem, std::pow(10.0, stem_db[static_cast<size_t>(k)] / 20.0) / std::sqrt(power));
  }
  torch::Tensor mixture = stems[0].clone();
  for (int64_t k = 1; k < stems.size(0); ++k) mixture.add_(stems[k]);
  const double power = active_power(mixture);
  double gain = power > 0.0 ? std::pow(10.0, mixture_db / 20.0) / std::sqrt(power) : 1.0;
  double loudest = peak(mixture);
  for (int64_t k = 0; k < stems.size(0); ++k)
    loudest = std::max(loudest, peak(stems[k].contiguous()));
  if (loudest * gain > kPeak) gain = kPeak / loudest * (1.0 - 1e-6);
  scale(stems, gain);
}

}  // namespace auralflow::synth::detail
