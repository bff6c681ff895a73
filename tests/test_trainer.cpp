// Trainer and `auralflow train`: checkpoints best/last, resume equals
// uninterrupted training, a kill at any moment leaves a loadable checkpoint,
// runs/ images/ audio/ evaluation.csv.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "auralflow/model_folder.hpp"
#include "auralflow/state_dict.hpp"
#include "auralflow/trainer.hpp"
#include "test_datasets_support.hpp"
#include "test_support.hpp"

extern char** environ;

using auralflow::Config;
using auralflow::ModelFolder;
using auralflow::Trainer;
using auralflow::TrainerOptions;
using auralflow::testing::TempDir;

namespace {

// Settings that make one epoch take a fraction of a second.
const std::vector<std::pair<std::string, std::string>> kTinySettings = {
    {"num_fft", "64"},         {"window_size", "64"},   {"hop_length", "16"},
    {"hidden_channels", "2"},  {"sample_rate", "8000"}, {"sample_length", "0.25"},
    {"num_channels", "2"},     {"batch_size", "2"},     {"max_num_samples", "4"},
    {"num_workers", "1"},      {"val_split", "0.25"},   {"save_frequency", "1"},
    {"max_epochs", "2"},       {"device", "cpu"},       {"num_threads", "1"},
    {"targets", "vocals,bass"}};

// dir/data: 4 train tracks (one held out as "valid") and 1 test track, 1 s, 8
// kHz stereo.
std::filesystem::path write_dataset(const TempDir& dir) {
  const auto root = dir / "data";
  auralflow::testing::write_tracks(root / "train", 4, {1.0, 8000, 2, {}});
  auralflow::testing::write_tracks(root / "test", 1, {1.0, 8000, 2, {}});
  return root;
}

ModelFolder tiny_model(const TempDir& dir, const std::string& name,
                       const std::string& type = "SpectrogramNetSimple") {
  auto folder = ModelFolder::create(dir.path(), name, type, false);
  Config config = folder.load_config();
  for (const auto& [key, value] : kTinySettings) config.set(key, value);
  folder.save_config(config);
  return folder;
}

double max_weight_difference(Trainer& a, Trainer& b) {
  const auto weights_a = auralflow::state_dict(a.model().network().module());
  const auto weights_b = auralflow::state_dict(b.model().network().module());
  double difference = 0.0;
  for (const auto& [name, tensor] : weights_a)
    difference = std::max(difference, (tensor - weights_b.at(name)).abs().max().item<double>());
  return difference;
}

// Starts `auralflow <arguments...>` with output discarded; returns its pid.
pid_t spawn_cli(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv_strings = {AURALFLOW_CLI_PATH};
  argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : argv_strings) argv.push_back(argument.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int status = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (status != 0) throw std::runtime_error("cannot start " + argv_strings[0]);
  return pid;
}

}  // namespace

TEST(Trainer, ResumedTrainingEndsWithTheWeightsOfAnUninterruptedRun) {
  TempDir dir;
  const auto data = write_dataset(dir);
  Trainer straight(tiny_model(dir, "straight"), data, TrainerOptions().epochs(2));
  straight.run();

  const auto resumed_folder = tiny_model(dir, "resumed");
  Trainer first_half(resumed_folder, data, TrainerOptions().epochs(1));
  first_half.run();
  Trainer second_half(resumed_folder, data, TrainerOptions().epochs(1));
  EXPECT_EQ(second_half.state().epoch, 1);
  const auto result = second_half.run();

  EXPECT_EQ(result.first_epoch, 2);
  EXPECT_EQ(result.state.epoch, 2);
  EXPECT_EQ(result.state.global_step, straight.state().global_step);
  EXPECT_LE(max_weight_difference(straight, second_half), 1e-6);
  // And training changed the weights at all (the comparison is not vacuous).
  Trainer fresh(tiny_model(dir, "fresh"), data, TrainerOptions().epochs(1));
  EXPECT_GT(max_weight_difference(straight, fresh), 1e-4);
}

TEST(Trainer, WritesCheckpointsRunsImagesAndAudio) {
  TempDir dir;
  const auto data = write_dataset(dir);
  const auto folder = tiny_model(dir, "model");
  Trainer trainer(folder, data, TrainerOptions().epochs(1));
  const Config& config = trainer.model().config();
  trainer.add_callback(std::make_shared<auralflow::TensorBoardLogger>(folder.runs_dir(), config));
  trainer.add_callback(
      std::make_shared<auralflow::SnapshotWriter>(folder.images_dir(), folder.audio_dir(), config));
  const auto result = trainer.run();

  EXPECT_EQ(result.state.best_epoch, 1);
  EXPECT_TRUE(std::filesystem::exists(folder.best_checkpoint()));
  EXPECT_TRUE(std::filesystem::exists(folder.last_checkpoint()));
  for (const std::string target : {"vocals", "bass"}) {
    EXPECT_TRUE(
        std::filesystem::exists(folder.images_dir() / ("epoch_1_" + target + "_spectrogram.png")));
    EXPECT_TRUE(
        std::filesystem::exists(folder.images_dir() / ("epoch_1_" + target + "_waveform.png")));
    EXPECT_TRUE(
        std::filesystem::exists(folder.audio_dir() / ("epoch_1_" + target + "_estimate.wav")));
  }
  std::filesystem::path events;
  for (const auto& entry : std::filesystem::directory_iterator(folder.runs_dir()))
    if (entry.path().filename().string().rfind("events.out.tfevents.", 0) == 0)
      events = entry.path();
  ASSERT_FALSE(events.empty());
  std::ifstream file(events, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), {});
  for (const std::string tag : {"loss/batch", "loss/train", "loss/valid", "learning_rate",
                                "weights/", "gradients/", "vocals/spectrogram", "bass/estimate"})
    EXPECT_NE(bytes.find(tag), std::string::npos) << tag;
}

TEST(Trainer, KillAtAnyMomentLeavesALoadableCheckpoint) {
  TempDir dir;
  const auto data = write_dataset(dir);
  const auto folder = tiny_model(dir, "model");
  for (int round = 0; round < 3; ++round) {
    const pid_t pid = spawn_cli(
        {"train", folder.root().string(), data.string(), "--epochs", "1000", "--no-evaluate"});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!std::filesystem::exists(folder.last_checkpoint()) &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    // Checkpoints are written every epoch (a fraction of a second): kill at a
    // varying moment.
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + 170 * round));
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    auto model = auralflow::SeparationModel::create(folder.load_config(), torch::kCPU);
    EXPECT_NO_THROW(model->load(folder.last_checkpoint())) << "round " << round;
  }
}

TEST(TrainCli, ConfigTrainResumeAndEvaluation) {
  TempDir dir;
  const auto data = write_dataset(dir);
  std::string settings;
  for (const auto& [key, value] : kTinySettings) settings += " --" + key + " " + value;
  const auto config = auralflow::testing::run_cli("config tiny SpectrogramNetSimple --save '" +
                                                  dir.path().string() + "'" + settings);
  ASSERT_EQ(config.exit_code, 0) << config.output;
  const auto model = (dir / "tiny").string();

  const auto first =
      auralflow::testing::run_cli("train '" + model + "' '" + data.string() + "' --epochs 1");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("epoch 1"), std::string::npos) << first.output;
  std::ifstream csv(dir / "tiny" / "evaluation.csv");
  std::string header, row;
  std::getline(csv, header);
  std::getline(csv, row);
  EXPECT_EQ(header.rfind("row,track,target", 0), 0u) << header;
  EXPECT_EQ(row.rfind("track,track00,", 0), 0u) << row;

  const auto second = auralflow::testing::run_cli("train '" + model + "' '" + data.string() +
                                                  "' --epochs 1 --no-evaluate");
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("resuming after epoch 1"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("epoch 2"), std::string::npos) << second.output;
}

TEST(TrainCli, MissingDatasetIsAOneLineError) {
  TempDir dir;
  tiny_model(dir, "model");
  const auto result = auralflow::testing::run_cli("train '" + (dir / "model").string() + "' '" +
                                                  (dir / "nowhere").string() + "'");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.output.rfind("auralflow: error: ", 0), 0u) << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
}

TEST(Trainer, FineTuningStartsFromTheTrainedWeights) {
  TempDir dir;
  const auto data = write_dataset(dir);
  Trainer pretrained(tiny_model(dir, "pretrained"), data, TrainerOptions().epochs(1));
  pretrained.run();
  const auto source = (dir / "pretrained").string();

  Trainer tuned(tiny_model(dir, "tuned"), data, TrainerOptions().epochs(1).init_from(source));
  EXPECT_EQ(max_weight_difference(pretrained, tuned), 0.0);
  Trainer fresh(tiny_model(dir, "fresh"), data, TrainerOptions().epochs(1));
  EXPECT_GT(max_weight_difference(pretrained, fresh), 1e-4);
  // Fine-tuning trains on from there: one epoch moves the weights.
  tuned.run();
  EXPECT_GT(max_weight_difference(pretrained, tuned), 1e-6);
}

TEST(Trainer, FineTuningFromAnotherArchitectureIsAClearError) {
  TempDir dir;
  const auto data = write_dataset(dir);
  Trainer(tiny_model(dir, "pretrained"), data, TrainerOptions().epochs(1)).run();
  const auto source = (dir / "pretrained").string();

  auto wider = tiny_model(dir, "wider");
  Config config = wider.load_config();
  config.set("hidden_channels", "4");
  wider.save_config(config);
  try {
    Trainer trainer(wider, data, TrainerOptions().init_from(source));
    FAIL() << "a model with other shapes loaded";
  } catch (const auralflow::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("cannot start from"), std::string::npos) << message;
    EXPECT_NE(message.find(" there but "), std::string::npos) << message;
  }
  EXPECT_THROW(Trainer(tiny_model(dir, "lstm", "SpectrogramNetLSTM"), data,
                       TrainerOptions().init_from(source)),
               auralflow::Error);
}

TEST(TrainCli, TrainsOnTwoDataSetsByWeightAndStartsFromATrainedModel) {
  TempDir dir;
  const auto data = write_dataset(dir);
  const auto generated = dir / "generated";
  auralflow::testing::write_tracks(generated / "train", 2, {1.0, 8000, 2, {}});
  tiny_model(dir, "first");
  const auto first = auralflow::testing::run_cli("train '" + (dir / "first").string() + "' '" +
                                                 data.string() + "' '" + generated.string() +
                                                 "' --weights 3 1 --epochs 1 --no-evaluate");
  ASSERT_EQ(first.exit_code, 0) << first.output;

  // A folder without config.json takes the trained model's config.
  const auto tuned = dir / "tuned";
  const auto second = auralflow::testing::run_cli(
      "train '" + tuned.string() + "' '" + data.string() + "' --init '" + (dir / "first").string() +
      "' --epochs 1 --no-evaluate");
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("starting from the weights of"), std::string::npos) << second.output;
  const Config config = ModelFolder(tuned).load_config();
  EXPECT_EQ(config.get_strings("targets"), (std::vector<std::string>{"vocals", "bass"}));
  EXPECT_EQ(config.get_int("hidden_channels"), 2);
  EXPECT_EQ(config.get_string("model_name"), "tuned");

  const auto mismatched =
      auralflow::testing::run_cli("train '" + (dir / "first").string() + "' '" + data.string() +
                                  "' '" + generated.string() + "' --weights 1");
  EXPECT_EQ(mismatched.exit_code, 2);  // a usage error
  EXPECT_NE(mismatched.output.find("one per data set"), std::string::npos) << mismatched.output;
  EXPECT_EQ(std::count(mismatched.output.begin(), mismatched.output.end(), '\n'), 1)
      << mismatched.output;
}
