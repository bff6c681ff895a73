#include "test_support.hpp"

#include "auralflow/separation_model.hpp"

#include <gtest/gtest.h>

#include <torch/script.h>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <fstream>
#include <random>

namespace auralflow::testing {

std::filesystem::path test_data_dir() { return AURALFLOW_TEST_DATA_DIR; }

std::filesystem::path fixture_path(const std::string& relative) {
  const std::filesystem::path path = test_data_dir() / relative;
  // The data is part of the repository: a missing file fails the test, it never skips it.
  if (!std::filesystem::exists(path)) ADD_FAILURE() << "test data missing: " << path;
  return path;
}

std::map<std::string, torch::Tensor> load_fixture(const std::string& relative) {
  torch::jit::Module module = torch::jit::load(fixture_path(relative).string());
  std::map<std::string, torch::Tensor> buffers;
  for (const auto& buffer : module.named_buffers()) buffers[buffer.name] = buffer.value;
  return buffers;
}

TempDir::TempDir() {
  std::random_device device;
  path_ = std::filesystem::temp_directory_path() /
          ("auralflow-test-" + std::to_string(device()) + std::to_string(device()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

auralflow::ModelFolder write_model_folder(const std::filesystem::path& parent,
                                          const std::string& name, const std::string& type,
                                          const Settings& settings) {
  auto folder = auralflow::ModelFolder::create(parent, name, type, false);
  auto config = folder.load_config();
  for (const auto& [key, value] : settings) config.set(key, value);
  folder.save_config(config);
  std::filesystem::create_directories(folder.checkpoint_dir());
  auralflow::SeparationModel::create(config, torch::kCPU)
      ->save(folder.best_checkpoint(), 0, {true, false, false, false});
  return folder;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

CommandResult run_cli(const std::string& arguments, const std::filesystem::path& working_dir,
                      const std::string& environment) {
  const std::string command = "cd '" + working_dir.string() + "' && " + environment + " '" +
                              AURALFLOW_CLI_PATH "' " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::string output;
  std::array<char, 4096> chunk{};
  size_t count = 0;
  while ((count = fread(chunk.data(), 1, chunk.size(), pipe)) > 0)
    output.append(chunk.data(), count);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace auralflow::testing
