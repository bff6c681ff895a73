// Sharded runs (docs/cluster.md): `separate` and `evaluate` with --shard or a cluster engine's
// environment, `evaluate --merge`, and the Slurm and Kubernetes examples run locally.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "auralflow/audio.hpp"
#include "test_datasets_support.hpp"
#include "test_support.hpp"

using auralflow::testing::contains;
using auralflow::testing::read_bytes;
using auralflow::testing::run_cli;
using auralflow::testing::TempDir;

namespace {

namespace fs = std::filesystem;

// dir/data/test: five stereo tracks at 8 kHz of different lengths (0.5 to 2.5 s).
fs::path write_dataset(const TempDir& dir) {
  const auto test = dir / "data/test";
  for (int i = 0; i < 5; ++i) {
    auralflow::testing::TrackSpec spec{0.5 + 0.5 * ((i * 3) % 5), 8000, 2, {}};
    auralflow::testing::write_track(test, "song" + std::to_string(i), i, spec);
  }
  return dir / "data";
}

// dir/tiny: a fresh small stereo SpectrogramNetSimple at 8 kHz.
void write_tiny_model(const TempDir& dir) {
  auralflow::testing::write_model_folder(dir.path(), "tiny", "SpectrogramNetSimple",
                                         {{"hidden_channels", "2"},
                                          {"sample_rate", "8000"},
                                          {"sample_length", "0.5"},
                                          {"num_fft", "256"},
                                          {"window_size", "256"},
                                          {"hop_length", "128"},
                                          {"num_channels", "2"}});
}

// Every file under `root`: relative path -> bytes.
std::map<std::string, std::string> files_under(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file())
      files[fs::relative(entry.path(), root).string()] = read_bytes(entry.path());
  return files;
}

// The folders hold the same files, byte for byte (failures name the files, not their bytes).
void expect_same_files(const fs::path& folder, const fs::path& expected) {
  const auto got = files_under(folder), wanted = files_under(expected);
  std::vector<std::string> got_names, wanted_names, differing;
  for (const auto& [name, bytes] : got) got_names.push_back(name);
  for (const auto& [name, bytes] : wanted) {
    wanted_names.push_back(name);
    if (got.count(name) > 0 && got.at(name) != bytes) differing.push_back(name);
  }
  EXPECT_EQ(got_names, wanted_names) << folder << " vs " << expected;
  EXPECT_TRUE(differing.empty()) << differing.size() << " files differ, e.g. " << differing.front();
}

void expect_success(const auralflow::testing::CommandResult& result) {
  ASSERT_EQ(result.exit_code, 0) << result.output;
}

std::string slurm_environment(int64_t id, int64_t min, int64_t count) {
  return "SLURM_ARRAY_TASK_ID=" + std::to_string(id) +
         " SLURM_ARRAY_TASK_MIN=" + std::to_string(min) +
         " SLURM_ARRAY_TASK_COUNT=" + std::to_string(count);
}

nlohmann::json read_json(const fs::path& file) {
  std::ifstream stream(file);
  return nlohmann::json::parse(stream);
}

void write_json(const fs::path& file, const nlohmann::json& document) {
  std::ofstream(file) << document.dump(1);
}

// Runs `command` with sh in `dir`; returns its exit status, its output on failure in `output`.
int run_shell(const std::string& command, const fs::path& dir, std::string& output) {
  const std::string full = "cd '" + dir.string() + "' && " + command + " > shell.log 2>&1";
  const int status = std::system(full.c_str());
  output = read_bytes(dir / "shell.log");
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST(ClusterCli, EvaluateShardsMergeToTheSingleRun) {
  TempDir dir;
  write_dataset(dir);
  write_tiny_model(dir);
  const std::string settings = " --threads 1 --overlap 0.25";
  expect_success(
      run_cli("evaluate tiny data --output one/evaluation.csv --save one/estimates" + settings,
              dir.path()));
  for (int count : {2, 3}) {
    const std::string folder = "by" + std::to_string(count);
    for (int index = 1; index <= count; ++index) {
      const auto result =
          run_cli("evaluate tiny data --output " + folder + "/evaluation.csv --save " + folder +
                      "/estimates --shard " + std::to_string(index) + "/" + std::to_string(count) +
                      settings,
                  dir.path());
      expect_success(result);
      EXPECT_TRUE(contains(result.output, "shard " + std::to_string(index) + "/" +
                                              std::to_string(count) + " (from --shard)"))
          << result.output;
    }
    const auto merged = run_cli("evaluate --merge " + folder, dir.path());
    expect_success(merged);
    EXPECT_TRUE(contains(merged.output, "merged " + std::to_string(count) + " part(s), 5 tracks"))
        << merged.output;
    EXPECT_EQ(read_bytes(dir / folder / "evaluation.csv"), read_bytes(dir / "one/evaluation.csv"));
    expect_same_files(dir / folder / "estimates", dir / "one/estimates");
  }
}

TEST(ClusterCli, ShardResumesWhereItStoppedAndForceScoresAgain) {
  TempDir dir;
  write_dataset(dir);
  write_tiny_model(dir);
  const std::string command = "evaluate tiny data --threads 1 --shard 1/2";
  expect_success(run_cli(command, dir.path()));
  const auto part_file = dir / "tiny/evaluation.shard-1-of-2.json";
  auto part = read_json(part_file);
  ASSERT_EQ(part["results"].size(), part["shard_tracks"].size());
  ASSERT_GE(part["results"].size(), 2u);
  // Preempted after all but its last track:
  const std::string last = part["results"].back()["track"];
  part["results"].erase(part["results"].size() - 1);
  write_json(part_file, part);
  const auto resumed = run_cli(command, dir.path());
  expect_success(resumed);
  EXPECT_TRUE(contains(resumed.output, "already scored")) << resumed.output;
  const std::string text = resumed.output;
  std::vector<std::string> names;
  const std::regex scored_line("  scored (song[0-9])");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), scored_line);
       it != std::sregex_iterator(); ++it)
    names.push_back((*it)[1]);
  EXPECT_EQ(names, std::vector<std::string>({last}));
  EXPECT_EQ(read_json(part_file)["results"].size(), part["shard_tracks"].size());
  const auto forced = run_cli(command + " --force", dir.path());
  expect_success(forced);
  EXPECT_FALSE(contains(forced.output, "already scored")) << forced.output;
}

TEST(ClusterCli, MergeRefusesPartsThatDoNotFit) {
  TempDir dir;
  write_dataset(dir);
  write_tiny_model(dir);
  expect_success(run_cli("evaluate tiny data --threads 1 --shard 1/2", dir.path()));
  expect_success(run_cli("evaluate tiny data --threads 1 --shard 2/2 --overlap 0.5", dir.path()));
  const auto other = run_cli("evaluate --merge tiny", dir.path());
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_TRUE(contains(other.output, "overlap")) << other.output;

  expect_success(run_cli("evaluate tiny data --threads 1 --shard 2/2 --force", dir.path()));
  const auto part_2 = dir / "tiny/evaluation.shard-2-of-2.json";
  const auto complete = read_json(part_2);
  auto part = complete;
  const std::string dropped = part["results"].front()["track"];
  part["results"].erase(0);
  write_json(part_2, part);
  const auto missing = run_cli("evaluate --merge tiny", dir.path());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(
      contains(missing.output, "not scored yet (re-run their shard): " + dropped + " (shard 2/2)"))
      << missing.output;

  part = complete;
  part["results"].push_back(read_json(dir / "tiny/evaluation.shard-1-of-2.json")["results"][0]);
  write_json(part_2, part);
  const auto doubled = run_cli("evaluate --merge tiny", dir.path());
  EXPECT_EQ(doubled.exit_code, 1);
  EXPECT_TRUE(contains(doubled.output, "scored in two parts")) << doubled.output;

  fs::remove(part_2);
  const auto absent = run_cli("evaluate --merge tiny", dir.path());
  EXPECT_EQ(absent.exit_code, 1);
  EXPECT_TRUE(contains(absent.output, "missing shard(s) 2 of 2")) << absent.output;
}

TEST(ClusterCli, SeparateShardsWriteWhatOneRunWrites) {
  TempDir dir;
  write_dataset(dir);
  write_tiny_model(dir);
  expect_success(run_cli("separate tiny data/test --save one --threads 1", dir.path()));
  for (int index = 1; index <= 3; ++index) {
    expect_success(run_cli("separate tiny data/test --save three --threads 1", dir.path(),
                           slurm_environment(index - 1, 0, 3)));
  }
  expect_same_files(dir / "three", dir / "one");
  EXPECT_EQ(files_under(dir / "one").size(), 5u * 2u);  // original and vocals per track
  // A re-run of a shard skips what is done.
  const auto again =
      run_cli("separate tiny data/test --save three --threads 1 --shard 2/3", dir.path());
  expect_success(again);
  EXPECT_TRUE(contains(again.output, "already separated, skipped")) << again.output;
}

// docs/cluster/: the Slurm array script, and the Indexed Job's container script, run here with
// the engines' variables set, then merged: the same scores and stems as one run.
TEST(ClusterCli, DocumentedSlurmAndKubernetesJobsEqualOneRun) {
  TempDir dir;
  write_dataset(dir);
  write_tiny_model(dir);
  const fs::path docs = fs::path(AURALFLOW_SOURCE_DIR) / "docs/cluster";
  expect_success(
      run_cli("evaluate tiny data --split test --threads 4 --save one/estimates "
              "--output one/evaluation.csv",
              dir.path()));
  const std::string variables = "AURALFLOW='" AURALFLOW_CLI_PATH "' MODEL=tiny DATA=data ";

  std::smatch array;
  const std::string slurm = read_bytes(docs / "slurm-evaluate.sh");
  ASSERT_TRUE(std::regex_search(slurm, array, std::regex("#SBATCH --array=([0-9]+)-([0-9]+)")));
  const int first = std::stoi(array[1]), last = std::stoi(array[2]);
  std::string output;
  for (int id = first; id <= last; ++id) {
    ASSERT_EQ(run_shell(variables + "OUT=slurm " + slurm_environment(id, first, last - first + 1) +
                            " bash '" + (docs / "slurm-evaluate.sh").string() + "'",
                        dir.path(), output),
              0)
        << output;
  }
  expect_success(run_cli("evaluate --merge slurm", dir.path()));
  EXPECT_EQ(read_bytes(dir / "slurm/evaluation.csv"), read_bytes(dir / "one/evaluation.csv"));
  expect_same_files(dir / "slurm/estimates", dir / "one/estimates");

  // The manifest's container script: the block under "args: - |", with its indent removed.
  std::istringstream manifest(read_bytes(docs / "indexed-job.yaml"));
  std::string script, line, indent;
  bool in_block = false;
  int completions = 0;
  while (std::getline(manifest, line)) {
    std::smatch match;
    if (std::regex_search(line, match, std::regex("^  completions: ([0-9]+)$")))
      completions = std::stoi(match[1]);
    if (in_block) {
      if (indent.empty()) indent = line.substr(0, line.find_first_not_of(' '));
      if (line.rfind(indent, 0) != 0) break;
      script += line.substr(indent.size()) + "\n";
    }
    in_block = in_block || std::regex_search(line, std::regex("^ *- \\|$"));
  }
  ASSERT_GT(completions, 1);
  ASSERT_TRUE(contains(script, "--shard-count " + std::to_string(completions))) << script;
  auralflow::testing::write_bytes(dir / "pod.sh", script);
  for (int index = 0; index < completions; ++index) {
    ASSERT_EQ(run_shell(variables + "OUT=k8s JOB_COMPLETION_INDEX=" + std::to_string(index) +
                            " sh pod.sh",
                        dir.path(), output),
              0)
        << output;
  }
  expect_success(run_cli("evaluate --merge k8s", dir.path()));
  EXPECT_EQ(read_bytes(dir / "k8s/evaluation.csv"), read_bytes(dir / "one/evaluation.csv"));
  expect_same_files(dir / "k8s/estimates", dir / "one/estimates");
}
