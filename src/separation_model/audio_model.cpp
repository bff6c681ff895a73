#include "auralflow/error.hpp"
#include "auralflow/separation_model.hpp"
#include "separation_model/autocast.hpp"

namespace auralflow {

AudioModel::AudioModel(const Config& config, torch::Device device)
    : SeparationModel(config, device) {
  const auto name = criterion_.name();
  if (name == "component_loss" || name == "mask_loss")
    throw Error("criterion '" + name + "' needs a spectrogram model's mask; " +
                config.get_string("model_type") +
                " estimates waveforms: use l1, l2, rmse, si_sdr_loss or kl_div_loss");
}

void AudioModel::forward() {
  if (!mixture_.defined()) throw Error("forward: call set_data() first");
  detail::CudaAutocastGuard autocast(mixed_precision());
  output_ = network_(mixture_);  // (B, K, C, N)
}

torch::Tensor AudioModel::separate(const torch::Tensor& audio) {
  c10::InferenceMode inference;
  const auto mixture = device_mixture(audio);
  detail::CudaAutocastGuard autocast(mixed_precision());
  return network_(mixture).estimate.to(torch::kFloat32);
}

LossInputs AudioModel::loss_inputs() {
  // Waveform criteria compare waveforms: the magnitude slots carry the waveforms and the
  // "mask" is 1, so l1/l2/rmse/kl_div_loss compare estimate and target directly.
  LossInputs inputs;
  inputs.estimate_audio = output_.estimate;
  inputs.target_audio = targets_audio_;
  inputs.mask = torch::ones_like(output_.estimate);
  inputs.mixture_magnitude = output_.estimate;
  inputs.target_magnitude = targets_audio_;
  inputs.mu = output_.mu;
  inputs.sigma = output_.sigma;
  return inputs;
}

}  // namespace auralflow
