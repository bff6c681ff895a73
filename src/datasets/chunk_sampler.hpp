#pragma once
// Private to src/datasets: drawing one training chunk from verified tracks, reading only
// the chunk's range of each file.
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "auralflow/datasets.hpp"
#include "random.hpp"

namespace auralflow::datasets {

class ChunkSampler {
 public:
  /// `tracks` as verify_dataset returns them (sample_rate and frames set).
  ChunkSampler(std::vector<Track> tracks, DatasetOptions options);

  /// One chunk: mixture (C, N) and targets (K, C, N). Safe to call from several threads.
  std::pair<torch::Tensor, torch::Tensor> draw(Rng& rng) const;
  /// N: samples per chunk at the options' sample rate.
  int64_t chunk_samples() const { return chunk_samples_; }

 private:
  /// The stems names_ (targets first) read from the chosen track(s): (S, C, N).
  torch::Tensor read_stems(Rng& rng) const;
  /// (C, N) of `stem` from `track`, starting at frame `start` of the file.
  torch::Tensor read(const Track& track, const std::string& stem, int64_t start) const;
  int64_t random_start(const Track& track, Rng& rng) const;
  void augment(torch::Tensor& stems, Rng& rng) const;

  std::vector<Track> tracks_;
  DatasetOptions options_;
  std::vector<std::string> names_;  // stems read per draw: targets, then the rest
  int64_t chunk_samples_;
};

}  // namespace auralflow::datasets
