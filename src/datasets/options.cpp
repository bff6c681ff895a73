// DatasetOptions from a config.json, and the MUSDB18 validation list.
#include <algorithm>
#include <cmath>

#include "auralflow/audio.hpp"
#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"

namespace auralflow {

const std::vector<std::string>& musdb18_validation_tracks() {
  static const std::vector<std::string> tracks{
      "Actions - One Minute Smile",
      "Clara Berry And Wooldog - Waltz For My Victims",
      "Johnny Lokke - Promises & Lies",
      "Patrick Talbot - A Reason To Leave",
      "Triviul - Angelsaint",
      "Alexander Ross - Goodbye Bolero",
      "Fergessen - Nos Palpitants",
      "Leaf - Summerghost",
      "Skelpolu - Human Mistakes",
      "Young Griffo - Pennies",
      "ANiMAL - Rockshow",
      "James May - On The Line",
      "Meaxic - Take A Step",
      "Traffic Experiment - Sirens",
  };
  return tracks;
}

DatasetOptions DatasetOptions::from_config(const Config& config) {
  return DatasetOptions(config.get_strings("targets"))
      .sample_rate(static_cast<int>(config.get_int("sample_rate")))
      .num_channels(static_cast<int>(config.get_int("num_channels")))
      .sample_length(config.get_double("sample_length"))
      .max_num_tracks(config.get_int("max_num_tracks"))
      .max_num_samples(config.get_int("max_num_samples"))
      .val_split(config.get_double("val_split"))
      .augment_gain(config.get_bool("augment_gain"))
      .augment_channel_swap(config.get_bool("augment_channel_swap"))
      .augment_remix(config.get_bool("augment_remix"))
      .batch_size(config.get_int("batch_size"))
      .num_workers(static_cast<int>(config.get_int("num_workers")))
      .seed(static_cast<uint64_t>(config.get_int("seed")));
}

void DatasetOptions::validate() const {
  const auto bad = [](const std::string& option, const std::string& what) {
    throw UsageError("dataset option '" + option + "' " + what);
  };
  if (targets_.empty())
    bad("targets", "is empty (name at least one of drums, bass, other, vocals)");
  for (size_t i = 0; i < targets_.size(); ++i) {
    const auto& names = stem_names();
    if (std::find(names.begin(), names.end(), targets_[i]) == names.end()) {
      bad("targets", "has '" + targets_[i] + "' (allowed: drums, bass, other, vocals)");
    }
    if (std::find(targets_.begin(), targets_.begin() + i, targets_[i]) != targets_.begin() + i) {
      bad("targets", "names '" + targets_[i] + "' twice");
    }
  }
  if (sample_rate_ <= 0)
    bad("sample_rate", "must be positive, got " + std::to_string(sample_rate_));
  if (num_channels_ != 1 && num_channels_ != 2) {
    bad("num_channels", "must be 1 or 2, got " + std::to_string(num_channels_));
  }
  if (!(sample_length_ > 0.0) || audio::samples_of(sample_length_, sample_rate_) < 1) {
    bad("sample_length", "must be at least one sample long, got " + std::to_string(sample_length_));
  }
  if (max_num_tracks_ < 1) bad("max_num_tracks", "must be >= 1");
  if (max_num_samples_ < 1) bad("max_num_samples", "must be >= 1");
  if (!(val_split_ >= 0.0 && val_split_ < 1.0)) bad("val_split", "must be in [0, 1)");
  if (batch_size_ < 1) bad("batch_size", "must be >= 1");
  if (num_workers_ < 0) bad("num_workers", "must be >= 0");
}

bool DatasetOptions::augmenting() const {
  return augment_gain_ || augment_channel_swap_ || augment_remix_;
}

std::vector<std::string> DatasetOptions::required_stems() const {
  if (augmenting()) return stem_names();
  std::vector<std::string> stems{"mixture"};
  for (const auto& target : targets_) {
    if (std::find(stems.begin(), stems.end(), target) == stems.end()) stems.push_back(target);
  }
  return stems;
}

}  // namespace auralflow
