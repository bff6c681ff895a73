// write_dataset: MUSDB18-HQ layout, train tracks then test tracks, one Synthesizer for all.
#include <cmath>
#include <cstdio>
#include <system_error>

#include "auralflow/error.hpp"
#include "auralflow/synth.hpp"
#include "synth/random.hpp"

namespace auralflow::synth {
namespace {

namespace fs = std::filesystem;

struct Job {
  Split split;
  int64_t index;   // within the split
  int64_t number;  // within the dataset (names)
  fs::path folder;
};

std::vector<std::string> file_names() {
  std::vector<std::string> names = {"mixture.wav"};
  for (const std::string& stem : stem_names()) names.push_back(stem + ".wav");
  return names;
}

// Rounds (stems, channels, samples) onto the integer grid libsndfile stores for PCM WAV: it
// writes a float x as lrint(x · (2^(bits−1) − 1)). On that grid the sum of the stored stems
// is itself on the grid, so the stored mixture is their exact sum.
torch::Tensor round_to_format(const torch::Tensor& stems, audio::SampleFormat format) {
  if (format == audio::SampleFormat::Float32) return stems;
  const double full_scale = format == audio::SampleFormat::Pcm16 ? 32767.0 : 8388607.0;
  return (stems.to(torch::kDouble) * full_scale).round().div(full_scale).to(torch::kFloat);
}

}  // namespace

std::string split_name(Split split) { return split == Split::Train ? "train" : "test"; }

uint64_t track_seed(uint64_t dataset_seed, Split split, int64_t index) {
  // mix_seed is a bijection, and base + 2·index + split differs for every (split, index).
  const uint64_t base = detail::mix_seed(dataset_seed);
  return detail::mix_seed(base + 2 * static_cast<uint64_t>(index) + (split == Split::Test ? 1 : 0));
}

std::string track_name(int64_t number) {
  char name[32];
  std::snprintf(name, sizeof(name), "synth_%04lld", static_cast<long long>(number));
  return name;
}

void write_dataset(const fs::path& out, const SynthOptions& options,
                   const TrackWritten& on_written) {
  validate(options);
  const int64_t test_tracks = test_track_count(options);
  if (options.tracks() + test_tracks == 0) throw UsageError("synth: no tracks to render");
  std::vector<Job> jobs;
  for (const Split split : {Split::Train, Split::Test}) {
    const int64_t count = split == Split::Train ? options.tracks() : test_tracks;
    for (int64_t index = 0; index < count; ++index) {
      const int64_t number = static_cast<int64_t>(jobs.size());
      jobs.push_back({split, index, number, out / split_name(split) / track_name(number)});
    }
  }
  if (!options.force()) {
    for (const Job& job : jobs) {
      for (const std::string& name : file_names()) {
        if (fs::exists(job.folder / name)) {
          throw ExistsError(file_message(job.folder.string(), "already holds a track"));
        }
      }
    }
  }

  const Synthesizer synthesizer(options);
  for (const Job& job : jobs) {
    const RenderedTrack track =
        synthesizer.render(track_seed(options.seed(), job.split, job.index));
    const RenderedTrack stored{round_to_format(track.stems, options.format()), track.description};
    std::error_code error;
    fs::create_directories(job.folder, error);
    if (error) throw Error(file_message(job.folder.string(), "cannot create: " + error.message()));
    audio::save((job.folder / "mixture.wav").string(), stored.mixture(), options.sample_rate(),
                options.format());
    for (size_t k = 0; k < stem_names().size(); ++k) {
      audio::save((job.folder / (stem_names()[k] + ".wav")).string(),
                  stored.stems[static_cast<int64_t>(k)], options.sample_rate(), options.format());
    }
    if (on_written)
      on_written(job.folder, stored, job.number + 1, static_cast<int64_t>(jobs.size()));
  }
}

}  // namespace auralflow::synth
