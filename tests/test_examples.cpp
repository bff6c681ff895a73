// The example programs of examples/ run as a user runs them: each test checks the exit code,
// what the program prints and the files it writes.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "auralflow/audio.hpp"
#include "auralflow/datasets.hpp"
#include "auralflow/model_folder.hpp"
#include "auralflow/separation_model.hpp"
#include "test_support.hpp"

namespace audio = auralflow::audio;
using auralflow::testing::contains;
using auralflow::testing::fixture_path;
using auralflow::testing::run_command;
using auralflow::testing::TempDir;

namespace {

// Runs build/examples/example_<name> with shell-quoted `arguments`.
auralflow::testing::CommandResult run_example(const std::string& name,
                                              const std::vector<std::string>& arguments = {}) {
  std::string command = "'" AURALFLOW_EXAMPLES_DIR "/example_" + name + "'";
  for (const auto& argument : arguments) command += " '" + argument + "'";
  return run_command(command);
}

std::string musdb_sample() {
  return fixture_path("musdb18-sample/train/Music Delta - 80s Rock.stem.mp4").string();
}

// The numbers that follow `label` in `output` on each line holding it, e.g. "SI-SDR 3.2".
std::vector<double> values_after(const std::string& output, const std::string& label) {
  std::vector<double> values;
  const std::regex number(label + " (-?[0-9.]+(?:e[-+]?[0-9]+)?|-?inf|nan)");
  for (std::sregex_iterator it(output.begin(), output.end(), number), end; it != end; ++it)
    values.push_back(std::stod((*it)[1]));
  return values;
}

// target -> SI-SDR from score_estimates' lines "<target>: SDR ... SI-SDR <value>".
std::map<std::string, double> si_sdr_by_target(const std::string& output) {
  std::map<std::string, double> values;
  const std::regex line("(\\w+): SDR .* SI-SDR (-?[0-9.]+|-?inf|nan)");
  for (std::sregex_iterator it(output.begin(), output.end(), line), end; it != end; ++it)
    values[(*it)[1]] = std::stod((*it)[2]);
  return values;
}

}  // namespace

TEST(Examples, MaskSpectrogramMasksEveryTargetAndChannel) {
  const auto result = run_example("mask_spectrogram");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // 1 s at hop 512: floor(44100 / 512) + 2 = 88 frames of 513 bins.
  EXPECT_TRUE(contains(result.output, "spectrogram: [1, 2, 513, 88]")) << result.output;
  EXPECT_TRUE(contains(result.output, "masks: [1, 2, 2, 513, 88], from ")) << result.output;
  EXPECT_TRUE(contains(result.output, "estimates: [1, 2, 2, 44100]")) << result.output;
  const auto low = values_after(result.output, "from");
  const auto high = values_after(result.output, "to");
  ASSERT_EQ(low.size(), 1u) << result.output;
  ASSERT_EQ(high.size(), 1u) << result.output;
  EXPECT_GE(low[0], 0.0);
  EXPECT_LT(low[0], high[0]);
  EXPECT_LE(high[0], 1.0);
}

TEST(Examples, SeparationModelSeparatesWithTheConfigItWrote) {
  TempDir dir;
  const auto result = run_example("separation_model", {dir.path().string()});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "model: SpectrogramNetSimple, targets: vocals drums"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "stems: [1, 2, 2, 88200]")) << result.output;
  const auto config = auralflow::ModelFolder(dir / "my_model").load_config();
  EXPECT_EQ(config.get_strings("targets"), (std::vector<std::string>{"vocals", "drums"}));
  EXPECT_EQ(config.get_int("hidden_channels"), 8);
  for (const auto& target : {"vocals", "drums"}) {
    const auto rms = values_after(result.output, std::string(target) + " rms:");
    ASSERT_EQ(rms.size(), 1u) << result.output;
    EXPECT_TRUE(std::isfinite(rms[0]) && rms[0] > 0.0) << target;
  }
}

TEST(Examples, TrainingLoopTrainsTwoEpochsAndSavesACheckpointThatLoads) {
  TempDir dir;
  const auto result = run_example("training_loop", {dir.path().string()});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "epoch 1: 2 batches")) << result.output;
  EXPECT_TRUE(contains(result.output, "epoch 2: 2 batches")) << result.output;
  for (const char* label : {"train loss", "valid loss"}) {
    const auto losses = values_after(result.output, label);
    ASSERT_EQ(losses.size(), 2u) << result.output;
    for (const double loss : losses) EXPECT_TRUE(std::isfinite(loss)) << label;
  }
  const auralflow::ModelFolder folder(dir / "my_model");
  EXPECT_TRUE(
      contains(result.output, "saved " + folder.last_checkpoint().string() + " after 4 steps"))
      << result.output;
  const auto model = auralflow::SeparationModel::create(folder.load_config(), torch::kCPU);
  EXPECT_EQ(model->load(folder.last_checkpoint()), 4);
  EXPECT_TRUE(std::filesystem::exists(dir / "data/train/synth_0001/vocals.wav"));
}

TEST(Examples, SeparateFileWritesEveryStemOfTheBundledModel) {
  TempDir dir;
  const auto result =
      run_example("separate_file", {"synth-simple", musdb_sample(), dir.path().string(), "3"});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "model: synth-simple.pth (SpectrogramNetSimple)"))
      << result.output;
  EXPECT_TRUE(contains(result.output, ": 132300 frames at 44100 Hz, 2 channels")) << result.output;
  std::vector<std::string> names;
  std::istringstream lines(result.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  ", 0) != 0) continue;  // the written files are listed indented
    const std::filesystem::path file = line.substr(2);
    names.push_back(file.filename().string());
    const auto info = audio::info(file.string());
    EXPECT_EQ(info.frames, 132300) << file;
    EXPECT_EQ(info.channels, 2) << file;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"original.wav", "vocals.wav", "drums.wav", "bass.wav",
                                             "other.wav", "residual.wav"}));
}

TEST(Examples, ScoreEstimatesRanksTheTrueStemsAboveTheMixture) {
  const auto floor = run_example("score_estimates", {musdb_sample()});
  ASSERT_EQ(floor.exit_code, 0) << floor.output;
  EXPECT_TRUE(contains(floor.output, "6 frames of 1 s")) << floor.output;  // a 6.8 s track

  // Half the true stems as the estimates: scale does not matter to SI-SDR and BSSEval v4.
  TempDir estimates;
  audio::LoadOptions options;
  for (const auto& stem : auralflow::stem_names()) {
    ++options.stream;
    audio::save((estimates / (stem + ".wav")).string(), 0.5 * audio::load(musdb_sample(), options),
                44100);
  }
  const auto truth = run_example("score_estimates", {musdb_sample(), estimates.path().string()});
  ASSERT_EQ(truth.exit_code, 0) << truth.output;

  const auto floor_scores = si_sdr_by_target(floor.output);
  const auto truth_scores = si_sdr_by_target(truth.output);
  ASSERT_EQ(floor_scores.size(), 4u) << floor.output;
  ASSERT_EQ(truth_scores.size(), 4u) << truth.output;
  for (const auto& [target, si_sdr] : truth_scores) {
    EXPECT_GT(si_sdr, 40.0) << target << "\n" << truth.output;  // 16-bit rounding only
    EXPECT_LT(floor_scores.at(target), 20.0) << target << "\n" << floor.output;
  }
}
