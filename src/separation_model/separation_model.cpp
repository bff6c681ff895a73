#include "auralflow/separation_model.hpp"

#include "auralflow/atomic_file.hpp"
#include "auralflow/error.hpp"
#include "auralflow/network.hpp"
#include "auralflow/state_dict.hpp"
#include "checkpoint/checkpoint_keys.hpp"
#include "checkpoint/checkpoint_reader.hpp"
#include "separation_model/autocast.hpp"

namespace auralflow {
namespace {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const Config& config,
                                                        const torch::nn::Module& module) {
  auto [recurrent, other] = split_recurrent_parameters(module);
  const double lr = config.get_double("lr");
  const double lr_lstm = config.get_double("lr_lstm");
  const double decay = config.get_double("weight_decay");
  if (config.get_string("optimizer") == "adam") {
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(other, std::make_unique<torch::optim::AdamOptions>(
                                   torch::optim::AdamOptions(lr).weight_decay(decay)));
    if (!recurrent.empty())
      groups.emplace_back(recurrent, std::make_unique<torch::optim::AdamOptions>(
                                         torch::optim::AdamOptions(lr_lstm).weight_decay(decay)));
    return std::make_unique<torch::optim::Adam>(std::move(groups));
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(other, std::make_unique<torch::optim::AdamWOptions>(
                                 torch::optim::AdamWOptions(lr).weight_decay(decay)));
  if (!recurrent.empty())
    groups.emplace_back(recurrent, std::make_unique<torch::optim::AdamWOptions>(
                                       torch::optim::AdamWOptions(lr_lstm).weight_decay(decay)));
  return std::make_unique<torch::optim::AdamW>(std::move(groups));
}

ReduceLROnPlateauOptions scheduler_options(const Config& config) {
  return ReduceLROnPlateauOptions()
      .min_delta(config.get_double("min_delta"))
      .max_lr_steps(config.get_int("max_lr_steps"))
      .stop_patience(config.get_int("stop_patience"));
}

Criterion criterion_for(const Config& config) {
  return make_criterion(
      config.get_string("criterion"),
      CriterionOptions().alpha(config.get_double("alpha")).beta(config.get_double("beta")));
}

}  // namespace

torch::Device resolve_device(const std::string& name) {
  if (name == "auto") return torch::cuda::is_available() ? torch::kCUDA : torch::kCPU;
  if (name == "cuda" && !torch::cuda::is_available())
    throw Error("device 'cuda' was asked for, but this build or machine has no CUDA device");
  return torch::Device(name);
}

SeparationModel::SeparationModel(const Config& config, torch::Device device)
    : config_(config),
      device_(device),
      targets_(config.get_strings("targets")),
      network_(make_network(config)),
      grad_scaler_(
          GradScalerOptions().enabled(config.get_bool("use_mixed_precision") && device.is_cuda())),
      criterion_(criterion_for(config)) {
  network_.module().to(device_);
  optimizer_ = make_optimizer(config_, network_.module());
  scheduler_ = std::make_unique<ReduceLROnPlateau>(*optimizer_, scheduler_options(config_));
}

std::unique_ptr<SeparationModel> SeparationModel::create(const Config& config,
                                                         torch::Device device) {
  config.validate();
  if (find_network_type(config.get_string("model_type")).domain == Domain::Spectrogram)
    return std::make_unique<SpectrogramMaskModel>(config, device);
  return std::make_unique<AudioModel>(config, device);
}

bool SeparationModel::mixed_precision() const { return grad_scaler_.is_enabled(); }

torch::Tensor SeparationModel::device_mixture(const torch::Tensor& mixture) const {
  if (mixture.dim() != 3)
    throw Error("set_data: mixture must be (batch, channels, samples), got " +
                c10::str(mixture.sizes()));
  return mixture.to(device_, torch::kFloat32);
}

void SeparationModel::set_data(const torch::Tensor& mixture, const torch::Tensor& targets) {
  const auto input = device_mixture(mixture);
  if (targets.defined() &&
      (targets.dim() != 4 || targets.size(0) != mixture.size(0) ||
       targets.size(1) != static_cast<int64_t>(targets_.size()) ||
       targets.size(2) != mixture.size(1) || targets.size(3) != mixture.size(2)))
    throw Error("set_data: targets must be (batch, " + std::to_string(targets_.size()) +
                ", channels, samples) matching the mixture " + c10::str(mixture.sizes()) +
                ", got " + c10::str(targets.sizes()));
  mixture_ = input;
  targets_audio_ = targets.defined() ? targets.to(device_, torch::kFloat32) : torch::Tensor();
}

torch::Tensor SeparationModel::compute_loss() {
  if (!output_.estimate.defined()) throw Error("compute_loss: call forward() first");
  if (!targets_audio_.defined()) throw Error("compute_loss: set_data() was given no targets");
  detail::CudaAutocastGuard autocast(mixed_precision());
  batch_loss_ = criterion_(loss_inputs()).to(torch::kFloat32);
  return batch_loss_;
}

void SeparationModel::backward() {
  if (!batch_loss_.defined()) throw Error("backward: call compute_loss() first");
  grad_scaler_.scale(batch_loss_).backward();
}

bool SeparationModel::optimizer_step() {
  grad_scaler_.unscale_(*optimizer_);
  if (config_.get_bool("clip_grad"))
    torch::nn::utils::clip_grad_norm_(network_.module().parameters(),
                                      config_.get_double("max_grad_norm"));
  const bool stepped = grad_scaler_.step(*optimizer_);
  grad_scaler_.update();
  optimizer_->zero_grad();
  return stepped;
}

bool SeparationModel::scheduler_step(double validation_loss) {
  return scheduler_->step(validation_loss);
}

void SeparationModel::train() { network_.module().train(); }
void SeparationModel::eval() { network_.module().eval(); }

void SeparationModel::set_inference_precision(InferencePrecision precision) {
  if (precision == InferencePrecision::kBFloat16 && !has_bfloat16_form()) {
    throw Error(
        "bfloat16 inference needs a SpectrogramNetSimple or SpectrogramNetLSTM on the "
        "CPU, not a " +
        config_.get_string("model_type") + " on " + device_.str());
  }
  inference_precision_ = precision;
}

bool SeparationModel::separates_in_bfloat16() const {
  switch (inference_precision_) {
    case InferencePrecision::kBFloat16:
      return true;
    case InferencePrecision::kAuto:
      return has_bfloat16_form() && cpu_computes_bfloat16();
    case InferencePrecision::kFloat32:
      break;
  }
  return false;
}

torch::Tensor SeparationModel::test() {
  torch::NoGradGuard no_grad;
  forward();
  return compute_loss();
}

void SeparationModel::save(const std::filesystem::path& file, int64_t step, CheckpointParts parts,
                           const ExtraWriter& extra) const {
  torch::serialize::OutputArchive archive;
  namespace key = detail::checkpoint;
  archive.write(key::kVersionKey, c10::IValue(int64_t{key::kFormatVersion}));
  archive.write(key::kStep, torch::tensor(step));
  archive.write(key::kModelType, c10::IValue(config_.get_string("model_type")));
  archive.write(key::kConfig, c10::IValue(config_.to_json()));
  if (parts.model) {
    torch::serialize::OutputArchive model;
    for (const auto& [name, tensor] : state_dict(network_.module()))
      model.write(name, tensor.detach().cpu(), /*is_buffer=*/true);
    archive.write(key::kModel, model);
  }
  if (parts.optimizer) {
    torch::serialize::OutputArchive optimizer;
    optimizer_->save(optimizer);
    archive.write(key::kOptimizer, optimizer);
  }
  if (parts.scheduler) {
    torch::serialize::OutputArchive scheduler;
    scheduler_->save(scheduler);
    archive.write(key::kScheduler, scheduler);
  }
  if (parts.grad_scaler) {
    torch::serialize::OutputArchive scaler;
    grad_scaler_.save(scaler);
    archive.write(key::kGradScaler, scaler);
  }
  if (extra) {
    torch::serialize::OutputArchive extras;
    extra(extras);
    archive.write(key::kExtra, extras);
  }
  write_atomically(
      file, [&](const std::filesystem::path& temporary) { archive.save_to(temporary.string()); });
}

int64_t SeparationModel::load(const std::filesystem::path& file, CheckpointParts parts,
                              const ExtraReader& extra) {
  namespace key = detail::checkpoint;
  detail::CheckpointReader checkpoint(file, config_.get_string("model_type"), device_);
  if (parts.model) load_state_dict(network_.module(), checkpoint.model_weights(), file.string());
  if (parts.optimizer)
    checkpoint.read_part(key::kOptimizer,
                         [&](torch::serialize::InputArchive& part) { optimizer_->load(part); });
  if (parts.scheduler)
    checkpoint.read_part(key::kScheduler,
                         [&](torch::serialize::InputArchive& part) { scheduler_->load(part); });
  if (parts.grad_scaler)
    checkpoint.read_part(key::kGradScaler,
                         [&](torch::serialize::InputArchive& part) { grad_scaler_.load(part); });
  if (extra) checkpoint.read_part(key::kExtra, extra);
  return checkpoint.step();
}

}  // namespace auralflow
