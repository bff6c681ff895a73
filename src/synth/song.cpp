// Song helpers shared by the parts: chord and section lookup, keys, metric grid.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "synth/song.hpp"

namespace auralflow::synth::detail {
namespace {

const char* const kPitchNames[12] = {"C",  "C#", "D",  "Eb", "E",  "F",
                                     "F#", "G",  "Ab", "A",  "Bb", "B"};

}  // namespace

const Chord& Song::chord_at(int64_t tick) const {
  const auto after =
      std::upper_bound(chords.begin(), chords.end(), tick,
                       [](int64_t t, const Chord& chord) { return t < chord.start; });
  return after == chords.begin() ? chords.front() : *(after - 1);
}

const Section& Song::section_of_bar(int bar) const {
  for (const Section& section : sections) {
    if (bar < section.first_bar + section.bars) return section;
  }
  return sections.back();
}

bool Song::ends_section(int bar) const {
  const Section& section = section_of_bar(bar);
  return bar == section.first_bar + section.bars - 1;
}

std::string Song::description() const {
  std::ostringstream text;
  text << kPitchNames[tonic] << " " << mode << ", " << meter.numerator << "/" << meter.denominator
       << ", " << std::lround(bpm) << " bpm" << (swing ? " swing" : "");
  return text.str();
}

int nearest_key(int target, const std::vector<int>& pitch_classes) {
  for (int distance = 0; distance < 12; ++distance) {
    for (const int key : {target - distance, target + distance}) {
      const int pitch_class = ((key % 12) + 12) % 12;
      if (std::find(pitch_classes.begin(), pitch_classes.end(), pitch_class) != pitch_classes.end())
        return key;
    }
  }
  return target;
}

std::vector<int> chord_pitch_classes(const Chord& chord) {
  std::vector<int> classes;
  for (const int tone : chord.tones) classes.push_back((chord.root + tone) % 12);
  return classes;
}

std::vector<int> scale_pitch_classes(const Song& song) {
  std::vector<int> classes;
  for (const int step : song.scale) classes.push_back((song.tonic + step) % 12);
  return classes;
}

int64_t pulse_tick(const Song& song, int bar, int pulse) {
  const Meter& meter = song.meter;
  int64_t tick = bar * meter.bar_ticks() + pulse * meter.pulse_ticks();
  // Triplet swing: the second eighth of a beat lands at 2/3 of the beat instead of 1/2.
  if (song.swing && !meter.compound() && pulse % 2 == 1) tick += meter.beat_ticks / 6;
  return tick;
}

double metric_weight(const Meter& meter, int pulse) {
  if (pulse == 0) return 1.0;
  if (pulse % meter.pulses_per_beat != 0) return pulse % meter.pulses_per_beat == 1 ? 0.3 : 0.25;
  // Beats: the middle of an even bar (beat 3 of 4/4) is stronger than the others.
  const int beat = pulse / meter.pulses_per_beat;
  return meter.beats % 2 == 0 && beat == meter.beats / 2 ? 0.75 : 0.6;
}

}  // namespace auralflow::synth::detail
