#include "checkpoint/checkpoint_reader.hpp"

#include "auralflow/error.hpp"
#include "checkpoint/checkpoint_keys.hpp"

namespace auralflow::detail {

namespace key = checkpoint;

CheckpointReader::CheckpointReader(std::filesystem::path file, const std::string& expected_type,
                                   torch::Device device)
    : file_(std::move(file)) {
  if (!std::filesystem::exists(file_))
    throw Error(file_message(file_.string(), "no such checkpoint"));
  try {
    archive_.load_from(file_.string(), device);
  } catch (const c10::Error&) {
    throw Error(file_message(file_.string(), "not a readable Auralflow checkpoint"));
  }
  c10::IValue version;
  if (archive_.try_read(key::kVersionKey, version) && version.toInt() > key::kFormatVersion)
    throw Error(file_message(file_.string(),
                             "checkpoint format " + std::to_string(version.toInt()) +
                                 " is newer than this Auralflow reads (up to " +
                                 std::to_string(key::kFormatVersion) + "): update Auralflow"));
  c10::IValue stored_type;
  if (!archive_.try_read(key::kModelType, stored_type))
    throw Error(file_message(file_.string(), "not an Auralflow checkpoint (no model_type)"));
  if (stored_type.toStringRef() != expected_type)
    throw Error(file_message(file_.string(), "checkpoint of a " + stored_type.toStringRef() +
                                                 " model, but this model is a " + expected_type));
}

void CheckpointReader::read_part(
    const std::string& name, const std::function<void(torch::serialize::InputArchive&)>& restore) {
  torch::serialize::InputArchive part;
  if (!archive_.try_read(name, part))
    throw Error(file_message(file_.string(), "checkpoint has no " + name));
  restore(part);
}

StateDict CheckpointReader::model_weights() {
  StateDict weights;
  read_part(key::kModel, [&](torch::serialize::InputArchive& part) {
    for (const auto& key : part.keys()) {
      torch::Tensor tensor;
      part.read(key, tensor, /*is_buffer=*/true);
      weights[key] = tensor;
    }
  });
  return weights;
}

int64_t CheckpointReader::step() {
  torch::Tensor step;
  archive_.read(key::kStep, step);
  return step.item<int64_t>();
}

}  // namespace auralflow::detail
