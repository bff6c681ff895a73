// AudioDataset: a fixed set of chunks in memory, drawn once by the streaming sampler.
#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"

namespace auralflow {

AudioDataset::AudioDataset(torch::Tensor mixtures, torch::Tensor targets)
    : mixtures_(std::move(mixtures)), targets_(std::move(targets)) {
  if (mixtures_.dim() != 3 || targets_.dim() != 4 || targets_.size(0) != mixtures_.size(0) ||
      targets_.size(2) != mixtures_.size(1) || targets_.size(3) != mixtures_.size(2)) {
    throw UsageError("AudioDataset wants mixtures (S, C, N) and targets (S, K, C, N)");
  }
}

torch::data::Example<> AudioDataset::get(size_t index) {
  const auto i = static_cast<int64_t>(index);
  return {mixtures_[i], targets_[i]};  // (C, N), (K, C, N)
}

torch::optional<size_t> AudioDataset::size() const {
  return static_cast<size_t>(mixtures_.size(0));
}

AudioDataset create_audio_dataset(const std::filesystem::path& dataset_path,
                                  const std::string& split, const std::vector<std::string>& targets,
                                  double chunk_size, int64_t num_chunks, int64_t max_num_tracks,
                                  int sample_rate, bool mono, double val_split, uint64_t seed) {
  const AudioFolder folder(dataset_path, split,
                           DatasetOptions(targets)
                               .sample_rate(sample_rate)
                               .num_channels(mono ? 1 : 2)
                               .sample_length(chunk_size)
                               .max_num_tracks(max_num_tracks)
                               .max_num_samples(num_chunks)
                               .batch_size(num_chunks)
                               .val_split(val_split)
                               .augment_gain(false)
                               .augment_channel_swap(false)
                               .augment_remix(false)
                               .num_workers(0)
                               .seed(seed));
  Batch chunks = folder.batch(0, 0);
  return AudioDataset(std::move(chunks.mixture), std::move(chunks.targets));
}

}  // namespace auralflow
