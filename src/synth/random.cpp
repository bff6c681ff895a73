#include "synth/random.hpp"

#include "random/splitmix64.hpp"

namespace auralflow::synth::detail {

uint64_t mix_seed(uint64_t value) { return random::splitmix64_mix(value + random::kGoldenGamma); }

int Random::integer(int low, int high) {
  const uint64_t span = static_cast<uint64_t>(static_cast<int64_t>(high) - low) + 1;
  return static_cast<int>(low + static_cast<int64_t>(engine_() % span));
}

double Random::real(double low, double high) {
  const double unit = static_cast<double>(engine_() >> 11) * 0x1.0p-53;  // [0, 1)
  return low + (high - low) * unit;
}

bool Random::chance(double probability) { return real(0.0, 1.0) < probability; }

size_t Random::weighted(const std::vector<double>& weights) {
  double total = 0.0;
  for (const double weight : weights) total += weight;
  double draw = real(0.0, total);
  size_t last_positive = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0.0) continue;
    if (draw < weights[i]) return i;
    draw -= weights[i];
    last_positive = i;
  }
  return last_positive;  // only reached through rounding
}

}  // namespace auralflow::synth::detail
