#pragma once
/// @file
/// Trainer: `auralflow train MODEL DATASET` as a library. It trains the model folder's
/// network on the dataset's train split, validates on its valid split after every epoch,
/// steps ReduceLROnPlateau, stops early, and keeps two checkpoints:
/// @verbatim
///   checkpoint/last.pth  every epoch: model, optimizer, scheduler, grad scaler, and the
///                        training state (epoch, global step, best loss, RNG state)
///   checkpoint/best.pth  the same, whenever the validation loss is the lowest so far
/// @endverbatim
/// Both are written atomically, so Ctrl-C or a kill at any moment leaves the previous good
/// ones. Running again resumes from last.pth and trains for another max_epochs; batch b of
/// epoch e is a function of (seed, e, b), so an interrupted run that resumes ends with the
/// same weights as one that was not interrupted.
///
/// @code
///   Trainer trainer(ModelFolder("my_model"), "musdb18hq", TrainerOptions().device("cpu"));
///   // or real and generated songs, 3 chunks in 4 from the first:
///   //   Trainer(ModelFolder("my_model"), {{"musdb18hq", 3.0}, {"synth", 1.0}}, ...)
///   trainer.add_callback(std::make_shared<ProgressReporter>(std::cerr, true));
///   TrainingResult result = trainer.run();
/// @endcode
#include <torch/arg.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "auralflow/callbacks.hpp"
#include "auralflow/datasets.hpp"
#include "auralflow/distributed.hpp"
#include "auralflow/model_folder.hpp"
#include "auralflow/separation_model.hpp"

namespace auralflow {

/// What a Trainer run overrides of the config, and how it runs.
struct TrainerOptions {
  /// "cpu", "cuda" or "auto"; empty: training_params.device.
  TORCH_ARG(std::string, device) = "";
  /// LibTorch intra-op threads; -1: training_params.num_threads (0 there: every CPU the
  /// process may use, shared among the local ranks; see compute_threads.hpp).
  TORCH_ARG(int, threads) = -1;
  /// Epochs to train in this run; 0: training_params.max_epochs.
  TORCH_ARG(int64_t, epochs) = 0;
  /// Chunks in the fixed validation set; 0: min(256, max(batch_size,
  /// max_num_samples · val_split)).
  TORCH_ARG(int64_t, validation_chunks) = 0;
  /// Data-parallel training with this group (see distributed.hpp); null: one process. Each
  /// rank trains on its batch_size share of a batch of batch_size · world_size chunks (an
  /// epoch has max_num_samples / (batch_size · world_size) of them, rounded down, at least
  /// one), so N ranks with batch b step as one process with batch N · b; validation is split
  /// across the ranks; only rank 0 writes checkpoints.
  TORCH_ARG(std::shared_ptr<distributed::Group>, group) = nullptr;
  /// Fine-tuning: a trained model (model folder or packed model file) whose network weights
  /// start this training instead of fresh ones. Used only when there is no checkpoint to
  /// resume from; its network must have the same type and parameter shapes (an
  /// auralflow::Error names the first difference).
  TORCH_ARG(std::filesystem::path, init_from) = "";
};

/// Where training stands; stored in every checkpoint.
struct TrainingState {
  int64_t epoch = 0;        ///< completed epochs
  int64_t global_step = 0;  ///< optimizer steps so far
  double best_loss = 0.0;   ///< lowest validation loss so far (valid when epoch > 0)
  int64_t best_epoch = 0;   ///< the epoch of best_loss (checkpoint/best.pth)
};

/// What Trainer::run() did.
struct TrainingResult {
  int64_t first_epoch = 0;     ///< 1-based number of the first epoch of this run
  int64_t last_epoch = 0;      ///< the last completed one (first_epoch - 1 if none completed)
  TrainingState state;         ///< where training stands now
  bool early_stopped = false;  ///< the scheduler stopped training (see ReduceLROnPlateau)
  bool interrupted = false;    ///< request_stop() was called (e.g. Ctrl-C)
};

/// Fine-tuning: copies the network weights (parameters and buffers) of the trained model at
/// `source` (a model folder or packed model file, see load_model) into `model`. The two must be
/// the same network type with the same targets and the same parameter names and shapes;
/// otherwise an auralflow::Error names the first difference.
void initialize_weights(SeparationModel& model, const std::filesystem::path& source);

/// The training loop of `auralflow train` (see the file comment).
class Trainer {
 public:
  /// Loads the folder's config and the dataset's train and valid splits (verify_dataset
  /// errors list every problem); resumes from checkpoint/last.pth when it exists.
  Trainer(ModelFolder folder, std::filesystem::path dataset, TrainerOptions options = {});
  /// Trains on the train splits of several data sets, each chunk from one of them by weight
  /// (see AudioFolder); validates on the valid split of the first one.
  Trainer(ModelFolder folder, const std::vector<DataSource>& datasets, TrainerOptions options = {});
  ~Trainer();

  /// Adds an observer of the training (called on every rank of a distributed run).
  void add_callback(std::shared_ptr<TrainingCallback> callback);
  /// Trains for options.epochs epochs (or until early stopping or request_stop()).
  TrainingResult run();
  /// Asks run() to stop after the current batch; the epoch in progress is not saved.
  /// Safe to call from a signal handler.
  static void request_stop();

  SeparationModel& model() { return *model_; }           ///< the model being trained
  const TrainingState& state() const { return state_; }  ///< where training stands
  const ModelFolder& folder() const { return folder_; }  ///< the model folder it writes to

 private:
  double train_epoch(int64_t epoch);
  /// One optimizer step on this rank's share of a batch; returns its loss.
  double train_step(const Batch& batch);
  bool is_main() const { return !options_.group() || options_.group()->is_main(); }
  double validate();
  ValidationExample validation_example();
  void save_checkpoint(const std::filesystem::path& file) const;

  ModelFolder folder_;
  Config config_;
  TrainerOptions options_;
  std::unique_ptr<SeparationModel> model_;
  std::unique_ptr<AudioFolder> train_data_;
  std::unique_ptr<AudioDataset> valid_data_;
  std::unique_ptr<distributed::GradientSync> gradient_sync_;  ///< null when not distributed
  TrainingState state_;
  std::vector<std::shared_ptr<TrainingCallback>> callbacks_;
  static std::atomic<bool> stop_requested_;
};

}  // namespace auralflow
