#pragma once
// Helpers shared by the test executables: fixture paths, temporary folders,
// reading the original Auralflow's TorchScript fixture files, running the CLI.
#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "auralflow/error.hpp"
#include "auralflow/model_folder.hpp"

namespace auralflow::testing {

/// The repository's test data folder, tests/data.
std::filesystem::path test_data_dir();

/// tests/data/<relative>; fails the current test (ADD_FAILURE) if that file is missing.
std::filesystem::path fixture_path(const std::string& relative);

/// Buffers of a fixture .pt file (see tests/data/original/README.md), by name.
std::map<std::string, torch::Tensor> load_fixture(const std::string& relative);

/// A fresh, empty folder under the system temp dir, removed when this object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// True when `text` holds `part` (for checking messages).
inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The message of the auralflow::Error that `action` throws ("" if none).
template <typename Action>
std::string error_of(Action action) {
  try {
    action();
  } catch (const auralflow::Error& error) {
    return error.what();
  }
  return "";
}

/// The bytes of a file ("" when it cannot be read).
std::string read_bytes(const std::filesystem::path& path);

/// Writes `bytes` to `path` (for broken-file tests).
void write_bytes(const std::filesystem::path& path, const std::string& bytes);

/// Config settings as (key, value) pairs, e.g. {{"hidden_channels", "4"}}.
using Settings = std::vector<std::pair<std::string, std::string>>;

/// <parent>/<name>: a model folder of `type` with `settings` applied to its config and a
/// checkpoint/best.pth of its fresh network (model weights only), ready to separate with.
auralflow::ModelFolder write_model_folder(const std::filesystem::path& parent,
                                          const std::string& name, const std::string& type,
                                          const Settings& settings);

/// Result of running the auralflow executable.
struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

/// Runs `auralflow <arguments>` in `working_dir` (arguments already shell-quoted), with
/// `environment` ("NAME=value ...", shell-quoted) set for it.
CommandResult run_cli(const std::string& arguments,
                      const std::filesystem::path& working_dir = std::filesystem::current_path(),
                      const std::string& environment = "");

}  // namespace auralflow::testing
