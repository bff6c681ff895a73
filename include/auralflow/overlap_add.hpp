#pragma once
/// @file
/// Chunked separation of arbitrarily long audio with a bounded memory footprint.
/// The input is cut into chunks of the model's training length that overlap by a
/// fraction; batches of chunks go through the model; the estimates are joined
/// with a linear cross-fade (trapezoid weights, normalised by their sum, so an
/// identity model reproduces the input exactly: no seams). Audio is pushed in and
/// finished estimates come out as soon as no later chunk can touch them, so a
/// caller can stream a 10-minute track through in small blocks.
#include <torch/types.h>

#include <cstdint>
#include <functional>

namespace auralflow {

/// (batch, channels, chunk_length) -> (batch, targets, channels, chunk_length)
using ChunkFunction = std::function<torch::Tensor(const torch::Tensor&)>;

/// The largest overlap accepted (a hop of a tenth of a chunk: ten forwards per chunk length).
inline constexpr double kMaxOverlap = 0.9;

/// auralflow::UsageError unless 0 <= overlap <= kMaxOverlap (the one check of an overlap).
void check_overlap(double overlap);

/// How OverlapAdd cuts the input.
struct OverlapAddOptions {
  int64_t chunk_length = 44100 * 3;  ///< samples per model call
  double overlap = 0.25;   ///< fraction of a chunk shared with the next, in [0, kMaxOverlap]
  int64_t batch_size = 4;  ///< chunks per model call
};

/// Chunked separation of a stream (see the file comment): push() blocks of input, then
/// finish(); the estimates come out in order, as long as the input in total.
class OverlapAdd {
 public:
  /// Runs `model` on chunks cut as `options` say; auralflow::Error for bad options.
  OverlapAdd(OverlapAddOptions options, ChunkFunction model);

  /// Feeds the next samples of the input, (channels, n). Returns the estimates that
  /// are final so far, (targets, channels, m) (m may be 0).
  torch::Tensor push(const torch::Tensor& audio);

  /// Ends the input and returns the remaining estimates, (targets, channels, m). Over all
  /// calls, the estimates are exactly as long as the input.
  torch::Tensor finish();

  /// Samples between chunk starts: round(chunk_length · (1 − overlap)), at least 1.
  int64_t hop() const { return hop_; }
  /// Samples held internally (input plus pending estimates); bounded by a few chunk
  /// lengths whatever the track length.
  int64_t buffered_samples() const;

 private:
  /// Runs the model on the chunks starting at `starts` and adds their weighted estimates.
  void run_chunks(const std::vector<int64_t>& starts);
  /// Runs the chunks from next_chunk_ on while `wanted(start)`, in batches of batch_size.
  void run_chunks_while(const std::function<bool(int64_t)>& wanted);
  /// Returns the estimates before `end` (absolute sample) and drops them from the state.
  torch::Tensor release_until(int64_t end);

  OverlapAddOptions options_;
  ChunkFunction model_;
  int64_t hop_;
  torch::Tensor weights_;     ///< (chunk_length,) trapezoid cross-fade
  torch::Tensor input_;       ///< (channels, ·) samples from input_start_ on
  int64_t input_start_ = 0;   ///< absolute index of input_[..., 0]
  torch::Tensor sum_;         ///< (targets, channels, ·) weighted estimates from output_start_
  torch::Tensor weight_sum_;  ///< (·) summed weights from output_start_
  int64_t output_start_ = 0;  ///< absolute index of sum_[..., 0]
  int64_t next_chunk_ = 0;    ///< absolute start of the next chunk to run
};

}  // namespace auralflow
