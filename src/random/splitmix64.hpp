#pragma once
// Private to src: splitmix64's output function, the one seed scrambler of the library (the
// dataset sampler's per-batch seeds, the composer's generators).
#include <cstdint>

namespace auralflow::random {

/// splitmix64's golden-ratio increment.
inline constexpr uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ULL;

/// splitmix64's finaliser: a bijection on 64-bit values that scatters nearby inputs.
inline uint64_t splitmix64_mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace auralflow::random
