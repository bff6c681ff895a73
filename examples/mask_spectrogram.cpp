// Example 1: build a network from its options and mask a spectrogram.
//
// SpectrogramNetSimple is the original Auralflow's U-Net mask estimator. It reads magnitude
// spectrograms (batch, channels, bins, frames) and returns one soft mask in [0, 1] per target:
// (batch, targets, channels, bins, frames). Each mask scales the mixture's magnitude, the
// mixture's phase is kept, and the inverse STFT gives that target's waveform.
//
// The network here has fresh weights, so the stems it makes are not yet separated; training
// (training_loop.cpp) or a pretrained model (separate_file.cpp) gives it useful weights.
//
// Usage: example_mask_spectrogram
#include <torch/torch.h>

#include <iostream>
#include <vector>

#include "auralflow/models/spectrogram_net.hpp"
#include "auralflow/transforms.hpp"

int main() {
  using namespace auralflow;
  torch::manual_seed(0);  // the weights and the noise below are the same on every run

  // The models' STFT: 1024-point FFT, hop 512, Hann window of 1024, at 44.1 kHz: 513 bins.
  const AudioTransform stft(/*num_fft=*/1024, /*hop_length=*/512, /*window_size=*/1024,
                            /*sample_rate=*/44100);

  // One second of stereo audio: (batch 1, channels 2, samples 44100), values in [-1, 1].
  const torch::Tensor audio = 0.1 * torch::randn({1, 2, 44100});
  const torch::Tensor spectrogram = stft.to_spectrogram(audio);  // complex (1, 2, 513, frames)
  const torch::Tensor magnitude = spectrogram.abs();

  // LibTorch-style options: the sizes in the constructor, every other setting chained (the
  // defaults are listed in spectrogram_net.hpp). Two targets: two masks per channel.
  models::SpectrogramNetSimple net(
      models::SpectrogramNetOptions(stft.num_bins(), /*num_channels=*/2)
          .num_targets(2)
          .hidden_channels(8)
          .mask_activation("sigmoid"));
  net->eval();  // no dropout; BatchNorm uses its running statistics
  torch::NoGradGuard no_grad;

  const torch::Tensor masks = net->forward(magnitude);  // (1, 2, 2, 513, frames) in [0, 1]
  // mask · |X| · e^{i∠X} per target, back to (1, 2, 2, 44100) waveforms of the input's length.
  const torch::Tensor estimates =
      stft.to_audio(masks * spectrogram.unsqueeze(1), /*length=*/audio.size(-1));

  int64_t parameters = 0;
  for (const auto& parameter : net->parameters()) parameters += parameter.numel();
  const float low = masks.min().item<float>();
  const float high = masks.max().item<float>();
  std::cout << "parameters: " << parameters << "\n"
            << "spectrogram: " << magnitude.sizes() << "\n"
            << "masks: " << masks.sizes() << ", from " << low << " to " << high << "\n"
            << "estimates: " << estimates.sizes() << "\n";

  // The example checks its result, so that the tests (ctest -R Examples) catch a change.
  const int64_t frames = magnitude.size(-1);
  if (masks.sizes().vec() != std::vector<int64_t>{1, 2, 2, 513, frames} || low < 0 || high > 1 ||
      estimates.sizes().vec() != std::vector<int64_t>{1, 2, 2, 44100}) {
    std::cerr << "error: masks or estimates of unexpected shape or range\n";
    return 1;
  }
  return 0;
}
