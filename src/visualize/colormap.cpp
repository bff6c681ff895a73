// viridis(): matplotlib's viridis sampled at t = 0, 1/8, ..., 1 and interpolated linearly.
#include <algorithm>
#include <cmath>

#include "auralflow/visualize.hpp"

namespace auralflow::visualize {
namespace {

constexpr std::array<Rgb, 9> kViridis{{{68, 1, 84},
                                       {71, 44, 122},
                                       {59, 81, 139},
                                       {44, 113, 142},
                                       {33, 144, 141},
                                       {39, 173, 129},
                                       {92, 200, 99},
                                       {170, 220, 50},
                                       {253, 231, 37}}};

}  // namespace

Rgb viridis(double t) {
  if (std::isnan(t)) t = 0.0;
  const double position = std::clamp(t, 0.0, 1.0) * static_cast<double>(kViridis.size() - 1);
  const auto below = std::min(static_cast<size_t>(position), kViridis.size() - 2);
  const double fraction = position - static_cast<double>(below);
  Rgb colour{};
  for (size_t c = 0; c < 3; ++c) {
    const double low = kViridis[below][c];
    const double high = kViridis[below + 1][c];
    colour[c] = static_cast<uint8_t>(std::lround(low + (high - low) * fraction));
  }
  return colour;
}

}  // namespace auralflow::visualize
