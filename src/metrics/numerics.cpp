#include "numerics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace auralflow::metrics::detail {

int64_t next_power_of_two(int64_t n) {
  int64_t power = 1;
  while (power < n) power *= 2;
  return power;
}

int64_t next_fast_size(int64_t n) {
  int64_t best = next_power_of_two(n);
  for (int64_t fives = 1; fives < best; fives *= 5) {
    for (int64_t threes = fives; threes < best; threes *= 3) {
      int64_t size = threes;
      while (size < n) size *= 2;
      best = std::min(best, size);
    }
  }
  return best;
}

double safe_db(double numerator, double denominator) {
  if (denominator == 0.0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(numerator / denominator);
}

double quantize(double value) {
  if (!std::isfinite(value)) return std::numeric_limits<double>::quiet_NaN();
  constexpr double kScale = 1e5;  // exactly representable
  // The exact product value * 1e5 is scaled + error (fma). Each comparison below is the
  // sign of a rounded sum of an exactly computed difference and `error`; rounding keeps
  // that sign, so the floor and the tie test are exact.
  const double scaled = value * kScale;
  const double error = std::fma(value, kScale, -scaled);
  double lower = std::floor(scaled);
  if ((scaled - lower) + error < 0.0) lower -= 1.0;
  const double above_half = (scaled - lower - 0.5) + error;
  const bool round_up = above_half > 0.0 || (above_half == 0.0 && std::fmod(lower, 2.0) != 0.0);
  return (round_up ? lower + 1.0 : lower) / kScale;
}

double nan_median(std::vector<double> values) {
  values.erase(
      std::remove_if(values.begin(), values.end(), [](double value) { return std::isnan(value); }),
      values.end());
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  if (values.size() % 2 == 1) return values[middle];
  return (values[middle - 1] + values[middle]) / 2.0;
}

double nan_mean(const std::vector<double>& values) {
  double sum = 0.0;
  int64_t count = 0;
  for (double value : values) {
    if (std::isnan(value)) continue;
    sum += value;
    ++count;
  }
  return count == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / count;
}

}  // namespace auralflow::metrics::detail
