// verify_dataset: every problem of a split in one error (missing stems, unreadable files,
// different sample rates or lengths, tracks shorter than sample_length), and what passes.
// The tracks go to test/, which (unlike train/) never loses tracks to the valid split.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"
#include "test_datasets_support.hpp"

using auralflow::DatasetOptions;
using auralflow::verify_dataset;
using auralflow::testing::copy_stem_file;
using auralflow::testing::TempDir;
using auralflow::testing::tone;
using auralflow::testing::TrackSpec;
using auralflow::testing::write_bytes;
using auralflow::testing::write_track;
namespace audio = auralflow::audio;

namespace {

using auralflow::testing::contains;

// The generated tracks are 2 seconds long.
DatasetOptions vocals() { return DatasetOptions({"vocals"}).sample_length(1.0); }

std::string verify_error(const std::filesystem::path& root, const DatasetOptions& options) {
  try {
    verify_dataset(root, "test", options);
  } catch (const auralflow::Error& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST(DatasetsVerify, GoodSplitReportsRateAndLengthOfEachTrack) {
  TempDir root;
  write_track(root / "test", "a", 0, {2.0, 8000});
  write_track(root / "test", "b", 1, {3.0, 11025});
  const auto report = verify_dataset(root.path(), "test", vocals());
  ASSERT_EQ(report.tracks.size(), 2u);
  EXPECT_EQ(report.tracks[0].sample_rate, 8000);
  EXPECT_EQ(report.tracks[0].frames, 16000);
  EXPECT_EQ(report.tracks[1].sample_rate, 11025);
  EXPECT_EQ(report.tracks[1].frames, 33075);
  EXPECT_TRUE(report.notes.empty());
}

TEST(DatasetsVerify, EveryProblemIsListedInOneError) {
  TempDir root;
  const auto train = root / "test";
  write_track(train, "fine", 0);
  write_track(train, "no vocals", 1);
  std::filesystem::remove(train / "no vocals" / "vocals.wav");
  write_track(train, "broken drums", 2);
  write_bytes(train / "broken drums" / "drums.wav", "RIFF but not really a wave file");
  write_track(train, "short vocals", 3);
  audio::save((train / "short vocals" / "vocals.wav").string(), tone(440, 1.0, 8000, 2), 8000);
  write_track(train, "fast vocals", 4);
  audio::save((train / "fast vocals" / "vocals.wav").string(), tone(440, 2.0, 16000, 2), 16000);
  write_track(train, "one second", 5, {1.0});
  write_bytes(train / "notes.txt", "stray files are no problem");

  const std::string message = verify_error(root.path(), vocals().sample_length(1.5));
  EXPECT_TRUE(contains(message, "the test split has 5 problems:")) << message;
  EXPECT_TRUE(contains(message, "no vocals': missing vocals")) << message;
  EXPECT_TRUE(contains(message, "broken drums/drums.wav':")) << message;
  EXPECT_TRUE(contains(message, "short vocals': stems have different lengths")) << message;
  EXPECT_TRUE(contains(message, "vocals 1.00 s")) << message;
  EXPECT_TRUE(contains(message, "fast vocals': stems have different sample rates")) << message;
  EXPECT_TRUE(contains(message, "vocals 16000 Hz")) << message;
  EXPECT_TRUE(
      contains(message, "one second': only 1.00 s long, shorter than sample_length (1.50 s)"))
      << message;
  EXPECT_FALSE(contains(message, "fine")) << message;
  EXPECT_FALSE(contains(message, "notes.txt")) << message;
}

TEST(DatasetsVerify, WithoutAugmentationOnlyMixtureAndTargetsAreNeeded) {
  TempDir root;
  write_track(root / "test", "a", 0);
  std::filesystem::remove(root / "test" / "a" / "drums.wav");
  const auto plain = vocals().augment_gain(false).augment_channel_swap(false).augment_remix(false);
  EXPECT_NO_THROW(verify_dataset(root.path(), "test", plain));
  // With augmentations the mixture is rebuilt from all four stems: drums are needed.
  const std::string message = verify_error(root.path(), vocals());
  EXPECT_TRUE(contains(message, "a': missing drums (with augmentations on")) << message;
  std::filesystem::remove(root / "test" / "a" / "mixture.wav");
  EXPECT_TRUE(contains(verify_error(root.path(), plain), "a': missing mixture"));
}

TEST(DatasetsVerify, UnreadableFileNamesTheFile) {
  TempDir root;
  write_track(root / "test", "a", 0);
  write_bytes(root / "test" / "a" / "mixture.wav", "");
  const std::string message = verify_error(
      root.path(), vocals().augment_gain(false).augment_channel_swap(false).augment_remix(false));
  EXPECT_TRUE(contains(message, "a/mixture.wav': the file is empty")) << message;
}

TEST(DatasetsVerify, StemFileWithTooFewStreamsIsAProblem) {
  TempDir root;
  copy_stem_file(root / "test", "real");
  std::filesystem::create_directories(root / "test");
  audio::save((root / "test" / "fake.stem.mp4").string(), tone(440, 2.0, 8000, 2), 8000);
  const std::string message = verify_error(root.path(), vocals());
  EXPECT_TRUE(contains(message, "1 problem:")) << message;
  EXPECT_TRUE(contains(message, "fake.stem.mp4': has 1 audio stream(s); a MUSDB18 .stem.mp4 has 5"))
      << message;
}

TEST(DatasetsVerify, RealStemFilePasses) {
  TempDir root;
  copy_stem_file(root / "test", "real");
  const auto report =
      verify_dataset(root.path(), "test", DatasetOptions({"vocals", "drums"}).sample_length(1.0));
  ASSERT_EQ(report.tracks.size(), 1u);
  EXPECT_EQ(report.tracks[0].sample_rate, 44100);
  EXPECT_EQ(report.tracks[0].frames, 299880);
}

TEST(DatasetsVerify, InvalidOptionsAreUsageErrors) {
  TempDir root;
  write_track(root / "test", "a", 0);
  EXPECT_THROW(verify_dataset(root.path(), "test", DatasetOptions({"piano"})),
               auralflow::UsageError);
  EXPECT_THROW(verify_dataset(root.path(), "test", DatasetOptions({"vocals", "vocals"})),
               auralflow::UsageError);
  EXPECT_THROW(verify_dataset(root.path(), "test", vocals().num_channels(3)),
               auralflow::UsageError);
}
