#include "auralflow/models/hybrid_net.hpp"

#include "auralflow/error.hpp"

#include <sstream>
#include <utility>

namespace auralflow::models {

namespace {

/// A branch's main output (mask or estimate) and, for a VAE, its latent Gaussian.
struct BranchOutput {
  torch::Tensor value;
  torch::Tensor mu;
  torch::Tensor sigma;
};

BranchOutput branch_output(torch::Tensor value) { return {std::move(value), {}, {}}; }
BranchOutput branch_output(SpectrogramNetVAEOutput out) { return {out.mask, out.mu, out.sigma}; }
BranchOutput branch_output(AudioNetVAEOutput out) { return {out.estimate, out.mu, out.sigma}; }

template <typename Branch>
BranchOutput run(Branch& branch, const torch::Tensor& input) {
  return std::visit([&](auto& net) { return branch_output(net(input)); }, branch);
}

/// {channels, targets} of a branch; auralflow::Error when it is an empty holder.
template <typename Branch>
std::pair<int64_t, int64_t> layout(const Branch& branch, const char* what) {
  return std::visit(
      [&](const auto& net) {
        if (net.is_empty()) throw Error(std::string("HybridNet: the ") + what + " branch is empty");
        return std::make_pair(net->options().num_channels(), net->options().num_targets());
      },
      branch);
}

// "A, B or C".
std::string listed(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i)
    text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return text;
}

}  // namespace

const std::vector<std::string>& spectrogram_branch_types() {
  static const std::vector<std::string> names = {"SpectrogramNetSimple", "SpectrogramNetLSTM",
                                                 "SpectrogramNetVAE"};
  return names;
}

const std::vector<std::string>& waveform_branch_types() {
  static const std::vector<std::string> names = {"AudioNetSimple", "AudioNetSimpleLSTM",
                                                 "AudioNetVAE"};
  return names;
}

SpectrogramBranch make_spectrogram_branch(const std::string& name,
                                          const SpectrogramNetOptions& options) {
  if (name == "SpectrogramNetSimple") return SpectrogramNetSimple(options);
  if (name == "SpectrogramNetLSTM") return SpectrogramNetLSTM(options);
  if (name == "SpectrogramNetVAE") return SpectrogramNetVAE(options);
  throw Error("HybridNet options: unknown spectrogram_net '" + name +
              "' (allowed: " + listed(spectrogram_branch_types()) + ")");
}

WaveformBranch make_waveform_branch(const std::string& name, const AudioNetOptions& options) {
  if (name == "AudioNetSimple") return AudioNetSimple(options);
  if (name == "AudioNetSimpleLSTM") return AudioNetSimpleLSTM(options);
  if (name == "AudioNetVAE") return AudioNetVAE(options);
  throw Error("HybridNet options: unknown audio_net '" + name +
              "' (allowed: " + listed(waveform_branch_types()) + ")");
}

HybridNetOptions::HybridNetOptions(int64_t num_channels, int64_t num_targets)
    : spectrogram_(
          SpectrogramNetOptions(513, num_channels).num_targets(num_targets).hidden_size(512)),
      waveform_(AudioNetOptions(num_channels).num_targets(num_targets)) {}

HybridNetImpl::HybridNetImpl(const HybridNetOptions& options)
    : HybridNetImpl(
          make_spectrogram_branch(options.spectrogram_net(), options.spectrogram()),
          make_waveform_branch(options.audio_net(), options.waveform()),
          AudioTransform(options.num_fft(), options.hop_length(), options.window_size())) {}

HybridNetImpl::HybridNetImpl(SpectrogramBranch spectrogram_branch, WaveformBranch waveform_branch,
                             AudioTransform transform)
    : spectrogram(std::move(spectrogram_branch)),
      waveform(std::move(waveform_branch)),
      transform_(std::move(transform)) {
  const auto [channels, targets] = layout(spectrogram, "spectrogram");
  const auto [wave_channels, wave_targets] = layout(waveform, "waveform");
  if (wave_channels != channels || wave_targets != targets) {
    throw Error("HybridNet: the branches disagree: the spectrogram branch has " +
                std::to_string(channels) + " channels and " + std::to_string(targets) +
                " targets, the waveform branch " + std::to_string(wave_channels) + " and " +
                std::to_string(wave_targets));
  }
  const int64_t bins =
      std::visit([](const auto& net) { return net->options().num_bins(); }, spectrogram);
  if (bins != transform_.num_bins()) {
    throw Error("HybridNet: the spectrogram branch takes " + std::to_string(bins) +
                " bins, but num_fft " + std::to_string(transform_.num_fft()) + " gives " +
                std::to_string(transform_.num_bins()));
  }
  std::visit([this](auto& net) { register_module("spectrogram", net); }, spectrogram);
  std::visit([this](auto& net) { register_module("waveform", net); }, waveform);
  blend = register_parameter("blend", torch::zeros({targets, channels}));
}

HybridNetOutput HybridNetImpl::forward(const torch::Tensor& audio) {
  if (audio.dim() != 3 || audio.size(1) != num_channels()) {
    std::ostringstream message;
    message << "HybridNet: expected audio (batch, " << num_channels() << ", samples), got "
            << audio.sizes();
    throw Error(message.str());
  }
  HybridNetOutput output;
  const torch::Tensor stft = transform_.to_spectrogram(audio);  // (B, C, F, T) complex
  const BranchOutput spec = run(spectrogram, torch::abs(stft));
  output.mask = spec.value;  // (B, K, C, F, T)
  output.spectrogram_mu = spec.mu;
  output.spectrogram_sigma = spec.sigma;
  output.spectrogram_estimate = transform_.to_audio(output.mask * stft.unsqueeze(1), audio.size(2));

  const BranchOutput wave = run(waveform, audio);
  output.waveform_estimate = wave.value;  // (B, K, C, N)
  output.waveform_mu = wave.mu;
  output.waveform_sigma = wave.sigma;

  const torch::Tensor share = torch::sigmoid(blend).unsqueeze(-1);  // (K, C, 1)
  output.estimate =
      output.waveform_estimate + share * (output.spectrogram_estimate - output.waveform_estimate);
  return output;
}

}  // namespace auralflow::models
