#pragma once
/// @file
/// An audio file as a Signal (signal.hpp) read from disk as it is needed, for scoring a track
/// without loading it (metrics::evaluate_track on Signals).
#include <optional>
#include <string>

#include "auralflow/signal.hpp"

namespace auralflow::audio {

/// The audio of `path` at the file's sample rate and channels as a Signal: samples are read
/// from disk a block at a time when asked for (the last few blocks are kept), so memory does
/// not grow with the file. `duration` (seconds) keeps only the start of the file, as
/// LoadOptions::duration does; the samples are those load() returns. Returns nullptr when the
/// file cannot be read at any position exactly (MP3 and the formats FFmpeg reads: MP4, M4A,
/// AAC, .stem.mp4): load() those instead. Errors as for load(); a read that fails later (the
/// file changed) throws auralflow::Error naming it.
SignalPtr open_signal(const std::string& path, std::optional<double> duration = std::nullopt);

}  // namespace auralflow::audio
