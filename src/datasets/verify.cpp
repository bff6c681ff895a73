// verify_dataset: every problem of a split found from the file headers, reported at once.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "auralflow/audio.hpp"
#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"
#include "layout.hpp"

namespace auralflow {
namespace {

// Stems of a track may differ in length by this much (decoder padding of lossy formats).
constexpr double kLengthToleranceSeconds = 0.05;

// Number of MUSDB18 .stem.mp4 audio streams: mixture, drums, bass, other, vocals.
constexpr int kStemStreams = 5;

std::string seconds(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f s", value);
  return text;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

// Header of each required stem, by stem name; problems (unreadable files, missing streams)
// are appended to `problems`.
std::map<std::string, audio::AudioInfo> read_headers(const Track& track,
                                                     const std::vector<std::string>& stems,
                                                     std::vector<std::string>& problems) {
  std::map<std::string, audio::AudioInfo> headers;
  std::map<std::string, audio::AudioInfo> by_file;  // one header read per file
  std::map<std::string, bool> broken;
  for (const auto& stem : stems) {
    const auto file = track.stems.find(stem);
    if (file == track.stems.end()) continue;
    const std::string& path = file->second.path;
    if (broken[path]) continue;
    if (by_file.count(path) == 0) {
      try {
        by_file[path] = audio::info(path);
      } catch (const Error& error) {
        problems.push_back(error.what());
        broken[path] = true;
        continue;
      }
    }
    const audio::AudioInfo& header = by_file[path];
    if (file->second.stream >= header.num_streams) {
      problems.push_back(file_message(path, "has " + std::to_string(header.num_streams) +
                                                " audio stream(s); a MUSDB18 " + ".stem.mp4 has " +
                                                std::to_string(kStemStreams) +
                                                " (mixture, drums, bass, other, vocals)"));
      broken[path] = true;
      continue;
    }
    headers[stem] = header;  // a .stem.mp4's streams share the container's rate and length
  }
  return headers;
}

// Appends the track's problems to `problems` and sets its sample_rate and frames.
void verify_track(Track& track, const DatasetOptions& options, std::vector<std::string>& problems) {
  const std::vector<std::string> required = options.required_stems();
  std::vector<std::string> missing;
  for (const auto& stem : required) {
    if (track.stems.count(stem) == 0) missing.push_back(stem);
  }
  if (!missing.empty()) {
    std::string what = "missing " + join(missing, ", ");
    if (options.augmenting() && track.stems.count("mixture") != 0) {
      what +=
          " (with augmentations on the mixture is rebuilt from all four stems; turn "
          "augment_gain, augment_channel_swap and augment_remix off to read the mixture)";
    }
    problems.push_back(file_message(track.path, what));
  }
  const size_t before = problems.size();
  const auto headers = read_headers(track, required, problems);
  if (headers.empty()) return;

  std::vector<std::string> rates, lengths;
  int min_rate = headers.begin()->second.sample_rate, max_rate = min_rate;
  double shortest = headers.begin()->second.duration, longest = shortest;
  int64_t frames = headers.begin()->second.frames;
  for (const auto& [stem, header] : headers) {
    rates.push_back(stem + " " + std::to_string(header.sample_rate) + " Hz");
    lengths.push_back(stem + " " + seconds(header.duration));
    min_rate = std::min(min_rate, header.sample_rate);
    max_rate = std::max(max_rate, header.sample_rate);
    shortest = std::min(shortest, header.duration);
    longest = std::max(longest, header.duration);
    frames = std::min(frames, header.frames);
  }
  if (min_rate != max_rate) {
    problems.push_back(
        file_message(track.path, "stems have different sample rates: " + join(rates, ", ")));
  }
  if (longest - shortest > kLengthToleranceSeconds) {
    problems.push_back(
        file_message(track.path, "stems have different lengths: " + join(lengths, ", ")));
  }
  track.sample_rate = min_rate;
  track.frames = frames;
  const int64_t needed = audio::samples_of(options.sample_length(), track.sample_rate);
  if (problems.size() == before && frames < needed) {
    problems.push_back(file_message(
        track.path, "only " + seconds(static_cast<double>(frames) / track.sample_rate) +
                        " long, shorter than sample_length (" + seconds(options.sample_length()) +
                        "); remove the track or lower dataset_params.sample_length"));
  }
}

}  // namespace

DatasetReport verify_dataset(const std::filesystem::path& root, const std::string& split,
                             const DatasetOptions& options) {
  options.validate();
  datasets::Listing listing = datasets::scan_split(root, split, options);
  std::vector<std::string> problems;
  for (Track& track : listing.tracks) verify_track(track, options, problems);
  if (!problems.empty()) {
    throw Error(file_message(root.string(), "the " + split + " split has " +
                                                std::to_string(problems.size()) + " problem" +
                                                (problems.size() == 1 ? "" : "s") + ":\n  " +
                                                join(problems, "\n  ")));
  }
  return {std::move(listing.tracks), std::move(listing.notes)};
}

}  // namespace auralflow
