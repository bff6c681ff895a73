#include <cmath>
#include <sstream>
#include <string>

#include "auralflow/error.hpp"
#include "auralflow/synth.hpp"

namespace auralflow::synth {
namespace {

std::string number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

}  // namespace

void validate(const SynthOptions& options) {
  if (options.soundfonts().empty()) throw UsageError("synth: at least one SoundFont is needed");
  if (!std::isfinite(options.duration()) || options.duration() <= 0.0 ||
      options.duration() > 3600.0) {
    throw UsageError("synth: duration must be in (0, 3600] seconds, got " +
                     number(options.duration()));
  }
  if (options.sample_rate() < 8000 || options.sample_rate() > 96000) {
    throw UsageError("synth: sample rate must be in [8000, 96000] Hz, got " +
                     std::to_string(options.sample_rate()));
  }
  if (options.threads() < 1 || options.threads() > 4) {
    throw UsageError("synth: threads must be in [1, 4], got " + std::to_string(options.threads()));
  }
  if (options.tracks() < 0) {
    throw UsageError("synth: the number of tracks must not be negative, got " +
                     std::to_string(options.tracks()));
  }
  if (options.test_tracks() && *options.test_tracks() < 0) {
    throw UsageError("synth: the number of test tracks must not be negative, got " +
                     std::to_string(*options.test_tracks()));
  }
  if (options.format() == audio::SampleFormat::Flac)
    throw UsageError("synth: the dataset is written as WAV (wav16, wav24 or float32), not FLAC");
}

int64_t test_track_count(const SynthOptions& options) {
  return options.test_tracks().value_or((options.tracks() + 4) / 5);
}

}  // namespace auralflow::synth
