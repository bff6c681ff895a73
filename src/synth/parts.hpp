#pragma once
// The four stems' composers. Each reads the song plan and draws from its own random stream;
// channels: vocals 0–1, drums 9 (GM percussion), bass 0, other 0–2 (each stem is rendered on
// its own synthesizer, so the numbers do not clash).
#include "synth/random.hpp"
#include "synth/score.hpp"
#include "synth/song.hpp"

namespace auralflow::synth::detail {

/// A melody with phrases and rests on a voice-like program, sometimes with a harmony voice.
Part vocal_part(const Song& song, Random& random);
/// A kit on the percussion channel: a groove per section, fills before section ends, crashes.
Part drum_part(const Song& song, Random& random);
/// A bass line on the chord roots with fifths, octaves and approach notes.
Part bass_part(const Song& song, Random& random);
/// 2–3 accompaniment instruments: sustained chords, comping, arpeggios, strums or stabs.
Part accompaniment_part(const Song& song, Random& random);

/// `tick` moved by up to ±`amount` ticks (a player's timing), never below 0.
int64_t humanize(int64_t tick, int amount, Random& random);

/// Tick of step `step` of bar `bar` on a grid of `per_pulse` steps per pulse (swing applied to
/// whole pulses).
int64_t step_tick(const Song& song, int bar, int step, int per_pulse);

}  // namespace auralflow::synth::detail
