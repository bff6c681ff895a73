#include "auralflow/oracles.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <set>

#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"
#include "auralflow/transforms.hpp"

namespace auralflow {
namespace {

std::string shape_of(const torch::Tensor& tensor) {
  std::string text = "(";
  for (int64_t d = 0; d < tensor.dim(); ++d)
    text += (d > 0 ? ", " : "") + std::to_string(tensor.size(d));
  return text + ")";
}

// (C, N) float32 on the CPU; `what` names the input in errors.
torch::Tensor audio_input(const torch::Tensor& audio, int64_t channels, const std::string& what) {
  if (!audio.defined() || audio.dim() != 2 || audio.size(0) != channels)
    throw Error("oracle: the " + what + " must be (" + std::to_string(channels) +
                " channels, samples) like the mixture, not " +
                (audio.defined() ? shape_of(audio) : std::string("undefined")));
  return audio.to(torch::kCPU, torch::kFloat32);
}

// (K, C, bins, frames) masks of the four stems (stem_names() order) from their magnitudes.
torch::Tensor masks_of(Oracle oracle, const torch::Tensor& magnitudes) {
  if (oracle == Oracle::IdealRatioMask) {
    const auto total = magnitudes.sum(0, /*keepdim=*/true);
    return torch::where(total > 0, magnitudes / total.clamp_min(1e-30), torch::zeros_like(total));
  }
  // Binary: the first stem of largest magnitude takes the bin, unless all are silent.
  const auto [largest, winner] = torch::max(magnitudes, 0);
  const auto stems = torch::arange(magnitudes.size(0)).view({-1, 1, 1, 1});
  return (winner.unsqueeze(0) == stems).logical_and(largest.unsqueeze(0) > 0).to(torch::kFloat32);
}

}  // namespace

std::string to_string(Oracle oracle) {
  switch (oracle) {
    case Oracle::Mixture:
      return "mixture";
    case Oracle::IdealRatioMask:
      return "irm";
    case Oracle::IdealBinaryMask:
      return "ibm";
  }
  return "?";
}

const std::vector<Oracle>& all_oracles() {
  static const std::vector<Oracle> oracles = {Oracle::Mixture, Oracle::IdealRatioMask,
                                              Oracle::IdealBinaryMask};
  return oracles;
}

Oracle parse_oracle(const std::string& name) {
  for (const auto oracle : all_oracles())
    if (to_string(oracle) == name) return oracle;
  throw UsageError("unknown oracle '" + name + "' (mixture, irm or ibm)");
}

void OracleOptions::validate() const {
  if (num_fft < 2)
    throw UsageError("oracle: STFT size " + std::to_string(num_fft) + " must be at least 2");
  if (hop_length < 1 || hop_length >= num_fft)
    throw UsageError("oracle: STFT hop " + std::to_string(hop_length) +
                     " must be at least 1 and below the STFT size " + std::to_string(num_fft));
}

void check_oracle_targets(const std::vector<std::string>& targets) {
  if (targets.empty()) throw UsageError("oracle: no targets to estimate");
  const auto& stems = stem_names();
  std::set<std::string> seen;
  for (const auto& target : targets) {
    if (std::find(stems.begin(), stems.end(), target) == stems.end())
      throw UsageError("oracle: unknown target '" + target + "' (drums, bass, other or vocals)");
    if (!seen.insert(target).second)
      throw UsageError("oracle: target '" + target + "' given twice");
  }
}

std::map<std::string, torch::Tensor> oracle_estimates(
    Oracle oracle, const torch::Tensor& mixture, const std::map<std::string, torch::Tensor>& stems,
    const std::vector<std::string>& targets, const OracleOptions& options) {
  options.validate();
  check_oracle_targets(targets);
  if (!mixture.defined() || mixture.dim() != 2)
    throw Error("oracle: the mixture must be (channels, samples), not " +
                (mixture.defined() ? shape_of(mixture) : std::string("undefined")));
  const int64_t channels = mixture.size(0);
  std::map<std::string, torch::Tensor> estimates;
  if (oracle == Oracle::Mixture) {
    const auto estimate = audio_input(mixture, channels, "mixture");
    for (const auto& target : targets) estimates[target] = estimate.clone();
    return estimates;
  }

  std::vector<torch::Tensor> inputs = {audio_input(mixture, channels, "mixture")};
  for (const auto& stem : stem_names()) {
    const auto found = stems.find(stem);
    if (found == stems.end())
      throw Error("oracle " + to_string(oracle) + ": no " + stem +
                  " stem (the masks need all four)");
    inputs.push_back(audio_input(found->second, channels, stem + " stem"));
  }
  inputs = trim_audio(inputs);
  const int64_t samples = inputs[0].size(-1);
  if (samples < options.num_fft / 2)
    throw Error("oracle " + to_string(oracle) + ": a track of " + std::to_string(samples) +
                " samples is too short for an STFT of " + std::to_string(options.num_fft) +
                " (at least " + std::to_string(options.num_fft / 2) + " samples)");

  const AudioTransform stft(options.num_fft, options.hop_length, options.num_fft);
  std::vector<torch::Tensor> magnitudes;
  for (size_t k = 1; k < inputs.size(); ++k)
    magnitudes.push_back(stft.to_spectrogram(inputs[k]).abs());
  const auto masks = masks_of(oracle, torch::stack(magnitudes));  // (K, C, bins, frames)
  magnitudes.clear();
  const auto mixture_spectrogram = stft.to_spectrogram(inputs[0]);  // (C, bins, frames)
  const auto& names = stem_names();
  for (const auto& target : targets) {
    const auto k = std::find(names.begin(), names.end(), target) - names.begin();
    estimates[target] = stft.to_audio(mixture_spectrogram * masks[k], samples);
  }
  return estimates;
}

}  // namespace auralflow
