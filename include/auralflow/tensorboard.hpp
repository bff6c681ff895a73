#pragma once
/// @file
/// TensorBoard event files written without TensorFlow: one
/// `events.out.tfevents.<unix time>.<hostname>` file per SummaryWriter, TFRecord framing
/// (uint64 length, masked CRC32C of the length, Event protobuf, masked CRC32C of the
/// Event), the first record carrying file_version "brain.Event:2". Every add_* call
/// appends one record with one write(2), so a crash loses at most the event being
/// written; flush() also asks the kernel to put it on disk. Safe to call from several
/// threads. Errors (unwritable folder, failed write, bad values) throw auralflow::Error
/// naming the file and the tag. See docs/tensorboard.md.
#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "auralflow/visualize.hpp"

namespace auralflow::tensorboard {

/// One TensorBoard event file (see the file comment) and the add_* calls that append to it.
class SummaryWriter {
 public:
  /// Creates `run_dir` (and parents) if needed and a new event file in it. A second
  /// writer started in the same second gets a `.1`, `.2`, ... suffix instead of sharing.
  explicit SummaryWriter(const std::filesystem::path& run_dir);
  ~SummaryWriter();
  /// Writers move (the open file goes with them) but do not copy.
  SummaryWriter(SummaryWriter&&) noexcept;
  /// Closes this writer's file and takes over the moved-from one's.
  SummaryWriter& operator=(SummaryWriter&&) noexcept;
  SummaryWriter(const SummaryWriter&) = delete;
  SummaryWriter& operator=(const SummaryWriter&) = delete;

  /// The event file.
  const std::filesystem::path& path() const;

  /// A scalar (stored as float32, TensorBoard's simple_value).
  void add_scalar(const std::string& tag, double value, int64_t step);

  /// A histogram of `values` (any shape, any device): min, max, num, sum, sum_squares and
  /// `num_buckets` buckets of equal width between min and max (one bucket when all values
  /// are equal). NaN and infinite values are left out, so num counts the finite ones.
  void add_histogram(const std::string& tag, const torch::Tensor& values, int64_t step,
                     int64_t num_buckets = 30);

  /// An RGB image, stored as PNG.
  void add_image(const std::string& tag, const visualize::Image& image, int64_t step);
  /// PNG file bytes as they are (width and height are read from the PNG header).
  void add_image(const std::string& tag, const std::string& png, int64_t step);

  /// `waveform` (channels, samples) or (samples,), float in [-1, 1] (clipped outside),
  /// stored as a 16-bit PCM WAV at `sample_rate`.
  void add_audio(const std::string& tag, const torch::Tensor& waveform, int sample_rate,
                 int64_t step);

  /// Forces written events to disk (fdatasync).
  void flush();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace auralflow::tensorboard
