#pragma once
// What the composer hands to the renderer for one stem: the instruments on its MIDI channels
// and the notes they play, timed in ticks (kTicksPerQuarter per quarter note).
#include <cstdint>
#include <string>
#include <vector>

namespace auralflow::synth::detail {

inline constexpr int64_t kTicksPerQuarter = 480;
/// General MIDI's percussion channel (channel 10, 0-based 9).
inline constexpr int kDrumChannel = 9;
/// SoundFont bank of the percussion kits.
inline constexpr int kDrumBank = 128;

/// A channel's setup, sent before the first note.
struct Instrument {
  int channel = 0;
  int bank = 0;
  int program = 0;   // General MIDI program, 0-based (52 = choir aahs)
  int volume = 100;  // CC 7
  int pan = 64;      // CC 10: 0 left, 64 centre, 127 right
  int reverb = 40;   // CC 91: reverb send
  std::string role;  // for descriptions, e.g. "arpeggio"
};

struct Note {
  int64_t start = 0;   // ticks
  int64_t length = 0;  // ticks, > 0
  int channel = 0;
  int key = 60;        // MIDI key, 0..127
  int velocity = 100;  // 1..127
};

/// One stem's music.
struct Part {
  std::vector<Instrument> instruments;
  std::vector<Note> notes;
  /// Loudness of this stem relative to the others, dB.
  double level_db = 0.0;
};

/// Clamps to a valid MIDI velocity (1..127).
int clamp_velocity(double velocity);

}  // namespace auralflow::synth::detail
