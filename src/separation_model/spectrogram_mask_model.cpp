#include "auralflow/error.hpp"
#include "auralflow/separation_model.hpp"
#include "separation_model/autocast.hpp"

namespace auralflow {

SpectrogramMaskModel::SpectrogramMaskModel(const Config& config, torch::Device device)
    : SeparationModel(config, device),
      transform_(config.get_int("num_fft"), config.get_int("hop_length"),
                 config.get_int("window_size"), config.get_int("sample_rate")) {}

void SpectrogramMaskModel::forward() {
  if (!mixture_.defined()) throw Error("forward: call set_data() first");
  mixture_spec_ = transform_.to_spectrogram(mixture_);  // (B, C, F, T) complex
  detail::CudaAutocastGuard autocast(mixed_precision());
  output_ = network_(torch::abs(mixture_spec_));  // mask (B, K, C, F, T)
}

torch::Tensor SpectrogramMaskModel::estimate_audio() {
  // mask · |X| · e^{i∠X} = mask · X, then back to (B, K, C, N).
  const auto spec = output_.estimate.to(torch::kFloat32) * mixture_spec_.unsqueeze(1);
  return transform_.to_audio(spec, mixture_.size(-1));
}

torch::Tensor SpectrogramMaskModel::separate(const torch::Tensor& audio) {
  torch::NoGradGuard no_grad;
  set_data(audio);
  forward();
  return estimate_audio();
}

LossInputs SpectrogramMaskModel::loss_inputs() {
  LossInputs inputs;
  inputs.mask = output_.estimate;  // (B, K, C, F, T)
  inputs.mixture_magnitude = torch::abs(mixture_spec_).unsqueeze(1).expand_as(inputs.mask);
  inputs.target_magnitude = torch::abs(transform_.to_spectrogram(targets_audio_));
  inputs.mu = output_.mu;
  inputs.sigma = output_.sigma;
  if (criterion_.requires_input(LossInput::kEstimateAudio)) {
    inputs.estimate_audio = estimate_audio();
    inputs.target_audio = targets_audio_;
  }
  return inputs;
}

}  // namespace auralflow
