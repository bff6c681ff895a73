#include <algorithm>
#include <cmath>

#include "synth/parts.hpp"
#include "synth/score.hpp"

namespace auralflow::synth::detail {

int clamp_velocity(double velocity) {
  return std::clamp(static_cast<int>(std::lround(velocity)), 1, 127);
}

int64_t humanize(int64_t tick, int amount, Random& random) {
  return std::max<int64_t>(0, tick + random.integer(-amount, amount));
}

int64_t step_tick(const Song& song, int bar, int step, int per_pulse) {
  const int64_t sub = song.meter.pulse_ticks() / per_pulse;
  return pulse_tick(song, bar, step / per_pulse) + (step % per_pulse) * sub;
}

}  // namespace auralflow::synth::detail
