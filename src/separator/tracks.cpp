// find_tracks(): what `auralflow separate MODEL AUDIO` separates, and the output names.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include "auralflow/audio.hpp"
#include "auralflow/error.hpp"
#include "auralflow/separator.hpp"

namespace auralflow {
namespace {

namespace fs = std::filesystem;

bool has_audio_extension(const fs::path& file) {
  static const std::set<std::string> extensions = {
      ".wav",  ".wave", ".flac", ".ogg", ".oga",  ".opus", ".mp3", ".aif",
      ".aiff", ".aifc", ".caf",  ".w64", ".rf64", ".m4a",  ".mp4", ".aac"};
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extensions.count(extension) > 0;
}

bool hidden(const fs::path& path) { return path.filename().string().rfind('.', 0) == 0; }

// The mixture.* audio file of a MUSDB-style track folder, or an empty path.
fs::path mixture_of(const fs::path& folder) {
  std::vector<fs::path> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_regular_file() && entry.path().stem() == "mixture" &&
        has_audio_extension(entry.path())) {
      found.push_back(entry.path());
    }
  }
  std::sort(found.begin(), found.end());
  return found.empty() ? fs::path() : found.front();
}

// Usable as one folder name: no path separators, not hidden, not empty.
std::string folder_safe(std::string name, const std::string& fallback) {
  std::replace_if(
      name.begin(), name.end(), [](char c) { return c == '/' || c == '\\' || c == '\0'; }, '_');
  const auto first = name.find_first_not_of(" .");
  const auto last = name.find_last_not_of(' ');
  name = first == std::string::npos ? "" : name.substr(first, last - first + 1);
  return name.empty() ? fallback : name;
}

// "artist - title" from the tags, the title alone, else the file name without ".stem.mp4"-like
// extensions. An unreadable file keeps its file name (it fails later, when separated).
std::string file_track_name(const fs::path& file) {
  std::string stem = file.stem().string();
  if (fs::path(stem).extension() == ".stem") stem = fs::path(stem).stem().string();
  audio::AudioInfo info;
  try {
    info = audio::info(file.string());
  } catch (const Error&) {
    return folder_safe(stem, "track");
  }
  if (info.title.empty()) return folder_safe(stem, "track");
  return folder_safe(info.artist.empty() ? info.title : info.artist + " - " + info.title, stem);
}

// The last component of a folder path, also for "songs/" and ".".
std::string folder_name(const fs::path& folder) {
  const fs::path normal = fs::absolute(folder).lexically_normal();
  const fs::path name = normal.has_filename() ? normal.filename() : normal.parent_path().filename();
  return folder_safe(name.string(), "track");
}

bool same_path(const fs::path& a, const fs::path& b) {
  std::error_code error;
  return !b.empty() && fs::weakly_canonical(a, error) == fs::weakly_canonical(b, error);
}

}  // namespace

std::vector<InputTrack> find_tracks(const fs::path& audio, const fs::path& skip) {
  std::error_code error;
  if (!fs::exists(audio, error))
    throw Error(file_message(audio.string(), "no such file or folder"));
  std::vector<InputTrack> tracks;
  if (!fs::is_directory(audio, error)) {
    // path/to/Song/mixture.wav is the track folder's mixture: named after the folder.
    const bool mixture = audio.stem() == "mixture" && audio.has_parent_path();
    tracks.push_back({audio, mixture ? folder_name(audio.parent_path()) : file_track_name(audio)});
  } else if (const auto mixture = mixture_of(audio); !mixture.empty()) {
    tracks.push_back({mixture, folder_name(audio)});
  } else {
    for (auto entry = fs::recursive_directory_iterator(audio, error);
         entry != fs::recursive_directory_iterator(); entry.increment(error)) {
      if (error) throw Error(file_message(audio.string(), "cannot list: " + error.message()));
      const fs::path& path = entry->path();
      if (hidden(path) || same_path(path, skip)) {
        if (entry->is_directory()) entry.disable_recursion_pending();
      } else if (entry->is_directory()) {
        if (const auto found = mixture_of(path); !found.empty()) {
          tracks.push_back({found, folder_name(path)});
          entry.disable_recursion_pending();
        }
      } else if (entry->is_regular_file() && has_audio_extension(path)) {
        tracks.push_back({path, file_track_name(path)});
      }
    }
    if (error) throw Error(file_message(audio.string(), "cannot list: " + error.message()));
    if (tracks.empty()) {
      throw Error(file_message(audio.string(), "no audio files or track folders in this folder"));
    }
    std::sort(tracks.begin(), tracks.end(),
              [](const InputTrack& a, const InputTrack& b) { return a.input < b.input; });
  }
  std::map<std::string, int> seen;
  for (auto& track : tracks) {
    if (const int count = ++seen[track.name]; count > 1) {
      track.name += " (" + std::to_string(count) + ")";
    }
  }
  return tracks;
}

}  // namespace auralflow
