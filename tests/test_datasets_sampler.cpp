// AudioFolder (streaming random chunks) and AudioDataset (chunks in memory): shapes,
// determinism across worker counts, distinct batches, reading only the chunk, the mixture
// as the sum of augmented stems, silence retries, resampling, and errors from workers.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "auralflow/config.hpp"
#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"
#include "test_datasets_support.hpp"

using auralflow::AudioFolder;
using auralflow::Batch;
using auralflow::DatasetOptions;
using auralflow::testing::copy_stem_file;
using auralflow::testing::TempDir;
using auralflow::testing::TrackSpec;
using auralflow::testing::write_track;
using auralflow::testing::write_tracks;

namespace {

// 0.5-second chunks at 8 kHz, stereo, 3 batches of 4 (the last one of 2); every track of
// train/ is used (no valid hold-out).
DatasetOptions small(std::vector<std::string> targets = {"vocals"}) {
  return DatasetOptions(std::move(targets))
      .val_split(0.0)
      .sample_rate(8000)
      .num_channels(2)
      .sample_length(0.5)
      .max_num_samples(10)
      .batch_size(4)
      .num_workers(0);
}

DatasetOptions without_augmentation(DatasetOptions options) {
  return options.augment_gain(false).augment_channel_swap(false).augment_remix(false);
}

std::vector<Batch> read_epoch(const AudioFolder& folder, int64_t epoch) {
  std::vector<Batch> batches;
  auto pass = folder.epoch(epoch);
  while (auto batch = pass.next()) batches.push_back(std::move(*batch));
  return batches;
}

bool same(const std::vector<Batch>& a, const std::vector<Batch>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!torch::equal(a[i].mixture, b[i].mixture) || !torch::equal(a[i].targets, b[i].targets)) {
      return false;
    }
  }
  return true;
}

// Bytes this process has read through read() and friends so far (Linux /proc/self/io).
int64_t bytes_read() {
  std::ifstream io("/proc/self/io");
  std::string key;
  int64_t value = -1;
  while (io >> key >> value) {
    if (key == "rchar:") return value;
  }
  return -1;
}

}  // namespace

TEST(DatasetsSampler, BatchesHaveTheDocumentedShapes) {
  TempDir root;
  write_tracks(root / "train", 3);
  const AudioFolder folder(root.path(), "train", small({"vocals", "drums"}));
  EXPECT_EQ(folder.num_batches(), 3);
  const auto batches = read_epoch(folder, 0);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].mixture.sizes(), (std::vector<int64_t>{4, 2, 4000}));     // (B, C, N)
  EXPECT_EQ(batches[0].targets.sizes(), (std::vector<int64_t>{4, 2, 2, 4000}));  // (B, K, C, N)
  EXPECT_EQ(batches[2].mixture.sizes(), (std::vector<int64_t>{2, 2, 4000}));     // last: 10 - 8
  EXPECT_EQ(batches[0].mixture.dtype(), torch::kFloat);
}

TEST(DatasetsSampler, SameSeedSameBatchesWhateverTheWorkerCount) {
  TempDir root;
  write_tracks(root / "train", 3);
  const auto serial = read_epoch(AudioFolder(root.path(), "train", small()), 0);
  const auto one = read_epoch(AudioFolder(root.path(), "train", small().num_workers(1)), 0);
  const auto two = read_epoch(AudioFolder(root.path(), "train", small().num_workers(2)), 0);
  EXPECT_TRUE(same(serial, one));
  EXPECT_TRUE(same(serial, two));
  const auto other_seed = read_epoch(AudioFolder(root.path(), "train", small().seed(7)), 0);
  EXPECT_FALSE(same(serial, other_seed));
}

TEST(DatasetsSampler, EveryBatchAndEpochDrawsItsOwnChunks) {
  TempDir root;
  write_tracks(root / "train", 3);
  const AudioFolder folder(root.path(), "train", small().num_workers(2).max_num_samples(12));
  const auto epoch0 = read_epoch(folder, 0);
  const auto epoch1 = read_epoch(folder, 1);
  EXPECT_FALSE(same(epoch0, epoch1));
  for (size_t i = 0; i < epoch0.size(); ++i) {
    for (size_t j = i + 1; j < epoch0.size(); ++j) {
      EXPECT_FALSE(torch::equal(epoch0[i].mixture, epoch0[j].mixture)) << i << " vs " << j;
    }
  }
  EXPECT_TRUE(torch::equal(folder.batch(0, 1).mixture, epoch0[1].mixture));
  EXPECT_THROW(folder.batch(0, 3), auralflow::UsageError);
  // Replacing an epoch in progress stops its workers; the new one starts from its first batch.
  auto pass = folder.epoch(0);
  ASSERT_TRUE(pass.next().has_value());
  pass = folder.epoch(1);
  EXPECT_TRUE(torch::equal(pass.next()->mixture, epoch1[0].mixture));
}

TEST(DatasetsSampler, ReadsOnlyTheChunkFromDisk) {
  if (bytes_read() < 0) GTEST_SKIP() << "no /proc/self/io here";
  TempDir root;
  write_track(root / "train", "long", 0, {30.0, 8000, 1});  // 960 kB per float32 WAV file
  const int64_t file_bytes = std::filesystem::file_size(root / "train" / "long" / "vocals.wav");
  const AudioFolder folder(root.path(), "train",
                           without_augmentation(small().num_channels(1).batch_size(1)));
  const int64_t before = bytes_read();
  const Batch batch = folder.batch(0, 0);
  const int64_t read = bytes_read() - before;
  EXPECT_EQ(batch.mixture.sizes(), (std::vector<int64_t>{1, 1, 4000}));
  // Two files (mixture, vocals) of 0.5 s = 2 x 16 kB plus headers, not 2 x 960 kB.
  EXPECT_LT(read, file_bytes / 8) << read << " bytes read for one chunk";
}

TEST(DatasetsSampler, MixtureIsTheSumOfTheAugmentedStems) {
  TempDir root;
  write_tracks(root / "train", 3);
  const std::vector<std::string> all{"drums", "bass", "other", "vocals"};
  const AudioFolder folder(root.path(), "train", small(all));
  for (const auto& batch : read_epoch(folder, 0)) {
    EXPECT_TRUE(torch::allclose(batch.mixture, batch.targets.sum(1), 1e-5, 1e-6));
  }
  // Augmentations change the stems: the same draw without them differs.
  const AudioFolder plain(root.path(), "train", without_augmentation(small(all)));
  EXPECT_FALSE(torch::allclose(folder.batch(0, 0).targets, plain.batch(0, 0).targets));
}

TEST(DatasetsSampler, StoredMixtureIsUsedOnlyWithoutAugmentation) {
  TempDir root;
  const auto track = root / "train" / "a";
  const torch::Tensor sum = write_track(root / "train", "a", 0);
  // A stored mixture that is not the sum of the stems (an extra constant 0.05).
  auralflow::audio::save((track / "mixture.wav").string(), sum + 0.05, 8000,
                         auralflow::audio::SampleFormat::Float32);
  const std::vector<std::string> all{"drums", "bass", "other", "vocals"};
  const Batch plain =
      AudioFolder(root.path(), "train", without_augmentation(small(all))).batch(0, 0);
  EXPECT_TRUE(torch::allclose(plain.mixture - plain.targets.sum(1),
                              torch::full_like(plain.mixture, 0.05), 1e-5, 1e-5));
  const Batch gained =
      AudioFolder(root.path(), "train", small(all).augment_channel_swap(false).augment_remix(false))
          .batch(0, 0);
  EXPECT_TRUE(torch::allclose(gained.mixture, gained.targets.sum(1), 1e-5, 1e-6));
}

TEST(DatasetsSampler, ChannelSwapSwapsStereoChannels) {
  TempDir root;
  write_tracks(root / "train", 2);  // left channel twice as loud as the right
  const auto options =
      small({"vocals"}).augment_gain(false).augment_remix(false).max_num_samples(16).batch_size(16);
  const Batch batch = AudioFolder(root.path(), "train", options).batch(0, 0);
  const torch::Tensor left = batch.targets.select(2, 0).pow(2).mean(-1).flatten();   // (B)
  const torch::Tensor right = batch.targets.select(2, 1).pow(2).mean(-1).flatten();  // (B)
  const int64_t swapped = (right > left).sum().item<int64_t>();
  EXPECT_GT(swapped, 0);
  EXPECT_LT(swapped, 16);
}

TEST(DatasetsSampler, SilentTargetsAreRedrawnNotDropped) {
  TempDir root;
  write_track(root / "train", "loud", 0);
  write_track(root / "train", "silent vocals", 1, {2.0, 8000, 2, {"vocals"}});
  const auto options = without_augmentation(small().batch_size(8).max_num_samples(32));
  const AudioFolder folder(root.path(), "train", options);
  ASSERT_EQ(folder.report().tracks.size(), 2u);
  int64_t chunks = 0;
  for (const auto& batch : read_epoch(folder, 0)) {
    const torch::Tensor power = batch.targets.pow(2).mean({1, 2, 3});  // (B)
    EXPECT_GT(power.min().item<double>(), 1e-4);
    chunks += batch.mixture.size(0);
  }
  EXPECT_EQ(chunks, 32);
}

TEST(DatasetsSampler, ResamplesAndMixesChannelsToTheOptions) {
  TempDir root;
  write_track(root / "train", "a", 0, {2.0, 11025, 1});  // mono at 11.025 kHz
  const Batch stereo = AudioFolder(root.path(), "train", small()).batch(0, 0);
  EXPECT_EQ(stereo.mixture.sizes(), (std::vector<int64_t>{4, 2, 4000}));
  EXPECT_TRUE(torch::equal(stereo.targets.select(2, 0), stereo.targets.select(2, 1)));

  write_track(root / "train", "b", 1, {2.0, 8000, 2});
  const Batch mono = AudioFolder(root.path(), "train", small().num_channels(1)).batch(0, 0);
  EXPECT_EQ(mono.targets.sizes(), (std::vector<int64_t>{4, 1, 1, 4000}));
}

TEST(DatasetsSampler, StemFilesStreamToo) {
  TempDir root;
  copy_stem_file(root / "train", "A");
  copy_stem_file(root / "train", "B");
  const std::vector<std::string> all{"drums", "bass", "other", "vocals"};
  const AudioFolder folder(root.path(), "train", small(all).max_num_samples(2).batch_size(2));
  const Batch batch = folder.batch(0, 0);
  EXPECT_EQ(batch.targets.sizes(), (std::vector<int64_t>{2, 4, 2, 4000}));
  EXPECT_TRUE(torch::allclose(batch.mixture, batch.targets.sum(1), 1e-5, 1e-6));
  EXPECT_GT(batch.targets.pow(2).mean().item<double>(), 1e-5);
}

TEST(DatasetsSampler, WorkerErrorsReachTheCaller) {
  TempDir root;
  write_tracks(root / "train", 2);
  const AudioFolder folder(root.path(), "train", small().num_workers(2));
  std::filesystem::remove_all(root / "train" / "track01");
  std::filesystem::remove_all(root / "train" / "track00");
  auto pass = folder.epoch(0);
  EXPECT_THROW(
      {
        while (pass.next()) {
        }
      },
      auralflow::Error);
}

TEST(DatasetsSampler, FactoryReadsTheConfig) {
  TempDir root;
  write_tracks(root / "train", 2);
  auto config = auralflow::Config::from_template("SpectrogramNetSimple", "m");
  config.set("sample_rate", "8000");
  config.set("sample_length", "0.25");
  config.set("batch_size", "3");
  config.set("max_num_samples", "5");
  config.set("targets", "vocals,bass");
  const AudioFolder folder = AudioFolder::from_config(config, root.path(), "train");
  EXPECT_EQ(folder.num_batches(), 2);
  EXPECT_EQ(folder.options().num_workers(), config.get_int("num_workers"));
  EXPECT_EQ(folder.batch(0, 0).targets.sizes(), (std::vector<int64_t>{3, 2, 1, 2000}));
}

TEST(DatasetsSampler, AudioDatasetHoldsAFixedDeterministicSet) {
  TempDir root;
  write_tracks(root / "test", 3);
  const auto make = [&](uint64_t seed) {
    return auralflow::create_audio_dataset(root.path(), "test", {"vocals"}, 0.5, 6, 80, 8000,
                                           /*mono=*/true, 0.1, seed);
  };
  auto dataset = make(0);
  ASSERT_EQ(dataset.size().value(), 6u);
  EXPECT_EQ(dataset.mixtures().sizes(), (std::vector<int64_t>{6, 1, 4000}));
  EXPECT_EQ(dataset.targets().sizes(), (std::vector<int64_t>{6, 1, 1, 4000}));
  EXPECT_TRUE(torch::equal(dataset.mixtures(), make(0).mixtures()));
  EXPECT_FALSE(torch::equal(dataset.mixtures(), make(1).mixtures()));
  // The stored mixture (the sum of the generated stems) comes with its vocals.
  const auto example = dataset.get(2);
  EXPECT_EQ(example.data.sizes(), (std::vector<int64_t>{1, 4000}));
  EXPECT_EQ(example.target.sizes(), (std::vector<int64_t>{1, 1, 4000}));

  auto loader =
      torch::data::make_data_loader(std::move(dataset).map(torch::data::transforms::Stack<>()),
                                    torch::data::DataLoaderOptions().batch_size(4));
  std::vector<int64_t> sizes;
  for (const auto& batch : *loader) sizes.push_back(batch.data.size(0));
  EXPECT_EQ(sizes, (std::vector<int64_t>{4, 2}));
}

TEST(DatasetsSampler, SeveralSourcesGiveChunksInProportionToTheirWeights) {
  TempDir root;
  // Source "b" has a silent "other" stem: a chunk whose "other" target is silent came from b.
  write_tracks(root / "a" / "train", 3);
  write_tracks(root / "b" / "train", 3, {2.0, 8000, 2, {"other"}});
  const auto options = small({"vocals", "other"}).max_num_samples(400).batch_size(100);
  const auto fraction_from_b = [&](double weight_a, double weight_b) {
    const AudioFolder folder(
        std::vector<auralflow::DataSource>{{root / "a", weight_a}, {root / "b", weight_b}}, "train",
        options);
    EXPECT_EQ(folder.num_sources(), 2u);
    int64_t from_b = 0, chunks = 0;
    for (const auto& batch : read_epoch(folder, 0)) {
      const torch::Tensor other_power = batch.targets.select(1, 1).pow(2).mean({1, 2});  // (B)
      from_b += (other_power < 1e-12).sum().item<int64_t>();
      chunks += batch.mixture.size(0);
    }
    return static_cast<double>(from_b) / static_cast<double>(chunks);
  };
  // 400 draws: the standard deviation of the fraction is about 0.025.
  EXPECT_NEAR(fraction_from_b(1.0, 3.0), 0.75, 0.1);
  EXPECT_NEAR(fraction_from_b(1.0, 1.0), 0.5, 0.1);
  EXPECT_NEAR(fraction_from_b(9.0, 1.0), 0.1, 0.1);
}

TEST(DatasetsSampler, BadSourceWeightsAreUsageErrors) {
  TempDir root;
  write_tracks(root / "train", 2);
  using Sources = std::vector<auralflow::DataSource>;
  EXPECT_THROW(AudioFolder(Sources{{root.path(), 0.0}}, "train", small()), auralflow::UsageError);
  EXPECT_THROW(AudioFolder(Sources{{root.path(), -1.0}}, "train", small()), auralflow::UsageError);
  EXPECT_THROW(AudioFolder(Sources{}, "train", small()), auralflow::UsageError);
}

TEST(DatasetsSampler, RemixTakesEachStemFromItsOwnTrack) {
  TempDir root;
  // Stem s of track i is a tone of 110 (s + 1) + 7 i Hz (test_datasets_support.hpp).
  const int tracks = 6;
  write_tracks(root / "train", tracks);
  const std::vector<std::string> all = auralflow::stem_names();
  // The track index of every stem of every chunk, from the peak of its spectrum.
  const auto source_tracks = [&](const Batch& batch) {
    // An 8000-point FFT at 8 kHz: bin k is k Hz.
    const torch::Tensor spectrum = torch::abs(torch::fft::rfft(batch.targets.select(2, 0), 8000));
    const torch::Tensor peak_hz = spectrum.argmax(-1).to(torch::kDouble);  // (B, 4)
    std::vector<std::vector<int64_t>> indices;                             // [chunk][stem]
    for (int64_t b = 0; b < peak_hz.size(0); ++b) {
      indices.emplace_back();
      for (int64_t s = 0; s < peak_hz.size(1); ++s)
        indices.back().push_back(
            std::llround((peak_hz[b][s].item<double>() - 110.0 * static_cast<double>(s + 1)) / 7));
    }
    return indices;
  };
  auto options = small(all).augment_gain(false).max_num_samples(32).batch_size(32);
  int64_t mixed = 0;
  for (const auto& chunk : source_tracks(AudioFolder(root.path(), "train", options).batch(0, 0))) {
    for (const int64_t index : chunk) ASSERT_TRUE(index >= 0 && index < tracks) << index;
    mixed += std::set<int64_t>(chunk.begin(), chunk.end()).size() > 1 ? 1 : 0;
  }
  // Four stems each from one of 6 tracks: all from one track in 1 of 216 chunks.
  EXPECT_GT(mixed, 24);
  for (const auto& chunk :
       source_tracks(AudioFolder(root.path(), "train", options.augment_remix(false)).batch(0, 0))) {
    EXPECT_EQ(std::set<int64_t>(chunk.begin(), chunk.end()).size(), 1u);
  }
}
