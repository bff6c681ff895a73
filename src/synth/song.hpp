#pragma once
// The plan every part follows: key and mode, time signature, tempo, sections and the chord
// under each tick. Positions are ticks (kTicksPerQuarter per quarter note).
#include <cstdint>
#include <string>
#include <vector>

#include "synth/random.hpp"

namespace auralflow::synth::detail {

struct Meter {
  int numerator = 4;
  int denominator = 4;
  int beats = 4;             // felt beats per bar (6/8: 2)
  int pulses_per_beat = 2;   // 2 in simple meters (eighths), 3 in compound ones
  int64_t beat_ticks = 480;  // ticks per felt beat (6/8: a dotted quarter, 720)

  int64_t bar_ticks() const { return beats * beat_ticks; }
  int64_t pulse_ticks() const { return beat_ticks / pulses_per_beat; }
  int pulses_per_bar() const { return beats * pulses_per_beat; }
  bool compound() const { return pulses_per_beat == 3; }
};

struct Chord {
  int64_t start = 0;       // ticks
  int64_t length = 0;      // ticks
  int root = 0;            // pitch class 0..11 (0 = C)
  std::vector<int> tones;  // semitones above the root, ascending, starting with 0
};

enum class SectionKind { Intro, Verse, Chorus, Bridge, Break };  // Break: instrumental

struct Section {
  SectionKind kind = SectionKind::Verse;
  int first_bar = 0;
  int bars = 0;
  double energy = 0.5;  // 0..1: density and loudness of the playing
  bool vocals = true;   // whether the melody sings here
};

struct Song {
  int tonic = 0;           // pitch class of the key
  std::string mode;        // "major", "dorian", ...
  std::vector<int> scale;  // 7 semitone offsets from the tonic
  Meter meter;
  double bpm = 100.0;  // felt beats per minute
  int bars = 0;
  bool swing = false;             // simple meters: off-beat pulses played late
  std::vector<Section> sections;  // consecutive, covering [0, bars)
  std::vector<Chord> chords;      // consecutive, covering [0, bars * bar_ticks)

  double seconds_per_tick() const { return 60.0 / (bpm * static_cast<double>(meter.beat_ticks)); }
  const Chord& chord_at(int64_t tick) const;
  const Section& section_of_bar(int bar) const;
  /// Whether `bar` is the last one of its section.
  bool ends_section(int bar) const;
  /// "D dorian, 6/8, 92 bpm".
  std::string description() const;
};

/// Composes the plan for a piece of at least `seconds`.
Song compose_song(Random& random, double seconds);

/// The key nearest to `target` whose pitch class is in `pitch_classes` (ties: the lower key).
int nearest_key(int target, const std::vector<int>& pitch_classes);

/// Pitch classes of a chord.
std::vector<int> chord_pitch_classes(const Chord& chord);

/// Pitch classes of the song's scale.
std::vector<int> scale_pitch_classes(const Song& song);

/// Tick of pulse `pulse` of bar `bar`, with the song's swing applied to off-beat pulses.
int64_t pulse_tick(const Song& song, int bar, int pulse);

/// 0..1: how strong a pulse of the bar is (downbeat 1, other beats 0.6, off-beats less).
double metric_weight(const Meter& meter, int pulse);

}  // namespace auralflow::synth::detail
