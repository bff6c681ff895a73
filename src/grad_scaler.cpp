#include "auralflow/grad_scaler.hpp"

#include <cmath>
#include <limits>

#include "auralflow/error.hpp"

namespace auralflow {

namespace {

void check_options(const GradScalerOptions& o) {
  if (!(o.init_scale() > 0 && std::isfinite(o.init_scale()))) {
    throw Error("GradScaler: init_scale must be positive and finite");
  }
  if (!(o.growth_factor() > 1)) throw Error("GradScaler: growth_factor must be > 1");
  if (!(o.backoff_factor() > 0 && o.backoff_factor() < 1)) {
    throw Error("GradScaler: backoff_factor must be in (0, 1)");
  }
  if (o.growth_interval() < 1) throw Error("GradScaler: growth_interval must be >= 1");
}

}  // namespace

GradScaler::GradScaler(GradScalerOptions options)
    : options_(options), scale_(options.init_scale()) {
  check_options(options_);
}

torch::Tensor GradScaler::scale(const torch::Tensor& loss) const {
  if (!is_enabled()) return loss;
  // A 0-dim float32 factor promotes a float16 loss to float32 (the scale exceeds float16's
  // range) and keeps float32/float64 as they are.
  return loss * torch::full({}, scale_, loss.options().dtype(torch::kFloat32));
}

void GradScaler::unscale_(torch::optim::Optimizer& optimizer) {
  if (!is_enabled()) return;
  OptimizerState& state = iteration_[&optimizer];
  if (state.unscaled) {
    throw Error("GradScaler: unscale_() was already called on this optimizer since update()");
  }
  if (state.stepped) throw Error("GradScaler: unscale_() after step(); call update() first");
  // One flag per device, read once at the end: no host sync per parameter.
  std::unordered_map<c10::Device, torch::Tensor> non_finite;
  const double inverse_scale = 1.0 / scale_;
  for (auto& group : optimizer.param_groups()) {
    for (auto& parameter : group.params()) {
      const torch::Tensor& grad = parameter.grad();
      if (!grad.defined()) continue;
      grad.mul_(inverse_scale);
      const torch::Tensor bad = grad.isfinite().logical_not().any();  // 0-dim bool
      torch::Tensor& flag = non_finite[grad.device()];
      flag = flag.defined() ? flag.logical_or(bad) : bad;
    }
  }
  for (const auto& entry : non_finite) state.found_inf |= entry.second.item<bool>();
  state.unscaled = true;
}

bool GradScaler::step(torch::optim::Optimizer& optimizer) {
  if (!is_enabled()) {
    optimizer.step();
    return true;
  }
  OptimizerState& state = iteration_[&optimizer];  // stays valid: unordered_map nodes are stable
  if (state.stepped) {
    throw Error("GradScaler: step() was already called on this optimizer since update()");
  }
  if (!state.unscaled) unscale_(optimizer);
  state.stepped = true;
  if (state.found_inf) return false;
  optimizer.step();
  return true;
}

void GradScaler::update() {
  if (!is_enabled()) return;
  if (iteration_.empty()) {
    throw Error("GradScaler: update() without unscale_() or step() since the last update()");
  }
  bool found_inf = false;
  for (const auto& entry : iteration_) found_inf |= entry.second.found_inf;
  iteration_.clear();
  if (found_inf) {
    scale_ *= options_.backoff_factor();
    growth_tracker_ = 0;
    return;
  }
  if (++growth_tracker_ < options_.growth_interval()) return;
  growth_tracker_ = 0;
  // Grow only while the scale stays a finite float32 (PyTorch keeps it in a float32 tensor).
  const double grown = scale_ * options_.growth_factor();
  if (grown <= std::numeric_limits<float>::max()) scale_ = grown;
}

double GradScaler::get_scale() const { return is_enabled() ? scale_ : 1.0; }

void GradScaler::save(torch::serialize::OutputArchive& archive) const {
  archive.write("scale", scale_);
  archive.write("growth_tracker", growth_tracker_);
}

void GradScaler::load(torch::serialize::InputArchive& archive) {
  const auto read = [&archive](const std::string& key) {
    c10::IValue value;
    if (!archive.try_read(key, value)) {
      throw Error("GradScaler state: missing '" + key + "'");
    }
    return value;
  };
  scale_ = read("scale").toDouble();
  growth_tracker_ = read("growth_tracker").toInt();
  iteration_.clear();
}

}  // namespace auralflow
