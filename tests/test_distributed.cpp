// Data-parallel training on 127.0.0.1 (c10d Gloo): N ranks with batch b step exactly as one
// process with batch N · b, only rank 0 writes, resume across process counts, and a dead or
// missing rank ends the job with an error instead of a hang.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "auralflow/distributed.hpp"
#include "auralflow/error.hpp"
#include "auralflow/separation_model.hpp"
#include "auralflow/state_dict.hpp"
#include "test_datasets_support.hpp"
#include "test_support.hpp"

using auralflow::ModelFolder;
using auralflow::testing::contains;
using auralflow::testing::run_cli;
using auralflow::testing::TempDir;

namespace {

// AudioNetSimple has no BatchNorm and, with dropout 0, no randomness in its step: ranks that
// split a batch compute exactly the gradient of the whole batch.
const auralflow::testing::Settings kTinySettings = {
    {"hidden_channels", "4"}, {"sample_rate", "8000"},    {"sample_length", "0.25"},
    {"num_channels", "1"},    {"max_num_samples", "8"},   {"num_workers", "0"},
    {"val_split", "0.25"},    {"dropout_p", "0"},         {"device", "cpu"},
    {"num_threads", "1"},     {"targets", "vocals,bass"}, {"save_frequency", "1"},
    {"save_image", "false"},  {"save_audio", "false"},    {"view_gradient", "false"}};

std::filesystem::path write_dataset(const TempDir& dir) {
  const auto root = dir / "data";
  auralflow::testing::write_tracks(root / "train", 4, {1.0, 8000, 1, {}});
  auralflow::testing::write_tracks(root / "test", 1, {1.0, 8000, 1, {}});
  return root;
}

ModelFolder tiny_model(const TempDir& dir, const std::string& name, int batch_size) {
  auto folder = ModelFolder::create(dir.path(), name, "AudioNetSimple", false);
  auralflow::Config config = folder.load_config();
  for (const auto& [key, value] : kTinySettings) config.set(key, value);
  config.set("batch_size", std::to_string(batch_size));
  folder.save_config(config);
  return folder;
}

auralflow::StateDict last_weights(const ModelFolder& folder) {
  auto model = auralflow::SeparationModel::create(folder.load_config(), torch::kCPU);
  model->load(folder.last_checkpoint());
  return auralflow::state_dict(model->network().module());
}

double max_difference(const auralflow::StateDict& a, const auralflow::StateDict& b) {
  double difference = 0.0;
  for (const auto& [name, tensor] : a)
    difference = std::max(difference, (tensor - b.at(name)).abs().max().item<double>());
  return difference;
}

std::string train(const ModelFolder& folder, const std::filesystem::path& data,
                  const std::string& options, int expected_exit = 0) {
  const auto result = run_cli("train '" + folder.root().string() + "' '" + data.string() +
                              "' --no-evaluate --epochs 1 " + options);
  EXPECT_EQ(result.exit_code, expected_exit) << result.output;
  return result.output;
}

// Runs a bash script; returns its output and how long it took.
std::pair<std::string, double> run_script(const std::string& script) {
  const auto start = std::chrono::steady_clock::now();
  FILE* pipe = popen(("bash -c '" + script + "' 2>&1").c_str(), "r");
  std::string output;
  char chunk[4096];
  for (size_t count; (count = fread(chunk, 1, sizeof(chunk), pipe)) > 0;)
    output.append(chunk, count);
  pclose(pipe);
  return {output, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

}  // namespace

TEST(DistributedTraining, TwoRanksWithBatchBStepAsOneProcessWithBatch2B) {
  TempDir dir;
  const auto data = write_dataset(dir);
  const auto single = tiny_model(dir, "single", 4);
  const auto ranks = tiny_model(dir, "ranks", 2);
  train(single, data, "");
  train(single, data, "");  // resumed
  train(ranks, data, "--nproc 2");
  const auto after_one_epoch = last_weights(ranks);
  train(ranks, data, "--nproc 2");  // resumed, distributed
  const double difference = max_difference(last_weights(single), last_weights(ranks));
  EXPECT_LT(difference, 1e-5);
  // The comparison can fail: the weights did change in the second epoch.
  EXPECT_GT(max_difference(after_one_epoch, last_weights(ranks)), 1e-4);
}

TEST(DistributedTraining, CheckpointsMoveBetweenProcessCounts) {
  TempDir dir;
  const auto data = write_dataset(dir);
  const auto folder = tiny_model(dir, "model", 2);
  train(folder, data, "--nproc 2");
  EXPECT_TRUE(contains(train(folder, data, ""), "resuming after epoch 1"));
  EXPECT_TRUE(contains(train(folder, data, "--nproc 2"), "resuming after epoch 2"));
  auto model = auralflow::SeparationModel::create(folder.load_config(), torch::kCPU);
  int64_t epoch = 0;
  model->load(folder.last_checkpoint(), {}, [&](torch::serialize::InputArchive& archive) {
    torch::Tensor stored;
    archive.read("epoch", stored);
    epoch = stored.item<int64_t>();
  });
  EXPECT_EQ(epoch, 3);
}

TEST(DistributedTraining, OnlyRankZeroWritesFiles) {
  TempDir dir;
  const auto data = write_dataset(dir);
  const auto folder = tiny_model(dir, "model", 2);
  const std::string output = train(folder, data, "--nproc 2");
  EXPECT_TRUE(contains(output, "distributed: 2 ranks, batch 2 each")) << output;
  // One progress report and one TensorBoard event file, not one per rank.
  size_t reports = 0;
  for (size_t at = output.find("epoch 1  train"); at != std::string::npos;
       at = output.find("epoch 1  train", at + 1))
    ++reports;
  EXPECT_EQ(reports, 1u) << output;
  size_t event_files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder.runs_dir()))
    event_files += entry.path().filename().string().rfind("events.out.tfevents", 0) == 0;
  EXPECT_EQ(event_files, 1u);
  std::vector<std::string> checkpoints;
  for (const auto& entry : std::filesystem::directory_iterator(folder.checkpoint_dir()))
    checkpoints.push_back(entry.path().filename().string());
  std::sort(checkpoints.begin(), checkpoints.end());
  EXPECT_EQ(checkpoints, (std::vector<std::string>{"best.pth", "last.pth"}));
}

// A model whose epochs last far longer than the tests that kill one of its ranks.
ModelFolder endless_model(const TempDir& dir) {
  auto folder = tiny_model(dir, "model", 2);
  auralflow::Config config = folder.load_config();
  config.set("max_num_samples", "100000");
  folder.save_config(config);
  return folder;
}

// Shell: waits until rank 0 has logged that training started (at most a minute), then 1 s more.
std::string wait_for_training(const std::string& log) {
  return "for i in $(seq 600); do grep -q \"distributed: 2 ranks\" \"" + log +
         "\" && break; sleep 0.1; done; sleep 1; ";
}

TEST(DistributedTraining, AKilledWorkerStopsTheJob) {
  TempDir dir;
  const auto data = write_dataset(dir);
  const auto folder = endless_model(dir);
  const std::string log = (dir / "log").string();
  // The launcher prints the worker pids; rank 1 is killed once rank 0 trains.
  const auto [output, seconds] = run_script(
      "\"" AURALFLOW_CLI_PATH "\" train \"" + folder.root().string() + "\" \"" + data.string() +
      "\" --nproc 2 > \"" + log + "\" 2>&1 & launcher=$!; " + wait_for_training(log) +
      "kill -9 $(sed -n \"s/.*(pids [0-9]* \\([0-9]*\\)).*/\\1/p\" \"" + log +
      "\"); wait $launcher; echo exit=$?; cat \"" + log + "\"");
  EXPECT_TRUE(contains(output, "exit=1")) << output;
  EXPECT_TRUE(contains(output, "worker 1 of 2 was killed by signal 9")) << output;
  EXPECT_LT(seconds, 60.0);
}

// Without the launcher (ranks started by torchrun or a scheduler), rank 0 notices by itself.
TEST(DistributedTraining, RankZeroNoticesADeadPeer) {
  TempDir dir;
  const auto data = write_dataset(dir);
  const auto folder = endless_model(dir);
  const std::string log0 = (dir / "rank0").string(), log1 = (dir / "rank1").string();
  const std::string command = "\"" AURALFLOW_CLI_PATH "\" train \"" + folder.root().string() +
                              "\" \"" + data.string() + "\" --no-evaluate";
  const auto [output, seconds] = run_script(
      "export MASTER_ADDR=127.0.0.1 MASTER_PORT=$((20000 + $$ % 20000)) WORLD_SIZE=2 "
      "AURALFLOW_DIST_TIMEOUT=30; RANK=0 " +
      command + " > \"" + log0 + "\" 2>&1 & rank0=$!; RANK=1 " + command + " > \"" + log1 +
      "\" 2>&1 & rank1=$!; " + wait_for_training(log0) +
      "kill -9 $rank1; wait $rank0; echo exit=$?; cat \"" + log0 + "\"");
  EXPECT_TRUE(contains(output, "exit=1")) << output;
  EXPECT_TRUE(contains(output, "auralflow [rank 0]: error: distributed")) << output;
  EXPECT_TRUE(contains(output, "did another rank stop?")) << output;
  EXPECT_LT(seconds, 60.0);
}

TEST(DistributedTraining, ARankAloneGivesUpAfterTheTimeout) {
  TempDir dir;
  const auto data = write_dataset(dir);
  const auto folder = tiny_model(dir, "model", 2);
  const auto start = std::chrono::steady_clock::now();
  const auto result = run_cli(
      "train '" + folder.root().string() + "' '" + data.string() + "' --no-evaluate", dir.path(),
      "MASTER_ADDR=127.0.0.1 MASTER_PORT=1 WORLD_SIZE=2 RANK=1 "
      "AURALFLOW_DIST_TIMEOUT=3");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output,
                       "auralflow [rank 1]: error: rank 1 of 2 could not join the job at "
                       "127.0.0.1:1 within 3 s"))
      << result.output;
  EXPECT_LT(seconds, 60.0);
  EXPECT_FALSE(std::filesystem::exists(folder.checkpoint_dir()));
}

TEST(Rendezvous, ReadsTorchrunVariablesAndRejectsBadOnes) {
  ::unsetenv("WORLD_SIZE");
  EXPECT_FALSE(auralflow::distributed::Rendezvous::from_environment());
  ::setenv("WORLD_SIZE", "4", 1);
  ::setenv("RANK", "3", 1);
  ::setenv("LOCAL_RANK", "1", 1);
  ::setenv("MASTER_ADDR", "10.0.0.2", 1);
  ::setenv("MASTER_PORT", "12345", 1);
  const auto rendezvous = auralflow::distributed::Rendezvous::from_environment();
  ASSERT_TRUE(rendezvous);
  EXPECT_EQ(rendezvous->world_size, 4);
  EXPECT_EQ(rendezvous->rank, 3);
  EXPECT_EQ(rendezvous->local_rank, 1);
  EXPECT_EQ(rendezvous->master_addr, "10.0.0.2");
  EXPECT_EQ(rendezvous->master_port, 12345);
  ::setenv("RANK", "4", 1);
  EXPECT_THROW(auralflow::distributed::Rendezvous::from_environment(), auralflow::UsageError);
  ::setenv("RANK", "x", 1);
  EXPECT_THROW(auralflow::distributed::Rendezvous::from_environment(), auralflow::UsageError);
  for (const char* name : {"WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"})
    ::unsetenv(name);
}
