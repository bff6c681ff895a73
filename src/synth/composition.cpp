// compose_song: key, mode, meter, tempo, a song form (intro, verses, choruses, bridges,
// instrumental breaks) and one chord progression per section kind. The piece is an excerpt
// of that form: it starts at the top or at a section boundary further in.
#include <algorithm>
#include <cmath>
#include <map>

#include "synth/score.hpp"
#include "synth/song.hpp"

namespace auralflow::synth::detail {
namespace {

struct ModeChoice {
  const char* name;
  std::vector<int> scale;
  double weight;
  bool minor;  // whether the minor-key progressions fit
};

const std::vector<ModeChoice>& modes() {
  static const std::vector<ModeChoice> table = {
      {"major", {0, 2, 4, 5, 7, 9, 11}, 4.0, false},
      {"minor", {0, 2, 3, 5, 7, 8, 10}, 3.0, true},
      {"dorian", {0, 2, 3, 5, 7, 9, 10}, 1.5, true},
      {"mixolydian", {0, 2, 4, 5, 7, 9, 10}, 1.5, false},
      {"harmonic minor", {0, 2, 3, 5, 7, 8, 11}, 1.0, true},
      {"lydian", {0, 2, 4, 6, 7, 9, 11}, 0.5, false},
      {"phrygian", {0, 1, 3, 5, 7, 8, 10}, 0.5, true},
  };
  return table;
}

struct MeterChoice {
  Meter meter;
  double weight;
  double min_bpm, max_bpm;  // felt beats per minute
};

const std::vector<MeterChoice>& meters() {
  const int64_t q = kTicksPerQuarter;
  static const std::vector<MeterChoice> table = {
      {{4, 4, 4, 2, q}, 6.0, 72, 150},        {{3, 4, 3, 2, q}, 2.0, 80, 160},
      {{6, 8, 2, 3, q * 3 / 2}, 2.0, 48, 96}, {{12, 8, 4, 3, q * 3 / 2}, 1.0, 48, 88},
      {{2, 4, 2, 2, q}, 0.7, 90, 150},        {{5, 4, 5, 2, q}, 0.4, 80, 140},
  };
  return table;
}

// Scale degrees (0-based: 0 = I/i, 4 = V/v), one chord each.
const std::vector<std::vector<int>>& major_progressions() {
  static const std::vector<std::vector<int>> table = {
      {0, 4, 5, 3}, {0, 5, 3, 4}, {0, 3, 4, 3},
      {5, 3, 0, 4}, {0, 3, 0, 4}, {1, 4, 0, 0},
      {0, 2, 3, 4}, {3, 4, 0, 5}, {0, 4, 5, 2, 3, 0, 3, 4},
      {0, 3}};
  return table;
}

const std::vector<std::vector<int>>& minor_progressions() {
  static const std::vector<std::vector<int>> table = {{0, 5, 2, 6}, {0, 3, 4, 0}, {0, 6, 5, 6},
                                                      {0, 5, 3, 4}, {0, 3, 6, 2}, {0, 6, 5, 4},
                                                      {5, 6, 0, 0}, {0, 3}};
  return table;
}

// Functional-harmony random walk: weights of the next degree after each degree.
std::vector<int> walk_progression(Random& random, int first, int length) {
  static const std::vector<std::vector<double>> next = {
      {0.0, 1.0, 0.5, 2.0, 2.0, 1.5, 0.3}, {0.5, 0.0, 0.0, 1.0, 3.0, 0.0, 0.5},
      {0.0, 0.5, 0.0, 1.5, 0.0, 2.0, 0.0}, {2.0, 1.0, 0.0, 0.0, 2.0, 0.5, 0.5},
      {3.0, 0.0, 0.0, 0.5, 0.0, 1.5, 0.0}, {0.0, 1.5, 0.5, 2.0, 1.0, 0.0, 0.0},
      {2.0, 0.0, 1.0, 0.0, 0.0, 0.5, 0.0}};
  std::vector<int> degrees = {first};
  while (static_cast<int>(degrees.size()) < length)
    degrees.push_back(static_cast<int>(random.weighted(next[degrees.back()])));
  return degrees;
}

std::vector<int> choose_progression(Random& random, bool minor, int first) {
  if (random.chance(0.4)) return walk_progression(random, first, random.chance(0.8) ? 4 : 3);
  return random.pick(minor ? minor_progressions() : major_progressions());
}

// Triad (or seventh chord, or sus chord) on scale degree `degree`, from the scale's own notes.
Chord diatonic_chord(const Song& song, int degree, bool seventh, Random& random) {
  const std::vector<int>& scale = song.scale;
  const auto above = [&](int steps) {
    return (scale[(degree + steps) % 7] - scale[degree] + 12) % 12;
  };
  Chord chord;
  chord.root = (song.tonic + scale[degree]) % 12;
  const double sus = random.real(0.0, 1.0);
  const int third = sus < 0.05 ? above(1) : sus < 0.1 ? above(3) : above(2);
  chord.tones = {0, third, above(4)};
  if (seventh) chord.tones.push_back(above(6));
  return chord;
}

struct FormEntry {
  SectionKind kind;
  int bars;
};

// A song form with at least `min_bars` bars after `*start_bar` (a section boundary: the top
// half of the time, otherwise the start of one of the next three sections).
std::vector<FormEntry> plan_form(Random& random, int min_bars, int* start_bar) {
  std::vector<FormEntry> form;
  if (random.chance(0.8)) form.push_back({SectionKind::Intro, random.chance(0.5) ? 2 : 4});
  const int verse_bars = random.chance(0.7) ? 8 : 4;
  const int chorus_bars = random.chance(0.7) ? 8 : 4;
  const size_t skip = random.chance(0.5) ? static_cast<size_t>(random.integer(1, 3)) : 0;
  const auto bars_of = [&form](size_t count) {
    int bars = 0;
    for (size_t i = 0; i < std::min(count, form.size()); ++i) bars += form[i].bars;
    return bars;
  };
  for (int round = 0; form.size() <= skip || bars_of(form.size()) - bars_of(skip) < min_bars;
       ++round) {
    form.push_back({SectionKind::Verse, verse_bars});
    form.push_back({SectionKind::Chorus, chorus_bars});
    if (round == 1) {
      form.push_back({random.chance(0.6) ? SectionKind::Bridge : SectionKind::Break,
                      random.chance(0.5) ? 4 : 8});
    }
  }
  *start_bar = bars_of(skip);
  return form;
}

Section make_section(Random& random, SectionKind kind, int first_bar, int bars, bool sung) {
  static const std::map<SectionKind, double> energy = {{SectionKind::Intro, 0.3},
                                                       {SectionKind::Verse, 0.5},
                                                       {SectionKind::Chorus, 0.85},
                                                       {SectionKind::Bridge, 0.6},
                                                       {SectionKind::Break, 0.7}};
  Section section;
  section.kind = kind;
  section.first_bar = first_bar;
  section.bars = bars;
  section.energy = std::clamp(energy.at(kind) + random.real(-0.12, 0.12), 0.1, 1.0);
  section.vocals = sung && (kind == SectionKind::Verse || kind == SectionKind::Chorus ||
                            (kind == SectionKind::Bridge && random.chance(0.7)));
  return section;
}

}  // namespace

Song compose_song(Random& random, double seconds) {
  Song song;
  song.tonic = random.integer(0, 11);
  std::vector<double> weights;
  for (const ModeChoice& mode : modes()) weights.push_back(mode.weight);
  const ModeChoice& mode = modes()[random.weighted(weights)];
  song.mode = mode.name;
  song.scale = mode.scale;
  weights.clear();
  for (const MeterChoice& meter : meters()) weights.push_back(meter.weight);
  const MeterChoice& meter = meters()[random.weighted(weights)];
  song.meter = meter.meter;
  song.bpm = std::round(random.real(meter.min_bpm, meter.max_bpm));
  song.swing = !song.meter.compound() && random.chance(0.15);

  const double bar_seconds = static_cast<double>(song.meter.bar_ticks()) * song.seconds_per_tick();
  song.bars = static_cast<int>(std::ceil(seconds / bar_seconds)) + 1;
  int start_bar = 0;
  const std::vector<FormEntry> form = plan_form(random, song.bars, &start_bar);

  // One progression and harmonic rhythm (ticks per chord) per section kind.
  const bool sevenths = random.chance(0.3);
  const bool sung = random.chance(0.95);
  const int64_t bar_ticks = song.meter.bar_ticks();
  std::map<SectionKind, std::vector<int>> progressions;
  std::map<SectionKind, int64_t> chord_ticks;
  for (const SectionKind kind : {SectionKind::Verse, SectionKind::Chorus, SectionKind::Bridge}) {
    const int first = kind == SectionKind::Bridge ? random.pick(std::vector<int>{3, 5, 1}) : 0;
    progressions[kind] = choose_progression(random, mode.minor, first);
    const std::vector<double> rhythm_weights = {3.0, song.meter.beats % 2 == 0 ? 1.0 : 0.0, 1.0};
    const size_t rhythm = random.weighted(rhythm_weights);
    chord_ticks[kind] = rhythm == 0 ? bar_ticks : rhythm == 1 ? bar_ticks / 2 : 2 * bar_ticks;
  }
  const SectionKind intro_source = random.chance(0.5) ? SectionKind::Verse : SectionKind::Chorus;
  progressions[SectionKind::Intro] = progressions[intro_source];
  chord_ticks[SectionKind::Intro] = chord_ticks[intro_source];
  progressions[SectionKind::Break] = progressions[SectionKind::Verse];
  chord_ticks[SectionKind::Break] = chord_ticks[SectionKind::Verse];

  int form_bar = 0;
  for (const FormEntry& entry : form) {
    const int first = form_bar - start_bar;  // bar within the excerpt
    form_bar += entry.bars;
    if (first + entry.bars <= 0) continue;
    if (first >= song.bars) break;
    const int begin = std::max(first, 0);
    const int end = std::min(first + entry.bars, song.bars);
    song.sections.push_back(make_section(random, entry.kind, begin, end - begin, sung));
    const std::vector<int>& degrees = progressions[entry.kind];
    const int64_t length = chord_ticks[entry.kind];
    const int64_t section_start = first * bar_ticks;
    for (int64_t tick = section_start, slot = 0; tick < (first + entry.bars) * bar_ticks;
         tick += length, ++slot) {
      if (tick + length <= begin * bar_ticks || tick >= end * bar_ticks) continue;
      Chord chord = diatonic_chord(song, degrees[static_cast<size_t>(slot) % degrees.size()],
                                   sevenths, random);
      chord.start = std::max(tick, begin * bar_ticks);
      chord.length = std::min(tick + length, end * bar_ticks) - chord.start;
      song.chords.push_back(chord);
    }
  }
  return song;
}

}  // namespace auralflow::synth::detail
