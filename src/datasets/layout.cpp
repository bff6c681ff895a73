// Dataset layouts on disk (MUSDB18-HQ folders, MUSDB18 .stem.mp4 files) and the
// train / valid / test splits.
#include "layout.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "auralflow/error.hpp"
#include "random.hpp"

namespace auralflow {
namespace datasets {
namespace {

namespace fs = std::filesystem;

const std::string kStemSuffix = ".stem.mp4";

// Seed salt of the val_split hold-out, so it does not share a stream with the chunk draws.
constexpr uint64_t kHoldOutSalt = 0x76616C5F73706C74ULL;

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Extensions of the formats audio::load reads (libsndfile and FFmpeg); other files are
// not audio and are ignored with a note.
bool is_audio_extension(const std::string& extension) {
  static const std::set<std::string> known{".wav",  ".flac", ".ogg",  ".oga", ".opus", ".mp3",
                                           ".aif",  ".aiff", ".aifc", ".au",  ".caf",  ".w64",
                                           ".rf64", ".m4a",  ".mp4",  ".aac", ".wv"};
  return known.count(lower(extension)) != 0;
}

bool is_stem_name(const std::string& name) {
  const auto& stems = stem_names();
  return name == "mixture" || std::find(stems.begin(), stems.end(), name) != stems.end();
}

// MUSDB18-HQ: <track>/<stem>.<audio extension>; the first file in name order wins
// when a stem has several.
Track scan_track_folder(const fs::path& folder, std::vector<std::string>& notes) {
  Track track{folder.filename().string(), folder.string(), {}, 0, 0};
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const std::string name = file.filename().string();
    const std::string stem = name.substr(0, name.find('.'));
    if (!fs::is_regular_file(file) || !is_audio_extension(file.extension().string())) {
      notes.push_back(file_message(file.string(), "not an audio file, ignored"));
    } else if (!is_stem_name(stem)) {
      notes.push_back(
          file_message(file.string(), "not a stem (mixture, drums, bass, other, vocals), ignored"));
    } else if (const auto used = track.stems.find(stem); used != track.stems.end()) {
      notes.push_back(file_message(file.string(),
                                   "ignored: " + used->second.path + " is the " + stem + " stem"));
    } else {
      track.stems[stem] = {file.string(), 0};
    }
  }
  return track;
}

// MUSDB18: <track>.stem.mp4 holds every stem as an audio stream.
Track stem_file_track(const fs::path& file) {
  const std::string name = file.filename().string();
  Track track{name.substr(0, name.size() - kStemSuffix.size()), file.string(), {}, 0, 0};
  track.stems["mixture"] = {file.string(), 0};
  const auto& stems = stem_names();  // stream order
  for (size_t i = 0; i < stems.size(); ++i)
    track.stems[stems[i]] = {file.string(), static_cast<int>(i) + 1};
  return track;
}

Listing scan_folder(const fs::path& folder) {
  if (!fs::is_directory(folder)) {
    throw Error(file_message(folder.string(), "no such folder (a dataset has train/ and test/)"));
  }
  Listing listing;
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(folder)) entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end());
  for (const auto& entry : entries) {
    const std::string name = entry.filename().string();
    if (fs::is_directory(entry)) {
      listing.tracks.push_back(scan_track_folder(entry, listing.notes));
    } else if (ends_with(lower(name), kStemSuffix)) {
      listing.tracks.push_back(stem_file_track(entry));
    } else {
      listing.notes.push_back(
          file_message(entry.string(), "not a track (neither a folder nor a .stem.mp4), ignored"));
    }
  }
  return listing;
}

// Moves the tracks `chosen` accepts to the returned list; both keep name order.
std::vector<Track> take_tracks(std::vector<Track>& tracks, const std::vector<bool>& chosen) {
  std::vector<Track> taken, kept;
  for (size_t i = 0; i < tracks.size(); ++i) {
    (chosen[i] ? taken : kept).push_back(std::move(tracks[i]));
  }
  tracks = std::move(kept);
  return taken;
}

// Splits train/ into (train, valid) when there is no val/ folder: the MUSDB18 validation
// tracks if any is there, else a seeded val_split fraction (at least one track when
// val_split > 0, never all of them).
std::vector<Track> hold_out(std::vector<Track>& train, const DatasetOptions& options) {
  const auto& musdb = musdb18_validation_tracks();
  std::vector<bool> chosen(train.size(), false);
  bool any_musdb = false;
  for (size_t i = 0; i < train.size(); ++i) {
    chosen[i] = std::find(musdb.begin(), musdb.end(), train[i].name) != musdb.end();
    any_musdb = any_musdb || chosen[i];
  }
  if (!any_musdb && options.val_split() > 0.0 && train.size() > 1) {
    const auto n = static_cast<int64_t>(train.size());
    const int64_t count =
        std::clamp<int64_t>(std::llround(options.val_split() * n), int64_t{1}, n - 1);
    std::vector<int64_t> order(train.size());
    for (int64_t i = 0; i < n; ++i) order[i] = i;
    Rng rng(mix_seed(options.seed(), kHoldOutSalt));
    for (int64_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng.index(i + 1)]);
    for (int64_t i = 0; i < count; ++i) chosen[order[i]] = true;
  }
  return take_tracks(train, chosen);
}

std::string empty_split_message(const fs::path& root, const std::string& split,
                                const fs::path& folder) {
  if (split == "valid" && !fs::is_directory(folder)) {
    return file_message(root.string(),
                        "the valid split is empty: add a val/ folder, or set "
                        "dataset_params.val_split above 0 with at least 2 tracks in train/");
  }
  return file_message(folder.string(),
                      "no tracks for the " + split +
                          " split (expected <track>/mixture.wav, <track>/vocals.wav, ... "
                          "or <track>.stem.mp4)");
}

}  // namespace

Listing scan_split(const fs::path& root, const std::string& split, const DatasetOptions& options) {
  if (split != "train" && split != "valid" && split != "test") {
    throw UsageError("unknown dataset split '" + split + "' (train, valid or test)");
  }
  if (!fs::is_directory(root)) throw Error(file_message(root.string(), "no such dataset folder"));
  fs::path folder = root / (split == "test" ? "test" : "train");
  fs::path val_folder = root / "val";
  if (!fs::is_directory(val_folder)) val_folder = root / "valid";
  Listing listing;
  if (split == "test" || fs::is_directory(val_folder)) {
    if (split == "valid") folder = val_folder;
    listing = scan_folder(folder);
  } else {
    listing = scan_folder(folder);
    std::vector<Track> valid = hold_out(listing.tracks, options);
    if (split == "valid") {
      listing.tracks = std::move(valid);
      folder = val_folder;  // names the missing val/ folder if the split is empty
    }
  }
  if (listing.tracks.empty()) throw Error(empty_split_message(root, split, folder));
  if (static_cast<int64_t>(listing.tracks.size()) > options.max_num_tracks()) {
    listing.tracks.resize(static_cast<size_t>(options.max_num_tracks()));
  }
  return listing;
}

}  // namespace datasets

std::vector<Track> list_tracks(const std::filesystem::path& root, const std::string& split,
                               const DatasetOptions& options) {
  return datasets::scan_split(root, split, options).tracks;
}

}  // namespace auralflow
