#pragma once
/// @file
/// The four stems every data set, generated song and bundled model uses, in one order.
#include <string>
#include <vector>

namespace auralflow {

/// The four MUSDB18 stems, in `.stem.mp4` stream order: drums, bass, other, vocals. Generated
/// songs (synth.hpp) stack their stems in this order and name their files after them.
const std::vector<std::string>& stem_names();

}  // namespace auralflow
