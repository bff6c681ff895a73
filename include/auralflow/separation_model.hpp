#pragma once
/// @file
/// SeparationModel: a network with its transform, loss, optimizer, LR scheduler,
/// grad scaler and checkpoints, behind the original Auralflow's stateful API:
///
/// @code
///   auto model = SeparationModel::create(config, torch::kCPU);
///   model->train();
///   model->set_data(mixture, targets);   // (B, C, N), (B, K, C, N)
///   model->forward();
///   model->compute_loss();
///   model->backward();
///   model->optimizer_step();
///   ...
///   if (model->scheduler_step(validation_loss)) stop();
///   model->save(checkpoint_file, step);
/// @endcode
///
/// Implementations: SpectrogramMaskModel (mask × |X| with the mixture phase) and
/// AudioModel (waveform networks estimate the target waveforms directly).
#include <torch/torch.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "auralflow/config.hpp"
#include "auralflow/grad_scaler.hpp"
#include "auralflow/inference_precision.hpp"
#include "auralflow/losses.hpp"
#include "auralflow/network.hpp"
#include "auralflow/schedulers.hpp"
#include "auralflow/transforms.hpp"

namespace auralflow {

namespace models {
class FoldedSpectrogramNet;
}  // namespace models

/// Which parts a checkpoint file holds (and which parts load_checkpoint restores).
struct CheckpointParts {
  bool model = true;        ///< the network's weights and buffers
  bool optimizer = true;    ///< the optimizer's state (moments, step counts)
  bool scheduler = true;    ///< ReduceLROnPlateau's counters and best loss
  bool grad_scaler = true;  ///< the grad scaler's scale and growth tracker
};

/// A trainable separation model (see the file comment): create() one from a Config, train it
/// with the stateful calls, separate() with it, save() and load() checkpoints. Shapes: B batch
/// items, C channels, N samples, K targets (config model_params.targets, in that order).
class SeparationModel {
 public:
  /// The model for config.model_type on `device`, with fresh weights.
  static std::unique_ptr<SeparationModel> create(const Config& config, torch::Device device);
  virtual ~SeparationModel() = default;

  /// mixture (B, C, N); targets (B, K, C, N), K = number of config targets (optional).
  void set_data(const torch::Tensor& mixture, const torch::Tensor& targets = {});
  /// Runs the network on the mixture set by set_data.
  virtual void forward() = 0;
  /// Full waveform in, target waveforms out: (B, C, N) -> (B, K, C, N), same length.
  /// Runs in inference mode with the current train/eval mode of the network, and keeps
  /// nothing of the call (not the data of set_data/forward): in eval mode, threads may
  /// separate different chunks at the same time.
  virtual torch::Tensor separate(const torch::Tensor& audio) = 0;
  /// The criterion on the last forward; returns the loss (and remembers it).
  torch::Tensor compute_loss();
  /// Backpropagates the last loss (scaled when mixed precision is on).
  void backward();
  /// Clips gradients (clip_grad, max_grad_norm), steps the optimizer (through the grad
  /// scaler) and zeroes the gradients. Returns false if the step was skipped (inf/NaN).
  bool optimizer_step();
  /// ReduceLROnPlateau on the validation loss; true when training should stop.
  bool scheduler_step(double validation_loss);

  /// Training mode: dropout on, BatchNorm updates its running statistics.
  void train();
  /// Evaluation mode: dropout off, BatchNorm uses its running statistics (for separating).
  void eval();
  /// The number format separate() computes in (default float32; not to be changed while
  /// another thread separates). kBFloat16 on a model without a bfloat16 form
  /// (has_bfloat16_form()) is an auralflow::Error naming its network.
  void set_inference_precision(InferencePrecision precision);
  /// What set_inference_precision() last set.
  InferencePrecision inference_precision() const { return inference_precision_; }
  /// True where separate() can compute in bfloat16 (inference_precision.hpp):
  /// SpectrogramNetSimple and SpectrogramNetLSTM on the CPU.
  virtual bool has_bfloat16_form() const { return false; }
  /// True when separate() computes in bfloat16: kBFloat16, or kAuto on a model with a
  /// bfloat16 form and a CPU with bfloat16 instructions.
  bool separates_in_bfloat16() const;
  /// forward() and compute_loss() without gradients; returns the loss.
  torch::Tensor test();

  /// Extra entries a caller stores with a checkpoint (e.g. the trainer's epoch and RNG state).
  using ExtraWriter = std::function<void(torch::serialize::OutputArchive&)>;
  /// Reads what an ExtraWriter wrote.
  using ExtraReader = std::function<void(torch::serialize::InputArchive&)>;

  /// Writes the chosen parts (and `step`, the model type and config, and the sub-archive
  /// "extra" filled by `extra` when given) to `file` atomically.
  void save(const std::filesystem::path& file, int64_t step, CheckpointParts parts = {},
            const ExtraWriter& extra = {}) const;
  /// Restores the chosen parts from `file` (and hands its "extra" sub-archive to `extra` when
  /// given); returns the step stored in it. A checkpoint of another model type or with other
  /// parameter shapes is an auralflow::Error saying so.
  int64_t load(const std::filesystem::path& file, CheckpointParts parts = {},
               const ExtraReader& extra = {});

  const Config& config() const { return config_; }     ///< the settings it was made from
  const Network& network() const { return network_; }  ///< its network
  Network& network() { return network_; }              ///< its network, to change its weights
  torch::Device device() const { return device_; }     ///< where it computes
  /// The optimizer (training_params.optimizer: adam or adamw), its LSTM parameters at
  /// lr_lstm.
  torch::optim::Optimizer& optimizer() { return *optimizer_; }
  /// The learning-rate schedule and early stopping.
  const ReduceLROnPlateau& scheduler() const { return *scheduler_; }
  /// The loss scaler (enabled with mixed precision on CUDA only).
  const GradScaler& grad_scaler() const { return grad_scaler_; }
  /// The K target names, in the order of the targets dim.
  const std::vector<std::string>& targets() const { return targets_; }
  /// The estimated target waveforms of the last forward, (B, K, C, N).
  virtual torch::Tensor estimate_audio() = 0;
  /// The last loss (undefined before compute_loss).
  const torch::Tensor& batch_loss() const { return batch_loss_; }

 protected:
  /// Builds the network, optimizer, scheduler, grad scaler and criterion from `config`.
  SeparationModel(const Config& config, torch::Device device);
  /// mixture (B, C, N) checked and on the device as float32.
  torch::Tensor device_mixture(const torch::Tensor& mixture) const;
  /// Fills LossInputs from the last forward for the configured criterion.
  virtual LossInputs loss_inputs() = 0;
  /// True when the mixed-precision path (CUDA autocast + grad scaler) is active.
  bool mixed_precision() const;

  Config config_;                                       ///< see config()
  torch::Device device_;                                ///< see device()
  std::vector<std::string> targets_;                    ///< see targets()
  Network network_;                                     ///< see network()
  std::unique_ptr<torch::optim::Optimizer> optimizer_;  ///< see optimizer()
  std::unique_ptr<ReduceLROnPlateau> scheduler_;        ///< see scheduler()
  GradScaler grad_scaler_;                              ///< see grad_scaler()
  Criterion criterion_;                                 ///< training_params.criterion
  torch::Tensor mixture_;                               ///< (B, C, N) on device
  torch::Tensor targets_audio_;  ///< (B, K, C, N) on device, may be undefined
  NetworkOutput output_;         ///< the last forward's output
  torch::Tensor batch_loss_;     ///< see batch_loss()
  InferencePrecision inference_precision_ = InferencePrecision::kFloat32;  ///< see its setter
};

/// Spectrogram networks: mask = net(|X|); estimate = iSTFT(mask · |X| · e^{i∠X}).
class SpectrogramMaskModel : public SeparationModel {
 public:
  /// The model of a spectrogram-domain config (the STFT from dataset_params).
  SpectrogramMaskModel(const Config& config, torch::Device device);
  void forward() override;
  torch::Tensor separate(const torch::Tensor& audio) override;
  torch::Tensor estimate_audio() override;
  bool has_bfloat16_form() const override;
  /// The STFT the network's spectrograms come from.
  const AudioTransform& transform() const { return transform_; }

 protected:
  LossInputs loss_inputs() override;

 private:
  /// The network with its BatchNorms folded (models/folded_unet.hpp), for separate() on the
  /// CPU in eval mode, in bfloat16 when separates_in_bfloat16(); rebuilt when any weight or
  /// the precision changed since. nullptr where it does not apply.
  std::shared_ptr<const models::FoldedSpectrogramNet> folded_network();

  AudioTransform transform_;
  torch::Tensor mixture_spec_;  ///< (B, C, F, T) complex
  std::mutex folded_mutex_;     ///< separate() may run on several threads
  std::shared_ptr<const models::FoldedSpectrogramNet> folded_;
  /// Data pointers and versions of the weights folded, then 1 for bfloat16 (0: float32).
  std::vector<int64_t> folded_from_;
};

/// Waveform networks: the network's output is the estimate.
class AudioModel : public SeparationModel {
 public:
  /// The model of a waveform-domain config (AudioNet* and HybridNet).
  AudioModel(const Config& config, torch::Device device);
  void forward() override;
  torch::Tensor separate(const torch::Tensor& audio) override;
  torch::Tensor estimate_audio() override { return output_.estimate; }

 protected:
  LossInputs loss_inputs() override;
};

/// "auto" -> CUDA when available, else CPU; "cpu"; "cuda" (an error without CUDA).
torch::Device resolve_device(const std::string& name);

}  // namespace auralflow
