#include "auralflow/audio.hpp"
#include "auralflow/callbacks.hpp"
#include "auralflow/transforms.hpp"
#include "auralflow/visualize.hpp"

namespace auralflow {

SnapshotWriter::SnapshotWriter(std::filesystem::path images_dir, std::filesystem::path audio_dir,
                               const Config& config)
    : images_dir_(std::move(images_dir)), audio_dir_(std::move(audio_dir)), config_(config) {}

void SnapshotWriter::on_epoch_end(const SeparationModel&, const EpochEnd& epoch) {
  const ValidationExample* example = epoch.example;
  if (!example) return;
  const bool images = config_.get_bool("save_image");
  const bool audio = config_.get_bool("save_audio");
  if (images) std::filesystem::create_directories(images_dir_);
  if (audio) std::filesystem::create_directories(audio_dir_);
  const AudioTransform transform = transform_of(config_);
  for (size_t k = 0; k < example->target_names.size(); ++k) {
    const std::string prefix =
        "epoch_" + std::to_string(epoch.epoch) + "_" + example->target_names[k] + "_";
    const auto estimate = example->estimates[static_cast<int64_t>(k)];
    const auto target = example->targets[static_cast<int64_t>(k)];
    if (images) {
      visualize::save_png(
          images_dir_ / (prefix + "spectrogram.png"),
          visualize::spectrogram_comparison(example->mixture, estimate, target, transform));
      visualize::save_png(images_dir_ / (prefix + "waveform.png"),
                          visualize::waveform_comparison(estimate, target));
    }
    if (audio) {
      // Float WAV: an untrained model's estimate may leave [-1, 1]; nothing is clipped.
      const auto save = [&](const std::string& name, const torch::Tensor& signal) {
        audio::save((audio_dir_ / (prefix + name)).string(), signal, example->sample_rate,
                    audio::SampleFormat::Float32);
      };
      save("estimate.wav", estimate);
      save("true.wav", target);
      save("residual.wav", example->mixture - estimate);
    }
  }
}

}  // namespace auralflow
