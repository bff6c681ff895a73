#pragma once
// Private to src/separator: the streaming chain of one track, shared by
// Separator::separate (one block) and Separator::separate_file (many):
//
//   mixture (C, n) @ input rate ─StreamResampler─▶ model rate ─OverlapAdd(chunk model)─▶
//   estimates (K, C, m) @ model rate ─StreamResampler─▶ input rate, aligned with the mixture
//
// The chunk model adapts channels (mono into a stereo model is duplicated and the two
// estimates averaged; each channel into a mono model is its own batch item), applies the
// Wiener filter when asked and keeps the chosen targets.
#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "auralflow/audio_stream.hpp"
#include "auralflow/overlap_add.hpp"
#include "auralflow/separator.hpp"

namespace auralflow::detail {

/// Stems that are final, with the stretch of the mixture they belong to.
struct SeparatedBlock {
  torch::Tensor stems;    // (K, C, m) at the input rate
  torch::Tensor mixture;  // (C, m), the same samples of the input
};

class Pipeline {
 public:
  /// `targets`: indices into model.targets of the stems to return.
  Pipeline(const ChunkSeparator& model, const SeparatorOptions& options,
           std::vector<int64_t> targets, int input_rate, int64_t input_channels);
  Pipeline(const Pipeline&) = delete;  // the chunk model points back at this object
  Pipeline& operator=(const Pipeline&) = delete;

  /// Feeds the next mixture samples (C, n); returns the stems that are final so far.
  SeparatedBlock push(const torch::Tensor& mixture);
  /// Ends the input; returns the rest. Over all calls the stems are exactly as long
  /// as the mixture.
  SeparatedBlock finish();

  int64_t peak_buffered_samples() const { return peak_buffered_; }

 private:
  /// (B, C, L) -> (B, K, C, L) for OverlapAdd.
  torch::Tensor run_chunks(const torch::Tensor& chunks) const;
  /// The model on (B', C', L) items, split among the workers.
  torch::Tensor run_model(const torch::Tensor& items) const;
  /// Resamples estimates (K, C, m) at the model rate back and pairs them with the mixture.
  SeparatedBlock emit(const torch::Tensor& estimates, bool last);
  void track_buffers(int64_t block);

  const ChunkSeparator& model_;
  int wiener_iterations_;
  int workers_;
  torch::Tensor targets_;  // (K,) int64 indices into the model's targets
  int64_t channels_;
  audio::StreamResampler to_model_;
  audio::StreamResampler from_model_;
  OverlapAdd overlap_add_;
  torch::Tensor pending_mixture_;  // (C, ·) input samples whose stems are not out yet
  int64_t peak_buffered_ = 0;
};

}  // namespace auralflow::detail
