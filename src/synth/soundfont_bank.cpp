#include "synth/soundfont_bank.hpp"

#include <filesystem>
#include <mutex>

#include "auralflow/error.hpp"
#include "synth/score.hpp"

namespace auralflow::synth::detail {
namespace {

// fluidsynth prints warnings (e.g. "No preset found on channel") to stderr; every failure
// that matters is checked and reported as an auralflow::Error instead. Process-wide.
void silence_fluidsynth_log() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const int level : {FLUID_PANIC, FLUID_ERR, FLUID_WARN, FLUID_INFO, FLUID_DBG})
      fluid_set_log_function(level, nullptr, nullptr);
  });
}

}  // namespace

SoundFontBank::SoundFontBank(const std::vector<std::string>& paths, int sample_rate, bool reverb)
    : paths_(paths) {
  silence_fluidsynth_log();
  for (const std::string& path : paths) {
    if (!std::filesystem::is_regular_file(path)) {
      throw Error(file_message(path,
                               "SoundFont not found (install fluid-soundfont-gm or give "
                               "another .sf2 file)"));
    }
    if (fluid_is_soundfont(path.c_str()) == 0)
      throw Error(file_message(path, "not a SoundFont 2 (.sf2) file"));
  }
  settings_ = new_fluid_settings();
  if (settings_ == nullptr) throw Error("fluidsynth: cannot create its settings");
  fluid_settings_setnum(settings_, "synth.sample-rate", sample_rate);
  fluid_settings_setint(settings_, "synth.cpu-cores", 1);
  fluid_settings_setint(settings_, "synth.midi-channels", 16);
  fluid_settings_setint(settings_, "synth.chorus.active", 0);
  fluid_settings_setint(settings_, "synth.reverb.active", reverb ? 1 : 0);
  fluid_settings_setnum(settings_, "synth.gain", 0.4);
  owner_ = new_fluid_synth(settings_);
  if (owner_ == nullptr) {
    release();
    throw Error("fluidsynth: cannot create a synthesizer");
  }
  for (const std::string& path : paths) {
    const int id = fluid_synth_sfload(owner_, path.c_str(), 0);
    fluid_sfont_t* font = id == FLUID_FAILED ? nullptr : fluid_synth_get_sfont_by_id(owner_, id);
    if (font == nullptr) {
      release();
      throw Error(file_message(path, "fluidsynth could not load this SoundFont"));
    }
    fonts_.push_back(font);
  }
}

SoundFontBank::~SoundFontBank() { release(); }

void SoundFontBank::release() {
  if (owner_ != nullptr) delete_fluid_synth(owner_);  // unloads the SoundFonts
  if (settings_ != nullptr) delete_fluid_settings(settings_);
  owner_ = nullptr;
  settings_ = nullptr;
  fonts_.clear();
}

Preset SoundFontBank::resolve(size_t preferred, int bank, int program) const {
  std::vector<size_t> order = {preferred};
  for (size_t i = 0; i < fonts_.size(); ++i)
    if (i != preferred) order.push_back(i);
  for (const int candidate : {program, 0}) {
    if (candidate != program && bank != kDrumBank) break;
    for (const size_t index : order) {
      if (fluid_preset_t* preset = fluid_sfont_get_preset(fonts_[index], bank, candidate)) {
        return {index, bank, candidate, fluid_preset_get_name(preset)};
      }
    }
  }
  throw Error(file_message(paths_[preferred], "no preset for bank " + std::to_string(bank) +
                                                  " program " + std::to_string(program) +
                                                  " (a General MIDI SoundFont is needed)"));
}

}  // namespace auralflow::synth::detail
