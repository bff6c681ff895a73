#include "auralflow/trainer.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "auralflow/compute_threads.hpp"
#include "auralflow/error.hpp"
#include "checkpoint/checkpoint_keys.hpp"

namespace auralflow {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// With a group, the batch is that of all ranks together, so N ranks with batch b validate on
// the same chunks as one process with batch N · b.
int64_t validation_chunks(const Config& config, const TrainerOptions& options) {
  if (options.validation_chunks() > 0) return options.validation_chunks();
  const auto wanted = static_cast<int64_t>(std::lround(
      static_cast<double>(config.get_int("max_num_samples")) * config.get_double("val_split")));
  const int64_t ranks = options.group() ? options.group()->world_size() : 1;
  return std::min<int64_t>(256, std::max<int64_t>(config.get_int("batch_size") * ranks, wanted));
}

double learning_rate(torch::optim::Optimizer& optimizer) {
  return optimizer.param_groups().front().options().get_lr();
}

// The default generator of `device` drives dropout and the VAE noise there.
at::Generator default_generator(torch::Device device) {
  return device.is_cuda() ? at::globalContext().defaultGenerator(device)
                          : at::detail::getDefaultCPUGenerator();
}

torch::Tensor rng_state(torch::Device device) {
  auto generator = default_generator(device);
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.get_state();
}

void set_rng_state(torch::Device device, const torch::Tensor& state) {
  auto generator = default_generator(device);
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_state(state);
}

// The sampler's options: with a group, one batch holds every rank's share (batch_size each)
// and an epoch has whole batches only.
DatasetOptions sampler_options(const Config& config, const distributed::Group* group) {
  auto options = DatasetOptions::from_config(config);
  if (group == nullptr || group->world_size() == 1) return options;
  const int64_t global = options.batch_size() * group->world_size();
  options.batch_size(global);
  options.max_num_samples(std::max(global, options.max_num_samples() / global * global));
  return options;
}

// Rank r's rows of a batch of all ranks: (world · b, ...) -> (b, ...).
Batch local_share(Batch batch, const distributed::Group* group) {
  if (group == nullptr || group->world_size() == 1) return batch;
  const int64_t share = batch.mixture.size(0) / group->world_size();
  const int64_t begin = share * group->rank();
  return {batch.mixture.slice(0, begin, begin + share),
          batch.targets.slice(0, begin, begin + share)};
}

// Dropout and VAE noise of ranks other than 0: their own stream, reproducible per epoch (rank
// 0 keeps the generator stored in the checkpoint).
uint64_t rank_seed(uint64_t seed, int64_t epoch, int rank) {
  return seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(epoch) * 1000003ULL +
         static_cast<uint64_t>(rank);
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

std::atomic<bool> Trainer::stop_requested_{false};

void Trainer::request_stop() { stop_requested_ = true; }

Trainer::Trainer(ModelFolder folder, std::filesystem::path dataset, TrainerOptions options)
    : Trainer(std::move(folder), std::vector<DataSource>{{std::move(dataset), 1.0}},
              std::move(options)) {}

Trainer::Trainer(ModelFolder folder, const std::vector<DataSource>& datasets,
                 TrainerOptions options)
    : folder_(std::move(folder)), config_(folder_.load_config()), options_(std::move(options)) {
  if (datasets.empty()) throw UsageError("training needs at least one data set");
  const int threads = options_.threads() >= 0 ? options_.threads()
                                              : static_cast<int>(config_.get_int("num_threads"));
  set_compute_threads(threads);
  const auto device =
      resolve_device(options_.device().empty() ? config_.get_string("device") : options_.device());
  model_ = SeparationModel::create(config_, device);
  train_data_ = std::make_unique<AudioFolder>(datasets, "train",
                                              sampler_options(config_, options_.group().get()));
  const auto& data = train_data_->options();
  valid_data_ = std::make_unique<AudioDataset>(create_audio_dataset(
      datasets.front().root, "valid", data.targets(), data.sample_length(),
      validation_chunks(config_, options_), data.max_num_tracks(), data.sample_rate(),
      data.num_channels() == 1, data.val_split(), data.seed()));
  if (!std::filesystem::exists(folder_.last_checkpoint()) && !options_.init_from().empty())
    initialize_weights(*model_, options_.init_from());
  if (std::filesystem::exists(folder_.last_checkpoint()))
    model_->load(folder_.last_checkpoint(), {}, [this](torch::serialize::InputArchive& archive) {
      namespace key = detail::checkpoint;
      torch::Tensor epoch, step, best, best_epoch, rng;
      archive.read(key::kEpoch, epoch);
      archive.read(key::kGlobalStep, step);
      archive.read(key::kBestLoss, best);
      archive.read(key::kBestEpoch, best_epoch);
      archive.read(key::kRngState, rng);
      state_ = {epoch.item<int64_t>(), step.item<int64_t>(), best.item<double>(),
                best_epoch.item<int64_t>()};
      set_rng_state(torch::kCPU, rng);
      torch::Tensor device_rng;  // the CUDA generator, when training ran on CUDA
      if (model_->device().is_cuda() && archive.try_read(key::kDeviceRngState, device_rng))
        set_rng_state(model_->device(), device_rng);
    });
  if (options_.group())
    gradient_sync_ =
        std::make_unique<distributed::GradientSync>(options_.group(), model_->network().module());
}

Trainer::~Trainer() = default;

void Trainer::add_callback(std::shared_ptr<TrainingCallback> callback) {
  callbacks_.push_back(std::move(callback));
}

void Trainer::save_checkpoint(const std::filesystem::path& file) const {
  if (!is_main()) return;
  std::filesystem::create_directories(file.parent_path());
  model_->save(file, state_.global_step, {}, [this](torch::serialize::OutputArchive& archive) {
    namespace key = detail::checkpoint;
    archive.write(key::kEpoch, torch::tensor(state_.epoch));
    archive.write(key::kGlobalStep, torch::tensor(state_.global_step));
    archive.write(key::kBestLoss, torch::tensor(state_.best_loss, torch::kFloat64));
    archive.write(key::kBestEpoch, torch::tensor(state_.best_epoch));
    archive.write(key::kRngState, rng_state(torch::kCPU));
    if (model_->device().is_cuda())
      archive.write(key::kDeviceRngState, rng_state(model_->device()));
  });
}

double Trainer::train_step(const Batch& batch) {
  try {
    model_->set_data(batch.mixture, batch.targets);
    if (gradient_sync_) gradient_sync_->before_forward();
    model_->forward();
    const double loss = model_->compute_loss().item<double>();
    if (gradient_sync_) gradient_sync_->before_backward();
    model_->backward();  // with a group: returns with the gradients averaged over the ranks
    return loss;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& error) {  // c10::Error, or Gloo's I/O errors
    if (!gradient_sync_) throw;
    throw Error("distributed training step failed (did another rank stop?): " +
                first_line(error.what()));
  }
}

double Trainer::train_epoch(int64_t epoch) {
  model_->train();
  const auto* group = options_.group().get();
  if (group != nullptr && !group->is_main())
    torch::manual_seed(rank_seed(train_data_->options().seed(), epoch, group->rank()));
  const int64_t num_batches = train_data_->num_batches();
  auto batches = train_data_->epoch(epoch);
  double loss_sum = 0.0;
  int64_t chunks = 0;
  const auto start = Clock::now();
  for (int64_t index = 0; auto batch = batches.next(); ++index) {
    const double loss = train_step(local_share(*batch, group));
    if (index + 1 == num_batches)
      for (auto& callback : callbacks_) callback->on_gradients(*model_, state_.global_step + 1);
    model_->optimizer_step();
    ++state_.global_step;
    loss_sum += loss;
    chunks += batch->mixture.size(0);
    const BatchEnd report{epoch + 1,
                          index + 1,
                          num_batches,
                          state_.global_step,
                          loss,
                          loss_sum / static_cast<double>(index + 1),
                          static_cast<double>(chunks) / std::max(seconds_since(start), 1e-9)};
    for (auto& callback : callbacks_) callback->on_batch_end(report);
    // Every rank stops after the same batch, whichever of them was asked to.
    const bool stop =
        group != nullptr ? options_.group()->any(stop_requested_) : stop_requested_.load();
    if (stop) {
      stop_requested_ = true;
      return std::nan("");
    }
  }
  if (group != nullptr) loss_sum = options_.group()->sum(loss_sum) / group->world_size();
  return loss_sum / static_cast<double>(std::max<int64_t>(num_batches, 1));
}

double Trainer::validate() {
  model_->eval();
  const auto& mixtures = valid_data_->mixtures();  // (S, C, N)
  const auto& targets = valid_data_->targets();    // (S, K, C, N)
  const int64_t batch_size = config_.get_int("batch_size");
  const auto& group = options_.group();
  const int rank = group ? group->rank() : 0;
  const int world_size = group ? group->world_size() : 1;
  // The mean loss per chunk; with a group, each rank takes every world_size-th batch.
  double loss_sum = 0.0;
  double chunks = 0.0;
  for (int64_t begin = 0, index = 0; begin < mixtures.size(0); begin += batch_size, ++index) {
    if (index % world_size != rank) continue;
    const int64_t end = std::min(begin + batch_size, mixtures.size(0));
    model_->set_data(mixtures.slice(0, begin, end), targets.slice(0, begin, end));
    loss_sum += model_->test().item<double>() * static_cast<double>(end - begin);
    chunks += static_cast<double>(end - begin);
  }
  if (group) {
    loss_sum = group->sum(loss_sum);
    chunks = group->sum(chunks);
  }
  return loss_sum / std::max(chunks, 1.0);
}

ValidationExample Trainer::validation_example() {
  model_->eval();
  ValidationExample example;
  example.mixture = valid_data_->mixtures()[0];  // (C, N)
  example.targets = valid_data_->targets()[0];   // (K, C, N)
  example.estimates = model_->separate(example.mixture.unsqueeze(0))[0].cpu();
  example.target_names = model_->targets();
  example.sample_rate = static_cast<int>(config_.get_int("sample_rate"));
  return example;
}

TrainingResult Trainer::run() {
  stop_requested_ = false;
  TrainingResult result;
  result.first_epoch = state_.epoch + 1;
  const int64_t epochs = options_.epochs() > 0 ? options_.epochs() : config_.get_int("max_epochs");
  const int64_t save_frequency = config_.get_int("save_frequency");
  const int64_t end_epoch = state_.epoch + epochs;
  while (state_.epoch < end_epoch) {
    const auto start = Clock::now();
    const double train_loss = train_epoch(state_.epoch);
    if (stop_requested_) {
      result.interrupted = true;
      break;
    }
    const double valid_loss = validate();
    const bool stop = model_->scheduler_step(valid_loss);
    ++state_.epoch;
    const bool best = state_.best_epoch == 0 || valid_loss < state_.best_loss;
    if (best) {
      state_.best_loss = valid_loss;
      state_.best_epoch = state_.epoch;
    }
    save_checkpoint(folder_.last_checkpoint());
    if (best) save_checkpoint(folder_.best_checkpoint());

    const bool last = stop || state_.epoch == end_epoch;
    ValidationExample example;
    if (is_main() && (state_.epoch % save_frequency == 0 || last)) example = validation_example();
    const EpochEnd report{state_.epoch,
                          state_.global_step,
                          train_loss,
                          valid_loss,
                          learning_rate(model_->optimizer()),
                          best,
                          stop,
                          seconds_since(start),
                          example.mixture.defined() ? &example : nullptr};
    for (auto& callback : callbacks_) callback->on_epoch_end(*model_, report);
    if (stop) {
      result.early_stopped = true;
      break;
    }
  }
  result.last_epoch = state_.epoch;
  result.state = state_;
  return result;
}

}  // namespace auralflow
