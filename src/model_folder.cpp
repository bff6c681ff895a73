#include "auralflow/model_folder.hpp"

#include "auralflow/error.hpp"

namespace auralflow {

ModelFolder ModelFolder::create(const std::filesystem::path& parent, const std::string& name,
                                const std::string& model_type, bool force) {
  ModelFolder folder(parent / name);
  if (std::filesystem::exists(folder.config_file()) && !force)
    throw ExistsError(file_message(folder.root().string(),
                                   "model folder already exists (forcing replaces its "
                                   "config.json only)"));
  const Config config =
      Config::from_template(model_type, std::filesystem::path(name).filename().string());
  std::error_code error;
  std::filesystem::create_directories(folder.root(), error);
  if (error) throw Error(file_message(folder.root().string(), "cannot create: " + error.message()));
  folder.save_config(config);
  return folder;
}

Config ModelFolder::load_config() const {
  if (!std::filesystem::is_directory(root_))
    throw Error(file_message(root_.string(),
                             "no such model folder (create one with "
                             "'auralflow config NAME MODEL_TYPE')"));
  if (!std::filesystem::exists(config_file()))
    throw Error(file_message(root_.string(), "not a model folder: it has no config.json"));
  return Config::load(config_file());
}

std::filesystem::path ModelFolder::inference_checkpoint() const {
  for (const auto& file : {best_checkpoint(), last_checkpoint()})
    if (std::filesystem::exists(file)) return file;
  throw Error(file_message(root_.string(),
                           "model has no checkpoint yet (expected checkpoint/best.pth or "
                           "checkpoint/last.pth; train it with 'auralflow train')"));
}

}  // namespace auralflow
