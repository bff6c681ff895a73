#include "auralflow/callbacks.hpp"
#include "auralflow/separation_model.hpp"
#include "auralflow/tensorboard.hpp"
#include "auralflow/transforms.hpp"
#include "auralflow/visualize.hpp"

namespace auralflow {

TensorBoardLogger::TensorBoardLogger(const std::filesystem::path& runs_dir, const Config& config)
    : config_(config) {
  if (config_.get_bool("tensorboard"))
    writer_ = std::make_unique<tensorboard::SummaryWriter>(runs_dir);
}

TensorBoardLogger::~TensorBoardLogger() = default;

void TensorBoardLogger::on_batch_end(const BatchEnd& batch) {
  if (writer_) writer_->add_scalar("loss/batch", batch.loss, batch.global_step);
}

void TensorBoardLogger::on_gradients(const SeparationModel& model, int64_t global_step) {
  if (!writer_ || !config_.get_bool("view_gradient")) return;
  for (const auto& item : model.network().module().named_parameters())
    if (item.value().grad().defined())
      writer_->add_histogram("gradients/" + item.key(), item.value().grad(), global_step);
}

void TensorBoardLogger::on_epoch_end(const SeparationModel& model, const EpochEnd& epoch) {
  if (!writer_) return;
  const int64_t step = epoch.epoch;
  writer_->add_scalar("loss/train", epoch.train_loss, step);
  writer_->add_scalar("loss/valid", epoch.valid_loss, step);
  writer_->add_scalar("learning_rate", epoch.learning_rate, step);
  if (config_.get_bool("view_weights"))
    for (const auto& item : model.network().module().named_parameters())
      writer_->add_histogram("weights/" + item.key(), item.value(), step);
  if (const ValidationExample* example = epoch.example) {
    const AudioTransform transform = transform_of(config_);
    for (size_t k = 0; k < example->target_names.size(); ++k) {
      const auto& name = example->target_names[k];
      const auto index = static_cast<int64_t>(k);
      const auto estimate = example->estimates[index];
      const auto target = example->targets[index];
      if (config_.get_bool("view_spectrogram"))
        writer_->add_image(
            name + "/spectrogram",
            visualize::spectrogram_comparison(example->mixture, estimate, target, transform), step);
      if (config_.get_bool("view_waveform"))
        writer_->add_image(name + "/waveform", visualize::waveform_comparison(estimate, target),
                           step);
      if (config_.get_bool("play_audio")) {
        writer_->add_audio(name + "/estimate", estimate, example->sample_rate, step);
        writer_->add_audio(name + "/true", target, example->sample_rate, step);
        writer_->add_audio(name + "/residual", example->mixture - estimate, example->sample_rate,
                           step);
      }
    }
  }
  writer_->flush();
}

}  // namespace auralflow
