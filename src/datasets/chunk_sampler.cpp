// One training chunk: a random track (or one per stem when remixing) at a random offset,
// silent targets redrawn, augmentations applied, the mixture rebuilt from the stems.
#include "chunk_sampler.hpp"

#include <algorithm>
#include <cmath>

#include "auralflow/audio.hpp"

namespace auralflow::datasets {
namespace {

// A draw whose every target has a mean square below this (-60 dBFS RMS) is silent.
constexpr double kSilentMeanSquare = 1e-6;
// Draws tried before a silent one is kept anyway (a dataset of silent targets still trains).
constexpr int kMaxDraws = 16;
constexpr double kMinGain = 0.25;
constexpr double kMaxGain = 1.25;

}  // namespace

ChunkSampler::ChunkSampler(std::vector<Track> tracks, DatasetOptions options)
    : tracks_(std::move(tracks)),
      options_(std::move(options)),
      names_(options_.targets()),
      chunk_samples_(audio::samples_of(options_.sample_length(), options_.sample_rate())) {
  if (options_.augmenting()) {
    for (const auto& stem : stem_names()) {
      if (std::find(names_.begin(), names_.end(), stem) == names_.end()) names_.push_back(stem);
    }
  } else {
    names_.push_back("mixture");
  }
}

std::pair<torch::Tensor, torch::Tensor> ChunkSampler::draw(Rng& rng) const {
  const auto num_targets = static_cast<int64_t>(options_.targets().size());
  torch::Tensor stems;  // (S, C, N)
  for (int attempt = 0; attempt < kMaxDraws; ++attempt) {
    stems = read_stems(rng);
    const torch::Tensor power = stems.narrow(0, 0, num_targets).pow(2).mean({1, 2});  // (K)
    if (power.max().item<double>() >= kSilentMeanSquare) break;
  }
  if (!options_.augmenting()) return {stems[num_targets], stems.narrow(0, 0, num_targets)};
  augment(stems, rng);
  return {stems.sum(0), stems.narrow(0, 0, num_targets)};
}

torch::Tensor ChunkSampler::read_stems(Rng& rng) const {
  const auto num_tracks = static_cast<int64_t>(tracks_.size());
  const Track* track = &tracks_[rng.index(num_tracks)];
  int64_t start = random_start(*track, rng);
  std::vector<torch::Tensor> stems;
  for (size_t i = 0; i < names_.size(); ++i) {
    if (i > 0 && options_.augment_remix()) {
      track = &tracks_[rng.index(num_tracks)];
      start = random_start(*track, rng);
    }
    stems.push_back(read(*track, names_[i], start));
  }
  return torch::stack(stems);
}

torch::Tensor ChunkSampler::read(const Track& track, const std::string& stem, int64_t start) const {
  const StemFile& file = track.stems.at(stem);
  audio::LoadOptions load;
  load.sample_rate = options_.sample_rate();
  load.channels = options_.num_channels();
  load.offset = static_cast<double>(start) / track.sample_rate;
  load.duration = options_.sample_length();
  load.stream = file.stream;
  const torch::Tensor audio = audio::load(file.path, load);  // (C, about N)
  if (audio.size(1) >= chunk_samples_) return audio.narrow(1, 0, chunk_samples_);
  return torch::constant_pad_nd(audio, {0, chunk_samples_ - audio.size(1)});
}

int64_t ChunkSampler::random_start(const Track& track, Rng& rng) const {
  const int64_t needed = audio::samples_of(options_.sample_length(), track.sample_rate);
  return rng.index(std::max<int64_t>(1, track.frames - needed + 1));
}

void ChunkSampler::augment(torch::Tensor& stems, Rng& rng) const {
  for (int64_t i = 0; i < stems.size(0); ++i) {
    if (options_.augment_gain()) stems[i].mul_(rng.uniform(kMinGain, kMaxGain));
    if (options_.augment_channel_swap() && options_.num_channels() == 2 && rng.coin()) {
      stems[i].copy_(stems[i].flip(0));
    }
  }
}

}  // namespace auralflow::datasets
