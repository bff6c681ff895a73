// Packed models: a checkpoint with the config and half-precision network weights only.
#include <torch/serialize.h>

#include "auralflow/error.hpp"
#include "auralflow/pretrained.hpp"
#include "checkpoint/checkpoint_keys.hpp"

namespace auralflow::pretrained {

int64_t pack_model(const ModelFolder& trained, const std::filesystem::path& out) {
  const auto checkpoint = trained.inference_checkpoint();
  auto model = SeparationModel::create(trained.load_config(), torch::kCPU);
  const int64_t step = model->load(checkpoint, CheckpointParts{true, false, false, false});
  model->network().module().to(torch::kHalf);
  if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
  model->save(out, step, CheckpointParts{true, false, false, false});
  return static_cast<int64_t>(std::filesystem::file_size(out));
}

std::shared_ptr<SeparationModel> load_packed_model(const std::filesystem::path& file,
                                                   torch::Device device) {
  if (!std::filesystem::is_regular_file(file))
    throw Error(file_message(file.string(), "no such model file or model folder"));
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(file.string());
  } catch (const c10::Error&) {
    throw Error(file_message(file.string(), "not a readable Auralflow model file"));
  }
  c10::IValue config_text;
  if (!archive.try_read(detail::checkpoint::kConfig, config_text) || !config_text.isString())
    throw Error(file_message(file.string(), "not an Auralflow model file (no config)"));
  std::shared_ptr<SeparationModel> model =
      SeparationModel::create(Config::parse(config_text.toStringRef(), file.string()), device);
  model->load(file, CheckpointParts{true, false, false, false});
  model->eval();
  return model;
}

}  // namespace auralflow::pretrained
