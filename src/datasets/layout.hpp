#pragma once
// Private to src/datasets: finding the tracks of a split on disk (no file is opened).
#include <filesystem>
#include <string>
#include <vector>

#include "auralflow/datasets.hpp"

namespace auralflow::datasets {

/// The tracks of a split and the notes about files that were ignored while listing it.
struct Listing {
  std::vector<Track> tracks;
  std::vector<std::string> notes;
};

/// list_tracks() with the notes kept.
Listing scan_split(const std::filesystem::path& root, const std::string& split,
                   const DatasetOptions& options);

}  // namespace auralflow::datasets
