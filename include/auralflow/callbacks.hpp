#pragma once
/// @file
/// What the Trainer reports while it trains, and the reporters it ships with:
/// @verbatim
///   ProgressReporter   progress bar on stderr (a TTY) or plain lines (a log file)
///   TensorBoardLogger  runs/: scalars, weight and gradient histograms, figures, audio
///   SnapshotWriter     images/ (PNG figures) and audio/ (WAV snippets)
/// @endverbatim
/// A callback only observes; it must not change the model's weights.
#include <torch/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "auralflow/config.hpp"

namespace auralflow {

class SeparationModel;
namespace tensorboard {
class SummaryWriter;
}

/// After each training batch.
struct BatchEnd {
  int64_t epoch = 0;               ///< 1-based
  int64_t batch = 0;               ///< 1-based within the epoch
  int64_t num_batches = 0;         ///< batches per epoch
  int64_t global_step = 0;         ///< optimizer steps since the first epoch, this one included
  double loss = 0.0;               ///< this batch
  double mean_loss = 0.0;          ///< running mean over the epoch so far
  double chunks_per_second = 0.0;  ///< training chunks per second over the epoch so far
};

/// One validation example separated by the current model: mixture (C, N),
/// targets and estimates (K, C, N), at sample_rate, targets named `target_names`.
struct ValidationExample {
  torch::Tensor mixture;                  ///< (C, N)
  torch::Tensor targets;                  ///< (K, C, N), the true stems
  torch::Tensor estimates;                ///< (K, C, N), the model's estimates
  std::vector<std::string> target_names;  ///< K names, in the order of the targets dim
  int sample_rate = 0;                    ///< Hz
};

/// After each epoch's validation and checkpoint.
struct EpochEnd {
  int64_t epoch = 0;           ///< 1-based
  int64_t global_step = 0;     ///< optimizer steps so far
  double train_loss = 0.0;     ///< mean training loss of the epoch
  double valid_loss = 0.0;     ///< mean validation loss after the epoch
  double learning_rate = 0.0;  ///< of the first parameter group, after the scheduler step
  bool best = false;           ///< the validation loss is the lowest so far
  bool stop = false;           ///< early stopping fires
  double seconds = 0.0;        ///< wall-clock time of the epoch (training and validation)
  /// Set every visualizer_params.save_frequency epochs (and on the last one), else empty.
  const ValidationExample* example = nullptr;
};

/// An observer of the Trainer: override the events of interest (each does nothing by
/// default) and add it with Trainer::add_callback.
class TrainingCallback {
 public:
  virtual ~TrainingCallback() = default;
  /// After each training batch's optimizer step.
  virtual void on_batch_end(const BatchEnd&) {}
  /// Between backward() and the optimizer step of each epoch's last batch: the gradients
  /// are the real ones of that batch.
  virtual void on_gradients(const SeparationModel&, int64_t /*global_step*/) {}
  /// After each epoch's validation and checkpoint, with the model as it is then.
  virtual void on_epoch_end(const SeparationModel&, const EpochEnd&) {}
};

/// A progress line per batch on a TTY (redrawn in place), or a line every 10% of the epoch
/// otherwise, and a summary line per epoch.
class ProgressReporter : public TrainingCallback {
 public:
  /// `interactive`: redraw in place (true when stderr is a terminal).
  ProgressReporter(std::ostream& out, bool interactive);
  void on_batch_end(const BatchEnd& batch) override;
  void on_epoch_end(const SeparationModel&, const EpochEnd& epoch) override;

 private:
  std::ostream& out_;
  bool interactive_;
};

/// runs/: batch loss, epoch train/valid loss and learning rate; histograms of the weights
/// (view_weights) and of the gradients (view_gradient); spectrogram and waveform figures
/// (view_spectrogram, view_waveform) and estimate/true/residual audio (play_audio) of the
/// validation example. Nothing when visualizer_params.tensorboard is false.
class TensorBoardLogger : public TrainingCallback {
 public:
  /// Writes event files into `runs_dir` as the config's visualizer_params say.
  TensorBoardLogger(const std::filesystem::path& runs_dir, const Config& config);
  ~TensorBoardLogger() override;
  void on_batch_end(const BatchEnd& batch) override;
  void on_gradients(const SeparationModel& model, int64_t global_step) override;
  void on_epoch_end(const SeparationModel& model, const EpochEnd& epoch) override;

 private:
  std::unique_ptr<tensorboard::SummaryWriter> writer_;
  Config config_;
};

/// `images/epoch_<N>_<target>_spectrogram.png` and `_waveform.png` (save_image);
/// `audio/epoch_<N>_<target>_{estimate,true,residual}.wav` (save_audio), for the validation
/// example.
class SnapshotWriter : public TrainingCallback {
 public:
  /// Writes PNG figures into `images_dir` and WAV snippets into `audio_dir`, as the config's
  /// visualizer_params say (save_image, save_audio, save_frequency).
  SnapshotWriter(std::filesystem::path images_dir, std::filesystem::path audio_dir,
                 const Config& config);
  void on_epoch_end(const SeparationModel& model, const EpochEnd& epoch) override;

 private:
  std::filesystem::path images_dir_;
  std::filesystem::path audio_dir_;
  Config config_;
};

}  // namespace auralflow
