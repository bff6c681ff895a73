#include "visualize/mono.hpp"

#include <torch/torch.h>

#include "auralflow/error.hpp"
#include "auralflow/transforms.hpp"

namespace auralflow::visualize::detail {

std::vector<torch::Tensor> mono_signals(const std::vector<torch::Tensor>& audio,
                                        const std::string& figure) {
  std::vector<torch::Tensor> mono;
  for (const auto& signal : audio) {
    if (!signal.defined() || signal.dim() < 1 || signal.dim() > 2 || !signal.is_floating_point() ||
        signal.numel() == 0) {
      throw Error(figure + ": expected non-empty float audio shaped (channels, samples) or " +
                  "(samples), got " + (signal.defined() ? c10::str(signal.sizes()) : "none"));
    }
    const auto channels = signal.dim() == 2 ? signal : signal.unsqueeze(0);  // (C, N)
    const auto samples = channels.detach().to(torch::kCPU, torch::kFloat).mean(0);
    if (!torch::isfinite(samples).all().item<bool>()) {
      throw Error(figure + ": the audio contains NaN or infinite values");
    }
    mono.push_back(samples);
  }
  return trim_audio(mono);
}

}  // namespace auralflow::visualize::detail
