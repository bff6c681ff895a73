#pragma once
// Streaming audio: read, resample and write tracks block by block, so that memory does
// not grow with the track length. The one-shot functions of audio.hpp (load, resample,
// save) are the reference: a streamed file reads the same samples as load(), a streamed
// resample gives the samples of resample(), a streamed file holds what save() writes.
#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "auralflow/audio.hpp"

struct soxr;
struct sf_private_tag;

namespace auralflow::audio {

/// The part of a file to stream (seconds of the file; as in LoadOptions).
struct StreamRange {
  double offset = 0.0;
  std::optional<double> duration;  // nullopt: to the end
  int stream = 0;                  // audio stream of a multi-stream container
};

/// Reads a file from `range.offset` on in blocks, at the file's rate and channel count.
/// libsndfile formats keep the file open and read sequentially; FFmpeg formats (MP4,
/// M4A, AAC, .stem.mp4) decode each block as a range read. Errors as for load().
class StreamReader {
 public:
  explicit StreamReader(const std::string& path, const StreamRange& range = {});
  ~StreamReader();
  StreamReader(const StreamReader&) = delete;
  StreamReader& operator=(const StreamReader&) = delete;

  /// Header and tags of the file.
  const AudioInfo& info() const { return info_; }
  /// Frames the range holds according to the header (an estimate where info() says so).
  int64_t expected_frames() const { return expected_; }
  /// The next at most `frames` frames, float32 (channels, n); n == 0 at the end.
  torch::Tensor read(int64_t frames);
  /// Frames returned so far.
  int64_t position() const { return position_; }

 private:
  torch::Tensor read_sndfile(int64_t frames);
  torch::Tensor read_ffmpeg(int64_t frames);

  std::string path_;
  int stream_;
  AudioInfo info_;
  sf_private_tag* sndfile_ = nullptr;  // the open file; null: FFmpeg range reads
  int64_t start_ = 0;                  // first frame of the range
  int64_t expected_ = 0;               // frames in the range per the header
  std::optional<int64_t> limit_;       // frames to return at most (duration)
  int64_t position_ = 0;
};

/// libsoxr in streaming mode (same quality as resample()). Output samples are aligned
/// with the input (soxr compensates its filter delay); finish() flushes the filter
/// and makes the total output exactly as long as asked.
class StreamResampler {
 public:
  StreamResampler(int channels, int from_rate, int to_rate);
  ~StreamResampler();
  StreamResampler(const StreamResampler&) = delete;
  StreamResampler& operator=(const StreamResampler&) = delete;

  /// (channels, n) -> (channels, m): the output that is final so far.
  torch::Tensor push(const torch::Tensor& audio);
  /// Ends the input; returns the rest so that the whole output has `total` samples
  /// (default round(input samples · to / from), the length resample() gives), padded
  /// with zeros or cut at the end. `total` must not be below the samples already out.
  torch::Tensor finish(std::optional<int64_t> total = std::nullopt);

  int64_t input_samples() const { return input_samples_; }
  int64_t output_samples() const { return output_samples_; }

 private:
  /// Runs soxr on `input` (channels, n), or flushes when it is undefined.
  torch::Tensor process(const torch::Tensor& input);

  int channels_;
  int from_rate_;
  int to_rate_;
  soxr* soxr_ = nullptr;  // null when the rates are equal (pass-through)
  int64_t input_samples_ = 0;
  int64_t output_samples_ = 0;
};

/// Writes (channels, n) blocks to `path` as WAV/FLAC with save()'s rules: PCM and FLAC
/// clamp to [-1, 1] (one warning line at close() naming `name` when anything clipped),
/// NaN/infinite samples are refused. The caller makes the write atomic by streaming to
/// a temporary (write_atomically) and naming the final file as `name`.
class StreamWriter {
 public:
  StreamWriter(const std::string& path, int sample_rate, int channels, SampleFormat format,
               std::string name = {});
  ~StreamWriter();
  StreamWriter(const StreamWriter&) = delete;
  StreamWriter& operator=(const StreamWriter&) = delete;

  void write(const torch::Tensor& audio);
  /// Finishes the file (an error if the disk filled up); further writes are errors.
  void close();
  int64_t frames_written() const { return frames_; }

 private:
  std::string name_;
  int channels_;
  bool clamp_;
  sf_private_tag* file_ = nullptr;
  int64_t frames_ = 0;
  int64_t clipped_ = 0;
  float peak_ = 0.0f;
};

}  // namespace auralflow::audio
