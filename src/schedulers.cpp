#include "auralflow/schedulers.hpp"

#include <algorithm>

#include "auralflow/error.hpp"

namespace auralflow {

namespace {

void check_options(const ReduceLROnPlateauOptions& o) {
  if (!(o.factor() > 0 && o.factor() < 1))
    throw Error("ReduceLROnPlateau: factor must be in (0, 1)");
  if (o.patience() < 0) throw Error("ReduceLROnPlateau: patience must be >= 0");
  if (!(o.min_delta() >= 0)) throw Error("ReduceLROnPlateau: min_delta must be >= 0");
  if (o.max_lr_steps() < 0) throw Error("ReduceLROnPlateau: max_lr_steps must be >= 0");
  if (o.stop_patience() < 1) throw Error("ReduceLROnPlateau: stop_patience must be >= 1");
  if (!(o.min_lr() >= 0)) throw Error("ReduceLROnPlateau: min_lr must be >= 0");
}

}  // namespace

ReduceLROnPlateau::ReduceLROnPlateau(torch::optim::Optimizer& optimizer,
                                     ReduceLROnPlateauOptions options)
    : optimizer_(optimizer), options_(options) {
  check_options(options_);
}

bool ReduceLROnPlateau::step(double val_loss) {
  improved_ = val_loss < best_ - options_.min_delta();
  if (improved_) {
    best_ = val_loss;
    num_bad_epochs_ = 0;
    epochs_without_improvement_ = 0;
    return false;
  }
  ++num_bad_epochs_;
  ++epochs_without_improvement_;
  if (epochs_without_improvement_ >= options_.stop_patience()) return true;
  if (num_bad_epochs_ > options_.patience()) {
    if (num_lr_steps_ >= options_.max_lr_steps()) return true;
    reduce_learning_rates();
  }
  return false;
}

void ReduceLROnPlateau::scale_learning_rates() {
  for (auto& group : optimizer_.param_groups()) {
    auto& group_options = group.options();
    const double lr = std::max(group_options.get_lr() * options_.factor(), options_.min_lr());
    if (lr < group_options.get_lr()) group_options.set_lr(lr);  // never raises one below min_lr
  }
}

void ReduceLROnPlateau::reduce_learning_rates() {
  scale_learning_rates();
  ++num_lr_steps_;
  num_bad_epochs_ = 0;
}

std::vector<double> ReduceLROnPlateau::learning_rates() const {
  std::vector<double> rates;
  for (const auto& group : optimizer_.param_groups()) rates.push_back(group.options().get_lr());
  return rates;
}

void ReduceLROnPlateau::save(torch::serialize::OutputArchive& archive) const {
  archive.write("best", best_);
  archive.write("num_bad_epochs", num_bad_epochs_);
  archive.write("epochs_without_improvement", epochs_without_improvement_);
  archive.write("num_lr_steps", num_lr_steps_);
  archive.write("improved", improved_);
  archive.write("learning_rates", torch::tensor(learning_rates(), torch::kFloat64));
}

void ReduceLROnPlateau::load(torch::serialize::InputArchive& archive) {
  const auto read = [&archive](const std::string& key) {
    c10::IValue value;
    if (!archive.try_read(key, value)) {
      throw Error("ReduceLROnPlateau state: missing '" + key + "'");
    }
    return value;
  };
  best_ = read("best").toDouble();
  num_bad_epochs_ = read("num_bad_epochs").toInt();
  epochs_without_improvement_ = read("epochs_without_improvement").toInt();
  num_lr_steps_ = read("num_lr_steps").toInt();
  improved_ = read("improved").toBool();
  torch::Tensor rates;  // (param groups,) float64
  if (!archive.try_read("learning_rates", rates)) {
    for (int64_t step = 0; step < num_lr_steps_; ++step) scale_learning_rates();
    return;
  }
  auto& groups = optimizer_.param_groups();
  if (rates.dim() != 1 || rates.size(0) != static_cast<int64_t>(groups.size())) {
    throw Error("ReduceLROnPlateau state: " + std::to_string(rates.numel()) +
                " learning rates for " + std::to_string(groups.size()) + " param groups");
  }
  for (size_t i = 0; i < groups.size(); ++i) {
    groups[i].options().set_lr(rates[static_cast<int64_t>(i)].item<double>());
  }
}

}  // namespace auralflow
