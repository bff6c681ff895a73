// bass_part: one rhythm per section kind on the chord roots, with fifths, octaves and
// scale-wise approach notes into the next chord; a walking line in some songs.
#include <algorithm>
#include <cstdlib>
#include <map>

#include "synth/parts.hpp"

namespace auralflow::synth::detail {
namespace {

enum class Feel { Sustained, Beats, RootFifth, Pumping, Octaves, Syncopated, Walking };

struct Program {
  int program;
  double weight;
};

// Finger, pick, acoustic, fretless, slap, synth 1 and 2.
const std::vector<Program> kPrograms = {{33, 3.0}, {34, 1.5}, {32, 1.0}, {35, 0.7},
                                        {36, 0.4}, {38, 1.0}, {39, 0.7}};

// The pulses (within a bar) where notes start.
std::vector<int> feel_pulses(const Meter& meter, Feel feel, Random& random) {
  std::vector<int> pulses;
  for (int pulse = 0; pulse < meter.pulses_per_bar(); ++pulse) {
    const bool on_beat = pulse % meter.pulses_per_beat == 0;
    const double weight = metric_weight(meter, pulse);
    bool play = false;
    switch (feel) {
      case Feel::Sustained:
        play = pulse == 0 || (weight >= 0.75 && random.chance(0.5));
        break;
      case Feel::Beats:
      case Feel::RootFifth:
      case Feel::Walking:
        play = on_beat;
        break;
      case Feel::Pumping:
      case Feel::Octaves:
        play = true;
        break;
      case Feel::Syncopated:
        play = pulse == 0 || random.chance(on_beat ? 0.5 : 0.4);
        break;
    }
    if (play) pulses.push_back(pulse);
  }
  return pulses;
}

Feel choose_feel(const Song& song, double energy, Random& random) {
  const bool walkable = song.swing || song.meter.compound();
  const std::vector<double> weights = {
      1.5 * (1.0 - energy), 2.0, 1.5, 1.5 * energy, 0.6 * energy, 1.5, walkable ? 1.5 : 0.3};
  return static_cast<Feel>(random.weighted(weights));
}

// The key for the note at `index` within a chord, given the next chord's root key.
int line_key(Feel feel, int index, int notes, int root_key, const Chord& chord,
             const std::vector<int>& scale, int next_root_key, Random& random) {
  const bool last = index == notes - 1;
  if (last && notes > 1 && (feel == Feel::Walking || random.chance(0.25))) {
    // Approach the next root from a scale step (or a semitone) above or below.
    const int direction = next_root_key >= root_key ? -1 : 1;
    return random.chance(0.6) ? nearest_key(next_root_key + 2 * direction, scale)
                              : next_root_key + direction;
  }
  if (index == 0) return root_key;
  const int fifth = root_key + (chord.tones.size() > 2 ? chord.tones[2] : 7);
  switch (feel) {
    case Feel::RootFifth:
      return index % 2 == 1 ? fifth : root_key;
    case Feel::Octaves:
      return index % 2 == 1 ? root_key + 12 : root_key;
    case Feel::Walking:
      return root_key + chord.tones[static_cast<size_t>(index) % chord.tones.size()];
    case Feel::Syncopated:
      return random.chance(0.7) ? root_key : random.chance(0.5) ? fifth : root_key + 12;
    default:
      return root_key;
  }
}

}  // namespace

Part bass_part(const Song& song, Random& random) {
  Part part;
  std::vector<double> weights;
  for (const Program& program : kPrograms) weights.push_back(program.weight);
  Instrument bass;
  bass.program = kPrograms[random.weighted(weights)].program;
  bass.pan = random.integer(54, 74);
  bass.reverb = random.integer(0, 30);
  part.instruments.push_back(bass);
  part.level_db = random.real(-3.0, 1.0);

  const int low = random.integer(28, 36);  // lowest root key: E1..C2
  const auto root_key = [low](int pitch_class) {
    return low + ((pitch_class - low) % 12 + 12) % 12;
  };
  const std::vector<int> scale = scale_pitch_classes(song);
  const bool staccato = random.chance(0.3);
  std::map<SectionKind, Feel> feels;
  std::map<SectionKind, std::vector<int>> rhythms;
  const bool silent_intro = random.chance(0.3);
  const Meter& meter = song.meter;
  for (const Chord& chord : song.chords) {
    const int bar = static_cast<int>(chord.start / meter.bar_ticks());
    const Section& section = song.section_of_bar(bar);
    if (section.kind == SectionKind::Intro && silent_intro) continue;
    if (feels.count(section.kind) == 0) {
      feels[section.kind] = choose_feel(song, section.energy, random);
      rhythms[section.kind] = feel_pulses(meter, feels[section.kind], random);
    }
    const Feel feel = feels[section.kind];
    // Note starts inside this chord: the section's bar rhythm repeated over the chord.
    std::vector<int64_t> starts;
    for (int b = bar; b * meter.bar_ticks() < chord.start + chord.length; ++b) {
      for (const int pulse : rhythms[section.kind]) {
        const int64_t tick = pulse_tick(song, b, pulse);
        if (tick >= chord.start && tick < chord.start + chord.length) starts.push_back(tick);
      }
    }
    if (starts.empty() || starts.front() != chord.start) starts.insert(starts.begin(), chord.start);
    const int64_t chord_end = chord.start + chord.length;
    const int next_root = root_key(
        chord_end < song.bars * meter.bar_ticks() ? song.chord_at(chord_end).root : chord.root);
    const int root = root_key(chord.root);
    for (size_t i = 0; i < starts.size(); ++i) {
      const int64_t end = i + 1 < starts.size() ? starts[i + 1] : chord_end;
      const int64_t gap = staccato ? (end - starts[i]) / 2 : meter.pulse_ticks() / 8;
      const int key = line_key(feel, static_cast<int>(i), static_cast<int>(starts.size()), root,
                               chord, scale, next_root, random);
      const double accent = starts[i] == chord.start ? 12.0 : 0.0;
      part.notes.push_back(
          {humanize(starts[i], 4, random), std::max<int64_t>(end - starts[i] - gap, 30), 0, key,
           clamp_velocity(80 + 20 * section.energy + accent + random.real(-8, 8))});
    }
  }
  return part;
}

}  // namespace auralflow::synth::detail
