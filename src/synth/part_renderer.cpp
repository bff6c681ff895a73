#include "synth/part_renderer.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <tuple>

#include "auralflow/error.hpp"

namespace auralflow::synth::detail {
namespace {

struct Event {
  int64_t frame;
  bool on;  // note-offs sort before note-ons of the same frame
  int channel;
  int key;
  int velocity;

  bool operator<(const Event& other) const {
    return std::tie(frame, on, channel, key, velocity) <
           std::tie(other.frame, other.on, other.channel, other.key, other.velocity);
  }
};

// A synthesizer with the bank's SoundFonts attached (not owned: removed before deletion).
class SynthHandle {
 public:
  explicit SynthHandle(const SoundFontBank& bank)
      : bank_(bank), synth_(new_fluid_synth(bank.settings())) {
    if (synth_ == nullptr) throw Error("fluidsynth: cannot create a synthesizer");
    for (size_t i = 0; i < bank.size(); ++i)
      ids_.push_back(fluid_synth_add_sfont(synth_, bank.font(i)));
  }
  ~SynthHandle() {
    for (size_t i = 0; i < bank_.size(); ++i) fluid_synth_remove_sfont(synth_, bank_.font(i));
    delete_fluid_synth(synth_);
  }
  SynthHandle(const SynthHandle&) = delete;
  SynthHandle& operator=(const SynthHandle&) = delete;

  fluid_synth_t* get() const { return synth_; }
  int id(size_t font) const { return ids_[font]; }

 private:
  const SoundFontBank& bank_;
  fluid_synth_t* synth_;
  std::vector<int> ids_;  // fluidsynth's id of each bank font in this synthesizer
};

void set_up(const SynthHandle& synth, const SoundFontBank& bank, const Instrument& instrument,
            size_t font) {
  const Preset preset = bank.resolve(font, instrument.bank, instrument.program);
  fluid_synth_t* handle = synth.get();
  if (fluid_synth_program_select(handle, instrument.channel, synth.id(preset.font), preset.bank,
                                 preset.program) != FLUID_OK) {
    throw Error("fluidsynth: cannot select bank " + std::to_string(preset.bank) + " program " +
                std::to_string(preset.program) + " on channel " +
                std::to_string(instrument.channel));
  }
  fluid_synth_cc(handle, instrument.channel, 7, instrument.volume);
  fluid_synth_cc(handle, instrument.channel, 10, instrument.pan);
  fluid_synth_cc(handle, instrument.channel, 91, instrument.reverb);
  fluid_synth_cc(handle, instrument.channel, 93, 0);
}

// Note on/off events in frames; a note that is still sounding when the same key starts again
// on its channel is ended there (so its note-off cannot cut the new note short).
std::vector<Event> note_events(std::vector<Note> notes, const PartTiming& timing) {
  std::sort(notes.begin(), notes.end(), [](const Note& a, const Note& b) {
    return std::tie(a.channel, a.key, a.start) < std::tie(b.channel, b.key, b.start);
  });
  const auto frame = [&timing](int64_t tick) {
    return static_cast<int64_t>(
        std::llround(static_cast<double>(tick) * timing.seconds_per_tick * timing.sample_rate));
  };
  std::vector<Event> events;
  for (size_t i = 0; i < notes.size(); ++i) {
    const Note& note = notes[i];
    int64_t end = note.start + note.length;
    if (i + 1 < notes.size() && notes[i + 1].channel == note.channel &&
        notes[i + 1].key == note.key)
      end = std::min(end, notes[i + 1].start);
    const int64_t on = frame(note.start);
    const int64_t off = std::max(frame(end), on + 1);
    if (on >= timing.frames) continue;
    events.push_back({on, true, note.channel, note.key, note.velocity});
    events.push_back({off, false, note.channel, note.key, 0});
  }
  std::sort(events.begin(), events.end());
  return events;
}

}  // namespace

void render_part(const SoundFontBank& bank, const Part& part, size_t font, const Room& room,
                 const PartTiming& timing, float* left, float* right) {
  SynthHandle synth(bank);
  fluid_synth_t* handle = synth.get();
  // Linear interpolation: the samples are played near their recorded pitch, and it costs
  // about a third less than the default 4th-order one (the speed target is 20x real time).
  fluid_synth_set_interp_method(handle, -1, FLUID_INTERP_LINEAR);
  fluid_synth_set_reverb_group_roomsize(handle, -1, room.size);
  fluid_synth_set_reverb_group_damp(handle, -1, room.damping);
  fluid_synth_set_reverb_group_width(handle, -1, room.width);
  fluid_synth_set_reverb_group_level(handle, -1, room.level);
  for (const Instrument& instrument : part.instruments) set_up(synth, bank, instrument, font);

  int64_t position = 0;
  const auto render_until = [&](int64_t frame) {
    while (position < frame) {
      const int block = static_cast<int>(std::min<int64_t>(frame - position, 1 << 20));
      fluid_synth_write_float(handle, block, left + position, 0, 1, right + position, 0, 1);
      position += block;
    }
  };
  for (const Event& event : note_events(part.notes, timing)) {
    if (event.frame >= timing.frames) break;
    render_until(event.frame);
    if (event.on) {
      fluid_synth_noteon(handle, event.channel, event.key, event.velocity);
    } else {
      fluid_synth_noteoff(handle, event.channel, event.key);
    }
  }
  render_until(timing.frames);
}

}  // namespace auralflow::synth::detail
