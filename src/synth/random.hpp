#pragma once
// Seeded random draws for the composer. The distributions are written out here rather than
// taken from <random> (whose uniform_*_distribution results differ between standard
// libraries); std::mt19937_64 itself is fully specified, so a seed gives the same piece on
// every platform.
#include <cstdint>
#include <random>
#include <vector>

namespace auralflow::synth::detail {

/// One splitmix64 step from state `value`: nearby seeds give unrelated generators.
uint64_t mix_seed(uint64_t value);

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(mix_seed(seed)) {}

  /// Uniform integer in [low, high] (low <= high).
  int integer(int low, int high);
  /// Uniform real in [low, high).
  double real(double low, double high);
  /// True with the given probability.
  bool chance(double probability);
  /// An index drawn in proportion to `weights` (non-negative, not all zero).
  size_t weighted(const std::vector<double>& weights);
  /// One of `items` (non-empty), uniformly.
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(integer(0, static_cast<int>(items.size()) - 1))];
  }
  /// A fresh generator seeded from this one: each part draws from its own stream, so a
  /// change in one part's choices does not shift the others'.
  Random fork() { return Random(engine_()); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace auralflow::synth::detail
