#pragma once
// Audio file I/O. Every waveform is a float32 tensor shaped (channels, samples)
// with values in [-1, 1] (integer files scale to [-1, 1); float files load as stored).
//   - WAV/FLAC/OGG/AIFF (and whatever else libsndfile reads) through libsndfile;
//     only the requested range is read from disk.
//   - MP3 (MPEG audio), MP4/M4A/AAC and MUSDB18 `.stem.mp4` (stream 0 mixture,
//     1 drums, 2 bass, 3 other, 4 vocals) through FFmpeg's libraries, which stay
//     quiet (libsndfile's MP3 decoder prints to the terminal); files libsndfile
//     does not recognise go there, whatever their extension.
// Bad input (missing, empty, truncated or corrupt files, unsupported codecs,
// a stream that does not exist, ...) throws auralflow::Error naming the file;
// invalid LoadOptions throw auralflow::UsageError. See docs/audio.md.
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
  /// Start, in seconds of the file (rounded to the nearest sample at the file's rate).
  double offset = 0.0;
  /// Length in seconds; nullopt reads to the end. Reading past the end returns what
  /// exists (an offset past the end gives (channels, 0)).
  std::optional<double> duration;
  /// Audio stream of a multi-stream container (0-based, among audio streams only).
  int stream = 0;
};

struct AudioInfo {
  int sample_rate = 0;
  int channels = 0;
  int64_t frames = 0;     // samples per channel (an estimate for MP3/AAC without an index)
  double duration = 0.0;  // seconds
  int num_streams = 1;    // audio streams in the container
  std::string format;     // e.g. "WAV", "FLAC", "MP3", "MP4"
  std::string artist;     // from tags, empty if none
  std::string title;      // from tags, empty if none
};

/// Loads audio as a float32 tensor (channels, samples).
torch::Tensor load(const std::string& path, const LoadOptions& options = {});

/// Reads the header (and tags) without decoding the audio.
AudioInfo info(const std::string& path);

/// `seconds` at `sample_rate` in samples, rounded to the nearest one: the one rule for every
/// length given in seconds (chunks, ranges, durations).
int64_t samples_of(double seconds, double sample_rate);

/// Pcm16/Pcm24/Float32: WAV files; Flac: 16-bit FLAC.
enum class SampleFormat { Pcm16, Pcm24, Float32, Flac };

/// Parses "wav16", "wav24", "float32", "flac" (throws auralflow::Error otherwise).
SampleFormat parse_sample_format(const std::string& name);

/// Writes (channels, samples) floating-point audio to `path`. The file is written to a
/// temporary name in the same folder and renamed, so a reader never sees a half-written
/// file; on failure the temporary is removed and an existing `path` is left untouched.
/// Clip policy: PCM and FLAC outputs clamp samples to [-1, 1] and, if any were outside,
/// print one warning line to stderr with how many samples were clipped and the peak;
/// Float32 stores the values as they are. NaN/infinite samples, a `.wav` path with
/// Flac or a `.flac` path with a WAV format throw auralflow::Error.
void save(const std::string& path, const torch::Tensor& audio, int sample_rate,
          SampleFormat format = SampleFormat::Pcm16);

/// Resamples (channels, samples) audio from one rate to another (libsoxr, high quality):
/// returns float32 (channels, round(samples * to_rate / from_rate)) on the input's device.
torch::Tensor resample(const torch::Tensor& audio, int from_rate, int to_rate);

}  // namespace auralflow::audio
