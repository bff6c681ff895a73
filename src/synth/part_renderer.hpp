#pragma once
// Plays one Part on a fresh fluidsynth synthesizer, offline (fluid_synth_write_float, no
// audio driver), into stereo float samples.
#include <cstdint>

#include "synth/score.hpp"
#include "synth/soundfont_bank.hpp"

namespace auralflow::synth::detail {

/// fluidsynth's reverb room for one track (each value in [0, 1]).
struct Room {
  double size = 0.5;
  double damping = 0.3;
  double width = 0.8;
  double level = 0.7;
};

struct PartTiming {
  double seconds_per_tick = 0.0;
  int sample_rate = 44100;
  int64_t frames = 0;  // output length; notes after it are cut off
};

/// Renders `part` with presets from SoundFont `font` (or another that has them) into
/// left[0..frames) and right[0..frames) (both zero-filled or overwritten).
void render_part(const SoundFontBank& bank, const Part& part, size_t font, const Room& room,
                 const PartTiming& timing, float* left, float* right);

}  // namespace auralflow::synth::detail
