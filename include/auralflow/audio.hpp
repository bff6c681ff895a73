#pragma once
// Audio file I/O. Every waveform is a float32 tensor shaped (channels, samples)
// with values in [-1, 1].
//   - WAV/FLAC/OGG/MP3 (and whatever else libsndfile reads) through libsndfile;
//     only the requested range is read from disk.
//   - MP4/M4A/AAC and MUSDB18 `.stem.mp4` (stream 0 mixture, 1 drums, 2 bass,
//     3 other, 4 vocals) through FFmpeg's libraries.
// Bad input (missing, empty, truncated or corrupt files, unsupported codecs,
// a stream that does not exist, ...) throws auralflow::Error naming the file.
#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace auralflow::audio {

/// MUSDB18 `.stem.mp4` stream order.
enum class Stem : int { Mixture = 0, Drums = 1, Bass = 2, Other = 3, Vocals = 4 };

struct LoadOptions {
  /// Resample (libsoxr) to this rate; nullopt keeps the file's rate.
  std::optional<int> sample_rate;
  /// 1: average to mono; 2: duplicate mono to stereo; nullopt keeps the file's
  /// channels. A file with more than 2 channels when 1 or 2 are asked is an error.
  std::optional<int> channels;
  /// Start, in seconds of the file.
  double offset = 0.0;
  /// Length in seconds; nullopt reads to the end. Reading past the end returns what exists.
  std::optional<double> duration;
  /// Audio stream of a multi-stream container (0-based, among audio streams only).
  int stream = 0;
};

struct AudioInfo {
  int sample_rate = 0;
  int channels = 0;
  int64_t frames = 0;       // samples per channel
  double duration = 0.0;    // seconds
  int num_streams = 1;      // audio streams in the container
  std::string format;       // e.g. "WAV", "FLAC", "MP3", "MP4"
  std::string artist;       // from tags, empty if none
  std::string title;        // from tags, empty if none
};

/// Loads audio as a float32 tensor (channels, samples).
torch::Tensor load(const std::string& path, const LoadOptions& options = {});

/// Reads the header (and tags) without decoding the audio.
AudioInfo info(const std::string& path);

enum class SampleFormat { Pcm16, Pcm24, Float32, Flac };

/// Parses "wav16", "wav24", "float32", "flac" (throws auralflow::Error otherwise).
SampleFormat parse_sample_format(const std::string& name);

/// Writes (channels, samples) audio to `path`. The file is written to a temporary
/// name in the same folder and renamed, so a reader never sees a half-written file.
/// PCM and FLAC outputs clip samples outside [-1, 1] and print one warning to
/// stderr saying how many samples were clipped and the peak; Float32 stores as is.
void save(const std::string& path, const torch::Tensor& audio, int sample_rate,
          SampleFormat format = SampleFormat::Pcm16);

/// Resamples (channels, samples) float audio from one rate to another (libsoxr, high quality).
torch::Tensor resample(const torch::Tensor& audio, int from_rate, int to_rate);

}  // namespace auralflow::audio
