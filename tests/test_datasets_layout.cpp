// Dataset layouts and splits: MUSDB18-HQ folders, MUSDB18 .stem.mp4 files, val/ folders,
// the MUSDB18 validation list, the seeded val_split hold-out, stray files and empty folders.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"
#include "test_datasets_support.hpp"

using auralflow::DatasetOptions;
using auralflow::list_tracks;
using auralflow::testing::copy_stem_file;
using auralflow::testing::names;
using auralflow::testing::TempDir;
using auralflow::testing::write_bytes;
using auralflow::testing::write_tracks;
using Names = std::vector<std::string>;

namespace {

using auralflow::testing::error_of;

DatasetOptions vocals() { return DatasetOptions({"vocals"}); }

}  // namespace

TEST(DatasetsLayout, HqFoldersListInNameOrderWithEveryStem) {
  TempDir root;
  write_tracks(root / "train", 3);
  write_tracks(root / "test", 2);
  const auto tracks = list_tracks(root.path(), "test", vocals());
  EXPECT_EQ(names(tracks), (Names{"track00", "track01"}));
  ASSERT_EQ(tracks[0].stems.size(), 5u);
  EXPECT_EQ(tracks[0].stems.at("vocals").path, (root / "test" / "track00" / "vocals.wav").string());
  EXPECT_EQ(tracks[0].stems.at("vocals").stream, 0);
  EXPECT_EQ(tracks[0].path, (root / "test" / "track00").string());
}

TEST(DatasetsLayout, StemFilesMapStemsToMusdbStreams) {
  TempDir root;
  copy_stem_file(root / "test", "Song");
  const auto tracks = list_tracks(root.path(), "test", vocals());
  ASSERT_EQ(names(tracks), (Names{"Song"}));
  const auto& stems = tracks[0].stems;
  EXPECT_EQ(stems.at("mixture").stream, 0);
  EXPECT_EQ(stems.at("drums").stream, 1);
  EXPECT_EQ(stems.at("bass").stream, 2);
  EXPECT_EQ(stems.at("other").stream, 3);
  EXPECT_EQ(stems.at("vocals").stream, 4);
  EXPECT_EQ(stems.at("vocals").path, (root / "test" / "Song.stem.mp4").string());
}

TEST(DatasetsLayout, ValFolderIsTheValidSplitAndTrainKeepsEveryTrack) {
  TempDir root;
  write_tracks(root / "train", 3);
  write_tracks(root / "val", 1);
  copy_stem_file(root / "train", "Leaf - Summerghost");  // a MUSDB18 validation name
  EXPECT_EQ(names(list_tracks(root.path(), "valid", vocals())), (Names{"track00"}));
  EXPECT_EQ(names(list_tracks(root.path(), "train", vocals())),
            (Names{"Leaf - Summerghost", "track00", "track01", "track02"}));
}

TEST(DatasetsLayout, MusdbValidationTracksFormTheValidSplit) {
  TempDir root;
  for (const std::string name : {"Actions - One Minute Smile", "Leaf - Summerghost", "Own A"}) {
    copy_stem_file(root / "train", name);
  }
  EXPECT_EQ(names(list_tracks(root.path(), "valid", vocals())),
            (Names{"Actions - One Minute Smile", "Leaf - Summerghost"}));
  EXPECT_EQ(names(list_tracks(root.path(), "train", vocals())), (Names{"Own A"}));
  EXPECT_EQ(auralflow::musdb18_validation_tracks().size(), 14u);
}

TEST(DatasetsLayout, SeededFractionHoldsOutDisjointTracks) {
  TempDir root;
  write_tracks(root / "train", 10, {0.2});
  Names held_out_by_seed;
  for (const uint64_t seed : {0, 1, 2, 3}) {
    const auto options = vocals().val_split(0.2).seed(seed);
    const Names valid = names(list_tracks(root.path(), "valid", options));
    const Names train = names(list_tracks(root.path(), "train", options));
    ASSERT_EQ(valid.size(), 2u);
    ASSERT_EQ(train.size(), 8u);
    for (const auto& name : valid) {
      EXPECT_EQ(std::count(train.begin(), train.end(), name), 0) << name;
    }
    EXPECT_EQ(names(list_tracks(root.path(), "valid", options)), valid);  // same seed, same split
    held_out_by_seed.push_back(valid[0] + "," + valid[1]);
  }
  std::sort(held_out_by_seed.begin(), held_out_by_seed.end());
  EXPECT_GT(
      std::unique(held_out_by_seed.begin(), held_out_by_seed.end()) - held_out_by_seed.begin(), 1)
      << "every seed held out the same tracks";
}

TEST(DatasetsLayout, MaxNumTracksKeepsTheFirstNames) {
  TempDir root;
  write_tracks(root / "test", 4, {0.2});
  EXPECT_EQ(names(list_tracks(root.path(), "test", vocals().max_num_tracks(2))),
            (Names{"track00", "track01"}));
}

TEST(DatasetsLayout, StrayFilesAreIgnoredWithANote) {
  TempDir root;
  write_tracks(root / "test", 1, {0.2});
  write_bytes(root / "test" / "README.txt", "hello");
  write_bytes(root / "test" / "track00" / "cover.jpg", "\xff\xd8");
  write_bytes(root / "test" / "track00" / "guitar.wav", "not a stem");
  const auto report = auralflow::verify_dataset(root.path(), "test", vocals().sample_length(0.1));
  EXPECT_EQ(names(report.tracks), (Names{"track00"}));
  ASSERT_EQ(report.notes.size(), 3u);
  EXPECT_NE(report.notes[0].find("README.txt': not a track"), std::string::npos) << report.notes[0];
  EXPECT_NE(report.notes[1].find("cover.jpg': not an audio file"), std::string::npos)
      << report.notes[1];
  EXPECT_NE(report.notes[2].find("guitar.wav': not a stem"), std::string::npos) << report.notes[2];
}

TEST(DatasetsLayout, EmptyOrMissingFoldersAreClearErrors) {
  TempDir root;
  std::filesystem::create_directories(root / "train");
  EXPECT_NE(error_of([&] {
              list_tracks(root.path(), "train", vocals());
            }).find("no tracks for the train split"),
            std::string::npos);
  EXPECT_NE(
      error_of([&] { list_tracks(root.path(), "test", vocals()); }).find("test': no such folder"),
      std::string::npos);
  EXPECT_NE(error_of([&] {
              list_tracks(root / "nowhere", "train", vocals());
            }).find("nowhere': no such dataset folder"),
            std::string::npos);
  EXPECT_THROW(list_tracks(root.path(), "validation", vocals()), auralflow::UsageError);
}

TEST(DatasetsLayout, ValidSplitWithoutHoldOutSaysHowToGetOne) {
  TempDir root;
  write_tracks(root / "train", 2, {0.2});
  const std::string message =
      error_of([&] { list_tracks(root.path(), "valid", vocals().val_split(0.0)); });
  EXPECT_NE(message.find("the valid split is empty: add a val/ folder"), std::string::npos)
      << message;
}
