#pragma once
// Reading a SeparationModel checkpoint file (see SeparationModel::save); its keys are in
// checkpoint_keys.hpp, the format in docs/checkpoints.md.
#include <torch/serialize/input-archive.h>

#include <filesystem>
#include <functional>
#include <string>

#include "auralflow/state_dict.hpp"

namespace auralflow::detail {

class CheckpointReader {
 public:
  /// Opens `file` onto `device`; auralflow::Error when it is missing, unreadable, not an
  /// Auralflow checkpoint, or a checkpoint of another model type than `expected_type`.
  CheckpointReader(std::filesystem::path file, const std::string& expected_type,
                   torch::Device device = torch::kCPU);

  /// The network weights (part `model`).
  StateDict model_weights();
  /// Hands part `name` to `restore`; an error naming the file when the part is absent.
  void read_part(const std::string& name,
                 const std::function<void(torch::serialize::InputArchive&)>& restore);
  /// The training step stored with the checkpoint.
  int64_t step();

 private:
  std::filesystem::path file_;
  torch::serialize::InputArchive archive_;
};

}  // namespace auralflow::detail
