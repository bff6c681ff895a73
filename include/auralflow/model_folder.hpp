#pragma once
/// @file
/// A model folder: everything one model owns.
/// @verbatim
///   <root>/config.json      settings (auralflow config)
///   <root>/checkpoint/      best and last checkpoints (auralflow train)
///   <root>/runs/            TensorBoard event files
///   <root>/images/          PNG figures
///   <root>/audio/           WAV snippets
///   <root>/evaluation.csv   scores (auralflow evaluate)
/// @endverbatim
#include <filesystem>
#include <string>

#include "auralflow/config.hpp"

namespace auralflow {

/// The paths of a model folder (see the file comment) and its config.json.
class ModelFolder {
 public:
  /// The folder `root` (nothing is read or created).
  explicit ModelFolder(std::filesystem::path root) : root_(std::move(root)) {}

  /// Creates `<parent>/<name>/config.json` from the template of `model_type`.
  /// An existing config.json is an error unless `force` (which replaces only
  /// config.json; nothing else in the folder is deleted).
  static ModelFolder create(const std::filesystem::path& parent, const std::string& name,
                            const std::string& model_type, bool force);

  const std::filesystem::path& root() const { return root_; }                  ///< the folder
  std::filesystem::path config_file() const { return root_ / "config.json"; }  ///< its settings
  std::filesystem::path checkpoint_dir() const {
    return root_ / "checkpoint";
  }                                                                  ///< best.pth, last.pth
  std::filesystem::path runs_dir() const { return root_ / "runs"; }  ///< TensorBoard event files
  std::filesystem::path images_dir() const { return root_ / "images"; }  ///< PNG figures
  std::filesystem::path audio_dir() const { return root_ / "audio"; }    ///< WAV snippets
  std::filesystem::path evaluation_file() const { return root_ / "evaluation.csv"; }  ///< scores
  /// The checkpoint with the lowest validation loss so far (model weights and state).
  std::filesystem::path best_checkpoint() const { return checkpoint_dir() / "best.pth"; }
  /// The checkpoint of the latest completed epoch; training resumes from it.
  std::filesystem::path last_checkpoint() const { return checkpoint_dir() / "last.pth"; }
  /// The checkpoint to separate with: best.pth, else last.pth; an error naming the
  /// folder when the model has not been trained yet.
  std::filesystem::path inference_checkpoint() const;

  /// Loads config.json; an error says when the folder is not a model folder.
  Config load_config() const;
  /// Writes `config` as config.json (atomically), creating nothing else.
  void save_config(const Config& config) const { config.save(config_file()); }

 private:
  std::filesystem::path root_;
};

}  // namespace auralflow
