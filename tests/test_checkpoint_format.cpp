// The checkpoint format (docs/checkpoints.md): a checkpoint written before the format had a
// version (tests/data/checkpoints/umx-v1, made by an earlier build) still loads, whole, and
// separates as it did; this build writes format_version 1; a newer format is a clear error.
#include <gtest/gtest.h>

#include <torch/serialize.h>

#include "auralflow/audio.hpp"
#include "auralflow/model_folder.hpp"
#include "auralflow/separation_model.hpp"
#include "auralflow/separator.hpp"
#include "test_support.hpp"

using auralflow::testing::fixture_path;
using auralflow::testing::TempDir;

namespace {

std::filesystem::path fixture_folder() {
  return fixture_path("checkpoints/umx-v1/checkpoint/last.pth").parent_path().parent_path();
}

}  // namespace

TEST(CheckpointFormat, VersionOneCheckpointLoadsEveryPart) {
  const auralflow::ModelFolder folder(fixture_folder());
  auto model = auralflow::SeparationModel::create(folder.load_config(), torch::kCPU);
  torch::Tensor epoch, global_step, best_loss;
  const int64_t step =
      model->load(folder.last_checkpoint(), {}, [&](torch::serialize::InputArchive& extra) {
        extra.read("epoch", epoch);
        extra.read("global_step", global_step);
        extra.read("best_loss", best_loss);
      });
  EXPECT_EQ(epoch.item<int64_t>(), 1);
  EXPECT_EQ(global_step.item<int64_t>(), step);
  EXPECT_GT(step, 0);
  EXPECT_NEAR(best_loss.item<double>(), 0.0, 1.0);
}

TEST(CheckpointFormat, VersionOneCheckpointSeparatesAsWhenItWasWritten) {
  TempDir dir;
  torch::set_num_threads(1);  // as the earlier build separated expected_vocals.wav
  const auto model = auralflow::load_model(fixture_folder(), torch::kCPU);
  const auralflow::Separator separator(auralflow::ChunkSeparator::from(model));
  auralflow::TrackOptions options;
  options.format = auralflow::audio::SampleFormat::Float32;
  separator.separate_file(fixture_folder() / "input.wav", dir / "out", options);
  const auto vocals = auralflow::audio::load((dir / "out/vocals.wav").string());
  const auto expected = auralflow::audio::load((fixture_folder() / "expected_vocals.wav").string());
  ASSERT_EQ(vocals.sizes(), expected.sizes());
  EXPECT_LT((vocals - expected).abs().max().item<double>(), 1e-5);
}

TEST(CheckpointFormat, WritesItsVersionAndRefusesANewerOne) {
  TempDir dir;
  const auralflow::ModelFolder folder(fixture_folder());
  auto model = auralflow::SeparationModel::create(folder.load_config(), torch::kCPU);
  model->load(folder.last_checkpoint(), {true, false, false, false});
  model->save(dir / "now.pth", 7, {true, false, false, false});
  torch::serialize::InputArchive written;
  written.load_from((dir / "now.pth").string());
  c10::IValue version;
  ASSERT_TRUE(written.try_read("format_version", version));
  EXPECT_EQ(version.toInt(), 1);

  // The same file claiming format 2: rewritten key by key with a higher version.
  torch::serialize::OutputArchive newer;
  newer.write("format_version", c10::IValue(int64_t{2}));
  for (const char* key : {"step", "model_type", "config"}) {
    c10::IValue value;
    written.read(key, value);
    newer.write(key, value);
  }
  newer.save_to((dir / "newer.pth").string());
  const auto message = auralflow::testing::error_of([&] {
    model->load(dir / "newer.pth", {true, false, false, false});
  });
  EXPECT_TRUE(auralflow::testing::contains(message, "checkpoint format 2 is newer")) << message;
}
