#pragma once
/// @file
/// Dynamic loss scaling for mixed-precision training (LibTorch 1.13 has it only in Python:
/// torch.cuda.amp.GradScaler). Same algorithm and defaults.
#include <torch/arg.h>
#include <torch/optim/optimizer.h>
#include <torch/serialize/archive.h>
#include <torch/types.h>

#include <cstdint>
#include <unordered_map>

namespace auralflow {

/// Settings of GradScaler (PyTorch's defaults).
struct GradScalerOptions {
  /// Scale of the first step.
  TORCH_ARG(double, init_scale) = 65536.0;
  /// The scale is multiplied by this after growth_interval steps in a row without inf/NaN.
  TORCH_ARG(double, growth_factor) = 2.0;
  /// ... and by this after a step with an inf/NaN gradient.
  TORCH_ARG(double, backoff_factor) = 0.5;
  /// Clean steps in a row before the scale grows.
  TORCH_ARG(int64_t, growth_interval) = 2000;
  /// false: every method passes through (scale 1, plain optimizer steps). Use false on the
  /// CPU and for float32 training; mixed precision on CUDA wants true.
  TORCH_ARG(bool, enabled) = true;
};

/// Per iteration, as in PyTorch:
///
/// @code
///   scaler.scale(loss).backward();
///   scaler.unscale_(optimizer);              // optional, e.g. before clipping gradients
///   scaler.step(optimizer);                  // skipped when a gradient is inf/NaN
///   scaler.update();
/// @endcode
///
/// Several optimizers may share one scaler: call unscale_/step for each, update once.
class GradScaler {
 public:
  /// Throws auralflow::Error for out-of-range options.
  explicit GradScaler(GradScalerOptions options = {});

  /// loss · scale (in float32 at least, so a float16 loss cannot overflow); `loss` itself
  /// when disabled.
  torch::Tensor scale(const torch::Tensor& loss) const;

  /// Divides the gradients of `optimizer`'s parameters by the scale in place and records
  /// whether any is inf/NaN. At most once per optimizer between update()s (else Error).
  void unscale_(torch::optim::Optimizer& optimizer);

  /// Unscales (if not done yet) and runs optimizer.step() unless a gradient was inf/NaN.
  /// Returns whether the optimizer stepped. At most once per optimizer between update()s.
  bool step(torch::optim::Optimizer& optimizer);

  /// Adjusts the scale from this iteration's inf/NaN checks (backoff after any, growth after
  /// growth_interval clean iterations) and starts a new iteration. Error when neither
  /// unscale_ nor step ran since the last update.
  void update();

  /// Current scale; 1 when disabled.
  double get_scale() const;
  /// Clean iterations since the last growth or backoff.
  int64_t growth_tracker() const { return growth_tracker_; }
  /// The `enabled` option.
  bool is_enabled() const { return options_.enabled(); }
  /// The options it was built with.
  const GradScalerOptions& options() const { return options_; }

  /// Writes / reads the scale and the growth tracker (the options come from the config).
  void save(torch::serialize::OutputArchive& archive) const;
  /// Reads what save() wrote.
  void load(torch::serialize::InputArchive& archive);

 private:
  /// What this iteration did with one optimizer.
  struct OptimizerState {
    bool unscaled = false;
    bool stepped = false;
    bool found_inf = false;
  };

  GradScalerOptions options_;
  double scale_;
  int64_t growth_tracker_ = 0;
  std::unordered_map<const torch::optim::Optimizer*, OptimizerState> iteration_;
};

}  // namespace auralflow
