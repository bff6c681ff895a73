#pragma once
/// @file
/// Learning-rate schedule with early stopping for the training loop. LibTorch 1.13's C++ API
/// has no ReduceLROnPlateau (2.x has one, without early stopping), so this is our own.
#include <torch/arg.h>
#include <torch/optim/optimizer.h>
#include <torch/serialize/archive.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace auralflow {

/// Settings of ReduceLROnPlateau (training_params factor, patience, ... in a config).
struct ReduceLROnPlateauOptions {
  /// Each reduction multiplies the learning rate of every param group by this, in (0, 1).
  TORCH_ARG(double, factor) = 0.5;
  /// Epochs without improvement that are tolerated; the LR is reduced on the next one
  /// (PyTorch's meaning: patience 2 reduces after the 3rd bad epoch in a row).
  TORCH_ARG(int64_t, patience) = 2;
  /// Absolute improvement: an epoch improves when val_loss < best - min_delta.
  TORCH_ARG(double, min_delta) = 0.01;
  /// Reductions allowed over the whole run. When one more is due, training stops instead.
  TORCH_ARG(int64_t, max_lr_steps) = 5;
  /// Training stops after this many epochs in a row without improvement (LR reductions do
  /// not reset this count), >= 1.
  TORCH_ARG(int64_t, stop_patience) = 5;
  /// A reduction never takes an LR below this (an LR already below it is left alone).
  TORCH_ARG(double, min_lr) = 0.0;
};

/// Reduces the learning rate of every param group of any torch::optim::Optimizer (Adam,
/// AdamW, SGD, ...) when the validation loss stops improving, and says when to stop.
///
/// @code
///   ReduceLROnPlateau scheduler(optimizer, ReduceLROnPlateauOptions().patience(3));
///   for (...) { ...; if (scheduler.step(val_loss)) break; }
/// @endcode
///
/// One step per epoch. An epoch either improves (val_loss < best - min_delta; NaN never
/// does), which resets both counters, or it is bad: then training stops when stop_patience
/// bad epochs are reached in a row; otherwise, once more than `patience` bad epochs have
/// passed since the last improvement or reduction, the LR is multiplied by `factor`
/// (floored at min_lr), or, when max_lr_steps reductions were already made, training stops.
class ReduceLROnPlateau {
 public:
  /// Keeps a reference to `optimizer`, which must outlive the scheduler.
  /// Throws auralflow::Error for out-of-range options.
  explicit ReduceLROnPlateau(torch::optim::Optimizer& optimizer,
                             ReduceLROnPlateauOptions options = {});

  /// Records one epoch's validation loss; returns true when training should stop.
  bool step(double val_loss);

  /// Whether the last step improved on the best loss (the trainer saves the best model then).
  bool improved() const { return improved_; }
  /// Best validation loss so far (+inf before the first step).
  double best() const { return best_; }
  /// Bad epochs since the last improvement or LR reduction.
  int64_t num_bad_epochs() const { return num_bad_epochs_; }
  /// Bad epochs in a row since the last improvement.
  int64_t epochs_without_improvement() const { return epochs_without_improvement_; }
  /// LR reductions made so far.
  int64_t num_lr_steps() const { return num_lr_steps_; }
  /// Current learning rate of each param group.
  std::vector<double> learning_rates() const;
  /// The options it was built with.
  const ReduceLROnPlateauOptions& options() const { return options_; }

  /// Writes the counters, the best loss and the learning rates (LibTorch's optimizer state
  /// leaves the param groups' options out; the scheduler's options come from the config).
  void save(torch::serialize::OutputArchive& archive) const;
  /// Reads what save() wrote and sets the optimizer's learning rates to the saved ones. State
  /// saved without them (older checkpoints) replays its reductions on the optimizer's
  /// current rates, which must then be the ones it was built with.
  void load(torch::serialize::InputArchive& archive);

 private:
  void reduce_learning_rates();
  void scale_learning_rates();  // one reduction of every group's rate, floored at min_lr

  torch::optim::Optimizer& optimizer_;
  ReduceLROnPlateauOptions options_;
  double best_ = std::numeric_limits<double>::infinity();
  int64_t num_bad_epochs_ = 0;
  int64_t epochs_without_improvement_ = 0;
  int64_t num_lr_steps_ = 0;
  bool improved_ = false;
};

}  // namespace auralflow
