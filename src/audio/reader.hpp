#pragma once
// Private to src/audio: one decoder behind a common interface, so load() and
// info() do not care whether libsndfile or FFmpeg reads the file.
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "auralflow/audio.hpp"

namespace auralflow::audio::detail {

/// One audio stream of an open file.
class Reader {
 public:
  virtual ~Reader() = default;

  /// Header of the stream (sample rate, channels, frames, tags, ...).
  virtual const AudioInfo& info() const = 0;

  /// Decodes frames [start, start + count) (count < 0: to the end), cut at the end
  /// of the stream. Returns float32 (channels, frames) at the file's sample rate.
  /// Called at most once per Reader, except for libsndfile's (open_sndfile), which seek on
  /// every call.
  virtual torch::Tensor read(int64_t start, int64_t count) = 0;
};

/// Opens `path` with libsndfile (WAV, FLAC, OGG, MP3, AIFF, ...); nullptr when
/// libsndfile does not recognise the format. Throws auralflow::Error otherwise.
std::unique_ptr<Reader> open_sndfile(const std::string& path);

/// Opens audio stream `stream` (0-based among audio streams) of `path` with FFmpeg
/// (MP4, M4A, AAC, MUSDB18 .stem.mp4, ...). Throws auralflow::Error on failure.
std::unique_ptr<Reader> open_ffmpeg(const std::string& path, int stream);

/// "audio stream 5 does not exist (the file has 5 audio streams)".
std::string no_such_stream(int stream, int num_streams);

/// Whether `path` is MPEG audio (MP1/2/3), by its name or its first bytes: FFmpeg decodes it.
bool is_mpeg_audio(const std::string& path);

/// Opens `path` with libsndfile, or with FFmpeg when libsndfile does not know the
/// format. Checks first that the file exists and is not empty.
std::unique_ptr<Reader> open_reader(const std::string& path, int stream);

}  // namespace auralflow::audio::detail
