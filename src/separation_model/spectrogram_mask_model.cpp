#include "auralflow/error.hpp"
#include "auralflow/models/folded_unet.hpp"
#include "auralflow/separation_model.hpp"
#include "auralflow/transforms.hpp"
#include "separation_model/autocast.hpp"

namespace auralflow {

SpectrogramMaskModel::SpectrogramMaskModel(const Config& config, torch::Device device)
    : SeparationModel(config, device), transform_(transform_of(config)) {}

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

bool SpectrogramMaskModel::has_bfloat16_form() const {
  return device_.is_cpu() && models::FoldedSpectrogramNet::supports(network_.module());
}

std::shared_ptr<const models::FoldedSpectrogramNet> SpectrogramMaskModel::folded_network() {
  torch::nn::Module& module = network_.module();
  if (!device_.is_cpu() || module.is_training() ||
      !models::FoldedSpectrogramNet::supports(module)) {
    return nullptr;
  }
  std::vector<int64_t> key;
  for (const auto& tensors : {module.parameters(), module.buffers()}) {
    for (const auto& tensor : tensors) {
      key.push_back(reinterpret_cast<int64_t>(tensor.data_ptr()));
      key.push_back(static_cast<int64_t>(tensor._version()));
    }
  }
  const bool bfloat16 = separates_in_bfloat16();
  key.push_back(bfloat16 ? 1 : 0);
  const std::lock_guard<std::mutex> lock(folded_mutex_);
  if (!folded_ || key != folded_from_) {
    folded_ = std::make_shared<const models::FoldedSpectrogramNet>(
        network_.module_ptr(), c10::MemoryFormat::ChannelsLast,
        bfloat16 ? torch::kBFloat16 : torch::kFloat32);
    folded_from_ = std::move(key);
  }
  return folded_;
}

torch::Tensor SpectrogramMaskModel::separate(const torch::Tensor& audio) {
  c10::InferenceMode inference;
  const auto mixture = device_mixture(audio);
  const auto spec = transform_.to_spectrogram(mixture);  // (B, C, F, T) complex
  torch::Tensor mask;                                    // (B, K, C, F, T)
  if (const auto folded = folded_network()) {
    mask = folded->forward(torch::abs(spec));
  } else {
    detail::CudaAutocastGuard autocast(mixed_precision());
    mask = network_(torch::abs(spec)).estimate;
  }
  return transform_.to_audio(mask.to(torch::kFloat32) * spec.unsqueeze(1), mixture.size(-1));
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
