#pragma once
// Private to src/visualize: the audio arguments of the comparison plots as CPU mono signals.
#include <torch/types.h>

#include <string>
#include <vector>

namespace auralflow::visualize::detail {

/// Each finite (channels, samples) or (samples,) float tensor -> (samples,) float32 on the CPU,
/// channels averaged, all cut to the shortest length. `figure` names the caller in errors.
std::vector<torch::Tensor> mono_signals(const std::vector<torch::Tensor>& audio,
                                        const std::string& figure);

}  // namespace auralflow::visualize::detail
