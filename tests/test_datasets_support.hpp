#pragma once
// Small generated datasets for the test_datasets_* executables (header-only, since every
// tests/test_*.cpp is its own executable).
//   - MUSDB18-HQ folders: write_track() saves float32 WAV stems (a tone per stem and track)
//     and their exact sum as mixture.wav.
//   - MUSDB18 .stem.mp4: copy_stem_file() copies the real 7-second MUSDB18 fixture under
//     another track name (no encoder is needed in the tests).
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <string>

#include "auralflow/audio.hpp"
#include "auralflow/datasets.hpp"
#include "test_support.hpp"

namespace auralflow::testing {

struct TrackSpec {
  TrackSpec(double seconds_in = 2.0, int sample_rate_in = 8000, int channels_in = 2,
            std::set<std::string> silent_in = {})
      : seconds(seconds_in),
        sample_rate(sample_rate_in),
        channels(channels_in),
        silent(std::move(silent_in)) {}
  double seconds;
  int sample_rate;
  int channels;
  std::set<std::string> silent;  // stems written as zeros
};

/// (channels, seconds · rate) tone of `frequency` Hz with a slow swell, peak `amplitude`;
/// the right channel is at half level, so a channel swap shows.
inline torch::Tensor tone(double frequency, double seconds, int rate, int channels,
                          double amplitude = 0.2) {
  const auto frames = static_cast<int64_t>(std::llround(seconds * rate));
  const torch::Tensor time = torch::arange(frames, torch::kDouble) / rate;  // (frames)
  const torch::Tensor wave = amplitude * torch::sin(2 * M_PI * frequency * time) *
                             (0.6 + 0.4 * torch::sin(2 * M_PI * 0.7 * time));
  if (channels == 1) return wave.unsqueeze(0).to(torch::kFloat);
  return torch::stack({wave, 0.5 * wave}).to(torch::kFloat);  // (2, frames)
}

/// <folder>/<name>/{drums,bass,other,vocals,mixture}.wav; returns the stems' sum.
inline torch::Tensor write_track(const std::filesystem::path& folder, const std::string& name,
                                 int index, const TrackSpec& spec = {}) {
  const auto track = folder / name;
  std::filesystem::create_directories(track);
  torch::Tensor mixture;
  const auto& stems = stem_names();
  for (size_t s = 0; s < stems.size(); ++s) {
    torch::Tensor stem =
        tone(110.0 * (s + 1) + 7.0 * index, spec.seconds, spec.sample_rate, spec.channels);
    if (spec.silent.count(stems[s]) != 0) stem.zero_();
    audio::save((track / (stems[s] + ".wav")).string(), stem, spec.sample_rate,
                audio::SampleFormat::Float32);
    mixture = mixture.defined() ? mixture + stem : stem;
  }
  audio::save((track / "mixture.wav").string(), mixture, spec.sample_rate,
              audio::SampleFormat::Float32);
  return mixture;
}

/// `count` tracks "track00", "track01", ... under <root>/<split folder>.
inline void write_tracks(const std::filesystem::path& folder, int count,
                         const TrackSpec& spec = {}) {
  for (int i = 0; i < count; ++i) {
    write_track(folder, "track" + std::string(i < 10 ? "0" : "") + std::to_string(i), i, spec);
  }
}

/// The real MUSDB18 excerpt (6.8 s, 44.1 kHz stereo AAC, 5 streams) as <folder>/<name>.stem.mp4.
inline void copy_stem_file(const std::filesystem::path& folder, const std::string& name) {
  std::filesystem::create_directories(folder);
  std::filesystem::copy_file(fixture_path("musdb18-sample/train/Music Delta - 80s Rock.stem.mp4"),
                             folder / (name + ".stem.mp4"));
}

/// Track names of a list, in order.
inline std::vector<std::string> names(const std::vector<Track>& tracks) {
  std::vector<std::string> result;
  for (const auto& track : tracks) result.push_back(track.name);
  return result;
}

}  // namespace auralflow::testing
