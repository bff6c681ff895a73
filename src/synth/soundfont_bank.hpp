#pragma once
// The SoundFonts, loaded once and shared by the short-lived synthesizers that render the
// stems (fluid_synth_add_sfont). A fresh synthesizer per stem keeps every stem independent of
// what was rendered before: a reused one (even after fluid_synth_system_reset) does not give
// bit-identical audio.
#include <fluidsynth.h>

#include <string>
#include <vector>

#include "auralflow/synth.hpp"

namespace auralflow::synth::detail {

/// A preset found in one of the SoundFonts.
struct Preset {
  size_t font = 0;  // index into the bank's SoundFonts
  int bank = 0;
  int program = 0;
  std::string name;  // as the SoundFont names it, e.g. "Choir Aahs"
};

class SoundFontBank {
 public:
  /// Loads `paths` (auralflow::Error naming a missing or unreadable file). Settings are fixed
  /// (one thread, 16 channels, no chorus; reverb as asked) so renders are reproducible.
  SoundFontBank(const std::vector<std::string>& paths, int sample_rate, bool reverb);
  ~SoundFontBank();
  SoundFontBank(const SoundFontBank&) = delete;
  SoundFontBank& operator=(const SoundFontBank&) = delete;

  size_t size() const { return fonts_.size(); }
  fluid_settings_t* settings() const { return settings_; }
  fluid_sfont_t* font(size_t index) const { return fonts_[index]; }

  /// The preset (bank, program) from SoundFont `preferred`, else from the first other one that
  /// has it; a missing percussion kit falls back to the standard kit (program 0). Throws
  /// auralflow::Error naming the SoundFont when none has it.
  Preset resolve(size_t preferred, int bank, int program) const;

 private:
  void release();

  std::vector<std::string> paths_;
  fluid_settings_t* settings_ = nullptr;
  fluid_synth_t* owner_ = nullptr;  // holds the loaded SoundFonts
  std::vector<fluid_sfont_t*> fonts_;
};

}  // namespace auralflow::synth::detail
