// drum_part: one groove per section (with a variation on every other bar), fills at the ends
// of sections and of some 4-bar phrases, a crash on the downbeat after a fill.
#include <algorithm>

#include "synth/parts.hpp"

namespace auralflow::synth::detail {
namespace {

// General MIDI percussion keys.
enum Key : int {
  kKick = 36,
  kSideStick = 37,
  kSnare = 38,
  kClap = 39,
  kElectricSnare = 40,
  kClosedHat = 42,
  kPedalHat = 44,
  kOpenHat = 46,
  kCrash = 49,
  kRide = 51,
  kTambourine = 54,
  kCrash2 = 57,
  kShaker = 70
};
const std::vector<int> kToms = {50, 48, 47, 45, 43, 41};  // high to low

enum class Style { Backbeat, FourOnTheFloor, HalfTime, Sparse, Latin };

struct Hit {
  int step;
  int key;
  double velocity;
};

struct Groove {
  Style style;
  int per_pulse;  // grid steps per pulse: 1 (eighths) or 2 (sixteenths)
  int snare;      // snare or clap key
  bool shaker;
};

bool is_backbeat(const Meter& meter, int beat) {
  if (meter.beats == 3) return beat > 0;
  return beat % 2 == 1;
}

// One bar of the groove at a section's energy: (step, key, velocity) hits.
std::vector<Hit> groove_bar(const Song& song, const Groove& groove, const Section& section,
                            Random& random) {
  const Meter& meter = song.meter;
  const int steps = meter.pulses_per_bar() * groove.per_pulse;
  const int steps_per_beat = meter.pulses_per_beat * groove.per_pulse;
  const double energy = section.energy;
  const bool ride =
      groove.style == Style::Sparse || (section.kind == SectionKind::Chorus && random.chance(0.35));
  const int hat_every = groove.style == Style::Sparse && random.chance(0.5) ? steps_per_beat
                        : groove.per_pulse == 2 && energy < 0.55            ? 2
                                                                            : 1;
  std::vector<Hit> hits;
  for (int step = 0; step < steps; ++step) {
    const bool on_pulse = step % groove.per_pulse == 0;
    const double weight = on_pulse ? metric_weight(meter, step / groove.per_pulse) : 0.15;
    const bool on_beat = step % steps_per_beat == 0;
    const int beat = step / steps_per_beat;
    // Time-keeping: hats or ride.
    if (step % hat_every == 0) {
      const bool open = !ride && step == steps - groove.per_pulse && random.chance(0.3);
      hits.push_back({step,
                      ride   ? kRide
                      : open ? kOpenHat
                             : kClosedHat,
                      55 + 45 * weight + random.real(-8, 8)});
    }
    // Kick.
    double kick = 0.0;
    switch (groove.style) {
      case Style::FourOnTheFloor:
        kick = on_beat ? 1.0 : 0.0;
        break;
      case Style::HalfTime:
        kick = step == 0 ? 1.0 : on_pulse ? 0.12 * energy : 0.0;
        break;
      case Style::Sparse:
        kick = step == 0 ? 1.0 : on_beat ? 0.35 : 0.0;
        break;
      case Style::Latin:
        kick = on_beat ? 0.7 : on_pulse ? 0.25 : 0.0;
        break;
      case Style::Backbeat:
        kick = step == 0 ? 1.0 : weight >= 0.75 ? 0.8 : on_beat ? 0.15 : 0.25 * energy * weight;
        break;
    }
    const bool backbeat = on_beat && is_backbeat(meter, beat);
    if (!backbeat || groove.style == Style::FourOnTheFloor) {
      if (step == 0 || random.chance(kick))
        hits.push_back({step, kKick, 95 + random.real(-10, 15)});
    }
    // Snare, clap or side stick.
    if (groove.style == Style::Latin) {
      if (!on_beat && on_pulse && random.chance(0.3))
        hits.push_back({step, kSideStick, 70 + random.real(-10, 10)});
    } else if (groove.style == Style::HalfTime ? on_beat && beat == std::max(1, meter.beats / 2)
                                               : backbeat) {
      const int key = groove.style == Style::Sparse ? kSideStick : groove.snare;
      hits.push_back({step, key, 100 + random.real(-10, 15)});
    } else if (!on_beat && groove.style != Style::FourOnTheFloor && random.chance(0.1 * energy)) {
      hits.push_back({step, kSnare, 30 + random.real(0, 15)});  // ghost note
    }
    // Colour: pedal hat, tambourine, shaker.
    if (groove.style == Style::Sparse && on_beat && beat % 2 == 1)
      hits.push_back({step, kPedalHat, 60 + random.real(-8, 8)});
    if (section.kind == SectionKind::Chorus && backbeat && energy > 0.7)
      hits.push_back({step, kTambourine, 70 + random.real(-10, 10)});
    if (groove.shaker && energy > 0.4) hits.push_back({step, kShaker, 40 + 30 * weight});
  }
  return hits;
}

// The fill over the last `beats` beats of a bar: a snare roll, a tom run or both.
std::vector<Hit> fill(const Meter& meter, int per_pulse, int beats, Random& random) {
  const int steps_per_beat = meter.pulses_per_beat * per_pulse;
  const int steps = meter.pulses_per_bar() * per_pulse;
  const int first = steps - beats * steps_per_beat;
  const int kind = random.integer(0, 2);  // 0 snare, 1 toms, 2 snare then toms
  std::vector<Hit> hits;
  for (int step = first; step < steps; ++step) {
    const double progress = static_cast<double>(step - first) / (steps - first);
    if (random.chance(0.15)) continue;
    const bool toms = kind == 1 || (kind == 2 && progress >= 0.5);
    const int key = toms ? kToms[static_cast<size_t>(std::min<double>(progress * 6, 5))] : kSnare;
    hits.push_back({step, key, 70 + 45 * progress + random.real(-6, 6)});
  }
  hits.push_back({steps - 1, kKick, 90});
  return hits;
}

Groove choose_groove(const Song& song, Random& random) {
  const Meter& meter = song.meter;
  const bool simple = !meter.compound();
  const std::vector<double> weights = {4.0, simple && meter.beats % 2 == 0 ? 1.5 : 0.0, 1.0, 1.2,
                                       simple ? 0.8 : 0.0};
  Groove groove;
  groove.style = static_cast<Style>(random.weighted(weights));
  groove.per_pulse = simple && song.bpm < 115 && !song.swing && random.chance(0.5) ? 2 : 1;
  groove.snare = groove.style == Style::FourOnTheFloor && random.chance(0.5) ? kClap
                 : random.chance(0.3)                                        ? kElectricSnare
                                                                             : kSnare;
  groove.shaker = random.chance(0.2);
  return groove;
}

int choose_kit(Style style, Random& random) {
  switch (style) {
    case Style::FourOnTheFloor:
      return random.pick(std::vector<int>{24, 25, 0, 16});
    case Style::Sparse:
      return random.pick(std::vector<int>{32, 40, 0});
    case Style::Latin:
      return random.pick(std::vector<int>{0, 8, 32});
    default:
      return random.pick(std::vector<int>{0, 0, 8, 16, 25});
  }
}

}  // namespace

Part drum_part(const Song& song, Random& random) {
  const Groove groove = choose_groove(song, random);
  Part part;
  Instrument kit;
  kit.channel = kDrumChannel;
  kit.bank = kDrumBank;
  kit.program = choose_kit(groove.style, random);
  kit.pan = random.integer(56, 72);
  kit.reverb = random.integer(10, 60);
  part.instruments.push_back(kit);
  part.level_db = random.real(-2.0, 2.0);
  if (random.chance(0.04)) return part;  // a piece without drums

  const Meter& meter = song.meter;
  const int64_t length = meter.pulse_ticks() / (2 * groove.per_pulse);
  const bool silent_intro = random.chance(0.35);
  std::vector<Hit> bar_a, bar_b;
  const Section* current = nullptr;
  for (int bar = 0; bar < song.bars; ++bar) {
    const Section& section = song.section_of_bar(bar);
    if (section.kind == SectionKind::Intro && silent_intro) continue;
    const bool section_start = &section != current;
    if (section_start) {
      current = &section;
      bar_a = groove_bar(song, groove, section, random);
      bar_b = random.chance(0.5) ? groove_bar(song, groove, section, random) : bar_a;
    }
    std::vector<Hit> hits = (bar - section.first_bar) % 2 == 0 ? bar_a : bar_b;
    const bool phrase_end = (bar - section.first_bar) % 4 == 3 && random.chance(0.35);
    if (song.ends_section(bar) || phrase_end) {
      const int beats = random.chance(0.7) ? 1 : std::min(2, meter.beats);
      const int first = (meter.beats - beats) * meter.pulses_per_beat * groove.per_pulse;
      hits.erase(std::remove_if(hits.begin(), hits.end(),
                                [&](const Hit& hit) { return hit.step >= first; }),
                 hits.end());
      const std::vector<Hit> roll = fill(meter, groove.per_pulse, beats, random);
      hits.insert(hits.end(), roll.begin(), roll.end());
    }
    if (section_start && (bar > 0 || random.chance(0.5)))
      hits.push_back({0, random.chance(0.7) ? kCrash : kCrash2, 105});
    const double scale = 0.8 + 0.3 * section.energy;
    for (const Hit& hit : hits) {
      const int64_t start = humanize(step_tick(song, bar, hit.step, groove.per_pulse), 6, random);
      part.notes.push_back(
          {start, length, kDrumChannel, hit.key, clamp_velocity(hit.velocity * scale)});
    }
  }
  return part;
}

}  // namespace auralflow::synth::detail
