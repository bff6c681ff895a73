#pragma once
// The report's per-track media: spectrograms of mixture, estimate and reference (embedded PNGs)
// and audio players linking to the estimate and reference files.
#include <filesystem>
#include <string>
#include <vector>

#include "auralflow/datasets.hpp"
#include "auralflow/report.hpp"

namespace auralflow::report {

/// An HTML <section> for `track`: per target found in `estimates` (a folder <target>.wav),
/// a spectrogram image (mixture, estimate, reference stacked, one dB scale) of the first
/// options.spectrogram_seconds, and audio players for the estimate and the reference (when the
/// reference is a file of its own, not a stream of a .stem.mp4).
std::string track_media_html(const Track& track, const std::filesystem::path& estimates,
                             const std::vector<std::string>& targets, const ReportOptions& options);

}  // namespace auralflow::report
