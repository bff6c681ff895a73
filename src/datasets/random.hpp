#pragma once
// Private to src/datasets: a small random generator whose streams are the same on every
// platform (std::shuffle and the std distributions are not), and seed mixing so that each
// batch of each epoch gets its own stream.
#include <cstdint>
#include <random>

#include "random/splitmix64.hpp"

namespace auralflow::datasets {

/// splitmix64 of (a, b): a well-spread 64-bit seed for the pair.
inline uint64_t mix_seed(uint64_t a, uint64_t b) {
  return random::splitmix64_mix(a * random::kGoldenGamma + b + 0x632BE59BD9B4E019ULL);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  /// Uniform in [0, n) for n > 0 (modulo bias below 2^-40 for n < 2^24).
  int64_t index(int64_t n) { return static_cast<int64_t>(engine_() % static_cast<uint64_t>(n)); }
  /// Uniform in [low, high).
  double uniform(double low, double high) {
    return low + (high - low) * static_cast<double>(engine_() >> 11) * 0x1.0p-53;
  }
  bool coin() { return (engine_() >> 63) != 0; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace auralflow::datasets
