// vocal_part: phrases of a few seconds separated by rests; a scale-wise melody whose strong
// beats land on chord tones; phrases of a section kind come back (a chorus repeats its
// tune); a harmony voice a third below in some choruses.
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "synth/parts.hpp"

namespace auralflow::synth::detail {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct Voice {
  std::vector<int> keys;  // the scale's keys within the singer's range, ascending
  size_t index;           // current position in `keys`
};

// A remembered phrase: note lengths (pulses) and melodic steps (scale positions).
struct Motif {
  int offset = 0;  // pulses after the start of the phrase unit
  std::vector<int> lengths;
  std::vector<int> steps;
};

Motif new_motif(const Meter& meter, int unit_pulses, Random& random) {
  Motif motif;
  motif.offset = random.pick(std::vector<int>{0, 0, 1, meter.pulses_per_beat});
  const int rest =
      random.integer(meter.pulses_per_beat, std::max(meter.pulses_per_beat, unit_pulses / 2));
  const int total = std::max(2, unit_pulses - motif.offset - rest);
  const std::vector<int> lengths =
      meter.compound() ? std::vector<int>{1, 2, 3, 6} : std::vector<int>{1, 2, 3, 4};
  const std::vector<double> weights =
      meter.compound() ? std::vector<double>{2, 2, 2, 0.7} : std::vector<double>{3, 3, 0.8, 1.5};
  for (int used = 0; used < total;) {
    const int length = std::min(lengths[random.weighted(weights)], total - used);
    motif.lengths.push_back(length);
    used += length;
  }
  int previous = 0;
  for (size_t i = 0; i < motif.lengths.size(); ++i) {
    int step = static_cast<int>(random.weighted({1.0, 3.0, 1.5, 3.0, 1.0})) - 2;  // -2..2
    if (random.chance(0.12)) step = (random.chance(0.5) ? 1 : -1) * random.integer(3, 5);
    if (std::abs(previous) >= 3) step = previous > 0 ? -1 : 1;  // step back after a leap
    motif.steps.push_back(step);
    previous = step;
  }
  return motif;
}

void sing(Part& part, const Song& song, const Motif& motif, int64_t unit_start, Voice& voice,
          double energy, bool harmony, Random& random) {
  const Meter& meter = song.meter;
  const int64_t pulse = meter.pulse_ticks();
  int64_t tick = unit_start + motif.offset * pulse;
  const double total = static_cast<double>(motif.lengths.size());
  const bool legato = random.chance(0.6);
  for (size_t i = 0; i < motif.lengths.size(); ++i) {
    const int max_index = static_cast<int>(voice.keys.size()) - 1;
    voice.index = static_cast<size_t>(
        std::clamp(static_cast<int>(voice.index) + motif.steps[i], 0, max_index));
    const int pulse_in_bar = static_cast<int>((tick % meter.bar_ticks()) / pulse);
    const Chord& chord = song.chord_at(tick);
    if (metric_weight(meter, pulse_in_bar) >= 0.6 || i + 1 == motif.lengths.size()) {
      // Strong beats and phrase ends: the nearest chord tone.
      const int key = nearest_key(voice.keys[voice.index], chord_pitch_classes(chord));
      const auto found = std::lower_bound(voice.keys.begin(), voice.keys.end(), key);
      if (found != voice.keys.end() && *found == key)
        voice.index = static_cast<size_t>(found - voice.keys.begin());
    }
    const int64_t length = motif.lengths[i] * pulse;
    const int64_t sounding = legato ? length - pulse / 10 : length * 3 / 4;
    const double arch = std::sin(kPi * (static_cast<double>(i) + 0.5) / total);
    const int velocity = clamp_velocity(78 + 20 * energy + 12 * arch + random.real(-5, 5));
    const int64_t start = humanize(tick, 5, random);
    part.notes.push_back({start, sounding, 0, voice.keys[voice.index], velocity});
    if (harmony) {
      const int below = nearest_key(voice.keys[voice.index] - 4, scale_pitch_classes(song));
      part.notes.push_back({start, sounding, 1, below, clamp_velocity(velocity - 12)});
    }
    tick += length;
  }
}

}  // namespace

Part vocal_part(const Song& song, Random& random) {
  Part part;
  Instrument voice_instrument;
  voice_instrument.program = random.pick(std::vector<int>{52, 52, 53, 53, 54, 54, 85});
  voice_instrument.pan = random.integer(56, 72);
  voice_instrument.reverb = random.integer(30, 90);
  voice_instrument.role = "lead";
  part.instruments.push_back(voice_instrument);
  part.level_db = random.real(-1.0, 3.0);
  const bool harmonies = random.chance(0.4);
  if (harmonies) {
    Instrument harmony = voice_instrument;
    harmony.channel = 1;
    harmony.pan = std::clamp(voice_instrument.pan + random.pick(std::vector<int>{-25, 25}), 0, 127);
    harmony.volume = 85;
    harmony.role = "harmony";
    part.instruments.push_back(harmony);
  }

  const int centre = random.integer(57, 70);
  const int half_range = random.integer(7, 10);
  Voice voice;
  const std::vector<int> scale = scale_pitch_classes(song);
  for (int key = centre - half_range; key <= centre + half_range; ++key) {
    if (std::find(scale.begin(), scale.end(), key % 12) != scale.end()) voice.keys.push_back(key);
  }
  voice.index = voice.keys.size() / 2;

  const Meter& meter = song.meter;
  const double bar_seconds = static_cast<double>(meter.bar_ticks()) * song.seconds_per_tick();
  const int unit_bars = bar_seconds < 2.5 ? 2 : 1;
  const int unit_pulses = unit_bars * meter.pulses_per_bar();
  std::map<std::pair<SectionKind, int>, Motif> motifs;
  for (int bar = 0; bar < song.bars; ++bar) {
    const Section& section = song.section_of_bar(bar);
    const int within = bar - section.first_bar;
    if (!section.vocals || within % unit_bars != 0) continue;
    if (random.chance(0.12)) continue;  // a breath longer than usual
    const std::pair<SectionKind, int> slot = {section.kind, (within / unit_bars) % 2};
    if (motifs.count(slot) == 0 || random.chance(0.3))
      motifs[slot] = new_motif(meter, unit_pulses, random);
    const bool harmony = harmonies && section.kind == SectionKind::Chorus;
    sing(part, song, motifs[slot], bar * meter.bar_ticks(), voice, section.energy, harmony, random);
  }
  return part;
}

}  // namespace auralflow::synth::detail
