// accompaniment_part: 2–3 instruments from different families, each with a role (sustained
// chords, comping, arpeggios, strums, stabs), a register and a place in the stereo field.
// Chords are voiced close to the previous voicing (voice leading) around the register.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <numeric>

#include "synth/parts.hpp"

namespace auralflow::synth::detail {
namespace {

enum class Role { Sustained, Comping, Arpeggio, Strum, Stabs };

struct Family {
  const char* name;
  std::vector<int> programs;
  std::vector<Role> roles;
  int low, high;  // register of the voicings (MIDI keys)
  double weight;
};

const std::vector<Family>& families() {
  static const std::vector<Family> table = {
      {"keys", {0, 1, 2, 4, 5, 7}, {Role::Comping, Role::Arpeggio, Role::Sustained}, 52, 76, 3.0},
      {"organ", {16, 17, 18, 19}, {Role::Sustained, Role::Comping}, 50, 74, 1.0},
      {"guitar",
       {24, 25, 26, 27, 28, 29, 30},
       {Role::Strum, Role::Arpeggio, Role::Comping},
       50,
       74,
       2.5},
      {"strings", {48, 49, 50, 44}, {Role::Sustained}, 55, 81, 2.0},
      {"pad", {88, 89, 90, 92, 94, 95}, {Role::Sustained}, 48, 76, 1.5},
      {"brass", {61, 62, 56, 57}, {Role::Stabs, Role::Sustained}, 55, 77, 1.0},
      {"mallets", {11, 12, 46, 8, 10}, {Role::Arpeggio}, 60, 88, 1.0},
  };
  return table;
}

const char* role_name(Role role) {
  switch (role) {
    case Role::Sustained:
      return "sustained";
    case Role::Comping:
      return "comping";
    case Role::Arpeggio:
      return "arpeggio";
    case Role::Strum:
      return "strum";
    case Role::Stabs:
      return "stabs";
  }
  return "";
}

struct Player {
  Role role;
  int low, high;
  int voices;                 // notes per chord: 3 or 4
  double density;             // how many pulses get a hit (comping, stabs)
  int per_pulse;              // arpeggio steps per pulse
  int pattern;                // arpeggio order: 0 up, 1 down, 2 up-down, 3 random
  std::vector<int> previous;  // last voicing, for voice leading
};

// `voices` keys of the chord around the middle of [low, high], moving as little as possible
// from `previous`.
std::vector<int> voice_chord(const Chord& chord, const Player& player) {
  const int centre = (player.low + player.high) / 2;
  std::vector<int> best;
  int best_cost = 0;
  const int tones = static_cast<int>(chord.tones.size());
  for (int inversion = 0; inversion < tones; ++inversion) {
    for (int octave = player.low / 12 - 1; octave <= player.high / 12; ++octave) {
      std::vector<int> keys;
      for (int v = 0; v < player.voices; ++v) {
        const int index = (inversion + v) % tones;
        const int wraps = (inversion + v) / tones;
        keys.push_back(12 * (octave + wraps) + chord.root +
                       chord.tones[static_cast<size_t>(index)]);
      }
      const int mean = std::accumulate(keys.begin(), keys.end(), 0) / player.voices;
      int cost = std::abs(mean - centre) + 10 * std::max(0, player.low - keys.front()) +
                 10 * std::max(0, keys.back() - player.high);
      if (player.previous.size() == keys.size()) {
        for (size_t v = 0; v < keys.size(); ++v) cost += std::abs(keys[v] - player.previous[v]);
      }
      if (best.empty() || cost < best_cost) {
        best = keys;
        best_cost = cost;
      }
    }
  }
  return best;
}

// Pulses of a bar with a hit for comping/stabs: the downbeat often, others by metric weight.
std::vector<int> hit_pulses(const Meter& meter, double density, Random& random) {
  std::vector<int> pulses;
  for (int pulse = 0; pulse < meter.pulses_per_bar(); ++pulse) {
    const double weight = metric_weight(meter, pulse);
    if (random.chance(pulse == 0 ? 0.85 : density * (0.4 + weight))) pulses.push_back(pulse);
  }
  if (pulses.empty()) pulses.push_back(random.integer(0, meter.pulses_per_bar() - 1));
  return pulses;
}

void play_chord(Part& part, const std::vector<int>& keys, int channel, int64_t start,
                int64_t length, double velocity, int64_t spread, Random& random) {
  for (size_t v = 0; v < keys.size(); ++v) {
    const int64_t offset = spread * static_cast<int64_t>(v);
    if (offset >= length) break;
    part.notes.push_back({humanize(start + offset, 3, random), length - offset, channel, keys[v],
                          clamp_velocity(velocity + random.real(-6, 6))});
  }
}

// One bar of `player` over the chords it crosses.
void play_bar(Part& part, const Song& song, Player& player, int channel, int bar,
              const std::vector<int>& pulses, double velocity, Random& random) {
  const Meter& meter = song.meter;
  const int64_t bar_start = bar * meter.bar_ticks();
  const int64_t bar_end = bar_start + meter.bar_ticks();
  if (player.role == Role::Sustained) {
    for (int64_t tick = bar_start; tick < bar_end;) {
      const Chord& chord = song.chord_at(tick);
      const int64_t end = std::min(bar_end, chord.start + chord.length);
      player.previous = voice_chord(chord, player);
      play_chord(part, player.previous, channel, tick, end - tick - 10, velocity, 0, random);
      tick = end;
    }
    return;
  }
  if (player.role == Role::Arpeggio) {
    const int steps = meter.pulses_per_bar() * player.per_pulse;
    const int64_t step_length = meter.pulse_ticks() / player.per_pulse;
    for (int step = 0; step < steps; ++step) {
      const int64_t tick = step_tick(song, bar, step, player.per_pulse);
      const Chord& chord = song.chord_at(tick);
      player.previous = voice_chord(chord, player);
      const int count = static_cast<int>(player.previous.size());
      const int cycle = 2 * count - 2;
      int index = step % count;
      if (player.pattern == 1) index = count - 1 - index;
      if (player.pattern == 2) index = step % cycle < count ? step % cycle : cycle - step % cycle;
      if (player.pattern == 3) index = random.integer(0, count - 1);
      const int64_t length = step_length * (random.chance(0.5) ? 2 : 1);
      part.notes.push_back(
          {humanize(tick, 3, random), length, channel, player.previous[static_cast<size_t>(index)],
           clamp_velocity(velocity - 8 + 16 * metric_weight(meter, step / player.per_pulse))});
    }
    return;
  }
  for (size_t i = 0; i < pulses.size(); ++i) {
    const int64_t tick = pulse_tick(song, bar, pulses[i]);
    const int64_t next = i + 1 < pulses.size() ? pulse_tick(song, bar, pulses[i + 1]) : bar_end;
    const Chord& chord = song.chord_at(tick);
    player.previous = voice_chord(chord, player);
    const bool short_hit = player.role == Role::Stabs || random.chance(0.3);
    const int64_t length = short_hit ? meter.pulse_ticks() / 2 : (next - tick) * 9 / 10;
    const bool up = player.role == Role::Strum && pulses[i] % meter.pulses_per_beat != 0;
    std::vector<int> keys = player.previous;
    if (up) std::reverse(keys.begin(), keys.end());
    const int64_t spread = player.role == Role::Strum ? random.integer(8, 20) : 0;
    const double accent = 14 * metric_weight(meter, pulses[i]);
    play_chord(part, keys, channel, tick, length, velocity + accent - 7, spread, random);
  }
}

}  // namespace

Part accompaniment_part(const Song& song, Random& random) {
  Part part;
  part.level_db = random.real(-3.0, 1.0);
  const int count = random.chance(0.5) ? 2 : 3;
  std::vector<double> weights;
  for (const Family& family : families()) weights.push_back(family.weight);
  // A harmonic bed first (keys, guitar, organ, strings or pad), then any other families.
  std::vector<Player> players;
  const int first_side = random.chance(0.5) ? -1 : 1;
  for (int i = 0; i < count; ++i) {
    std::vector<double> allowed = weights;
    if (i == 0) allowed[5] = allowed[6] = 0.0;  // no brass or mallets alone
    const size_t chosen = random.weighted(allowed);
    weights[chosen] = 0.0;  // one instrument per family
    const Family& family = families()[chosen];
    const Role role = random.pick(family.roles);
    Instrument instrument;
    instrument.channel = i;
    instrument.program = random.pick(family.programs);
    if (role == Role::Strum && instrument.program > 28)
      instrument.program = 25;                           // no distorted strums
    const int side = i == 0 ? first_side : -first_side;  // the third sits near the centre
    instrument.pan = i == 2 ? 64 + random.integer(-15, 15) : 64 + side * random.integer(15, 45);
    instrument.volume = random.integer(85, 115);
    instrument.reverb = random.integer(20, 80);
    instrument.role = std::string(family.name) + " " + role_name(role);
    part.instruments.push_back(instrument);
    const int shift = 12 * random.integer(-1, 1) * (family.high - family.low > 24 ? 1 : 0);
    players.push_back({role,
                       family.low + shift,
                       family.high + shift,
                       random.chance(0.6) ? 3 : 4,
                       random.real(0.2, 0.6),
                       random.chance(0.4) ? 2 : 1,
                       random.integer(0, 3),
                       {}});
  }

  // Per instrument and section kind: a rhythm; in the intro only the first instrument plays.
  const Meter& meter = song.meter;
  for (size_t i = 0; i < players.size(); ++i) {
    std::map<SectionKind, std::vector<int>> rhythms;
    std::map<SectionKind, bool> playing;
    for (int bar = 0; bar < song.bars; ++bar) {
      const Section& section = song.section_of_bar(bar);
      if (playing.count(section.kind) == 0) {
        playing[section.kind] = i == 0 || (section.kind != SectionKind::Intro &&
                                           random.chance(0.45 + 0.55 * section.energy));
        rhythms[section.kind] =
            hit_pulses(meter, players[i].density * (0.6 + section.energy), random);
      }
      if (!playing[section.kind]) continue;
      const double velocity = 60 + 40 * section.energy;
      play_bar(part, song, players[i], static_cast<int>(i), bar, rhythms[section.kind], velocity,
               random);
    }
  }
  return part;
}

}  // namespace auralflow::synth::detail
