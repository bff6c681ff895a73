// Forward and forward+backward time of every network at its DEFAULT config, on one 3-second
// stereo chunk at 44.1 kHz (132300 samples): the waveform and hybrid nets get the audio
// (B, 2, 132300), the spectrogram nets its |STFT| at num_fft 1024 / hop 512, (B, 2, 513, 260).
//   BM_Forward/<net>/batch:{1,8}   eval mode, no autograd (inference)
//   BM_ForwardBackward/<net>/batch:8   training mode, mean of the output, backward
// Counters: params (parameter count), threads (torch intra-op threads).
// Each case runs 1-2 iterations: the default nets are large and the machine is small.
// Run: ./build/bench/bench_models [--benchmark_filter=AudioNet]
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "auralflow/models/audio_net.hpp"
#include "auralflow/models/hybrid_net.hpp"
#include "auralflow/models/spectrogram_net.hpp"
#include "auralflow/transforms.hpp"

#include <type_traits>

namespace {

using namespace auralflow::models;

constexpr int64_t kChannels = 2;
constexpr int64_t kSamples = 3 * 44100;

/// The default-config net of each type, stereo, one target.
template <typename Net>
Net build();
template <>
SpectrogramNetSimple build() {
  return SpectrogramNetSimple(SpectrogramNetOptions(513, kChannels));
}
template <>
SpectrogramNetLSTM build() {
  return SpectrogramNetLSTM(SpectrogramNetOptions(513, kChannels));
}
template <>
SpectrogramNetVAE build() {
  return SpectrogramNetVAE(SpectrogramNetOptions(513, kChannels));
}
template <>
AudioNetSimple build() {
  return AudioNetSimple(AudioNetOptions(kChannels));
}
template <>
AudioNetSimpleLSTM build() {
  return AudioNetSimpleLSTM(AudioNetOptions(kChannels));
}
template <>
AudioNetVAE build() {
  return AudioNetVAE(AudioNetOptions(kChannels));
}
template <>
HybridNet build() {
  return HybridNet(HybridNetOptions(kChannels));
}

template <typename Net>
constexpr bool kTakesSpectrogram =
    std::is_same_v<Net, SpectrogramNetSimple> || std::is_same_v<Net, SpectrogramNetLSTM> ||
    std::is_same_v<Net, SpectrogramNetVAE>;

/// (batch, 2, 132300) noise, or its magnitude spectrogram (batch, 2, 513, 260).
torch::Tensor input(int64_t batch, bool spectrogram) {
  torch::manual_seed(0);
  const torch::Tensor audio = 0.1 * torch::randn({batch, kChannels, kSamples});
  return spectrogram ? torch::abs(auralflow::AudioTransform().to_spectrogram(audio)) : audio;
}

/// The main output of each net: mask, estimate, or the field of the VAE/hybrid structs.
torch::Tensor output_of(torch::Tensor output) { return output; }
torch::Tensor output_of(const SpectrogramNetVAEOutput& output) { return output.mask; }
torch::Tensor output_of(const AudioNetVAEOutput& output) { return output.estimate; }
torch::Tensor output_of(const HybridNetOutput& output) { return output.estimate; }

void set_counters(benchmark::State& state, const torch::nn::Module& net) {
  int64_t params = 0;
  for (const auto& p : net.parameters()) params += p.numel();
  state.counters["params"] = static_cast<double>(params);
  state.counters["threads"] = static_cast<double>(torch::get_num_threads());
}

template <typename Net>
void BM_Forward(benchmark::State& state) {
  Net net = build<Net>();
  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor x = input(state.range(0), kTakesSpectrogram<Net>);
  for (auto _ : state) {
    const torch::Tensor output = output_of(net(x));
    benchmark::DoNotOptimize(output.data_ptr<float>());
  }
  set_counters(state, *net);
}

template <typename Net>
void BM_ForwardBackward(benchmark::State& state) {
  Net net = build<Net>();
  net->train();
  const torch::Tensor x = input(state.range(0), kTakesSpectrogram<Net>);
  for (auto _ : state) {
    net->zero_grad();
    output_of(net(x)).mean().backward();
  }
  set_counters(state, *net);
}

#define AURALFLOW_BENCH_NET(Net)              \
  BENCHMARK_TEMPLATE(BM_Forward, Net)         \
      ->ArgName("batch")                      \
      ->Arg(1)                                \
      ->Arg(8)                                \
      ->Iterations(2)                         \
      ->Unit(benchmark::kMillisecond)         \
      ->UseRealTime();                        \
  BENCHMARK_TEMPLATE(BM_ForwardBackward, Net) \
      ->ArgName("batch")                      \
      ->Arg(8)                                \
      ->Iterations(1)                         \
      ->Unit(benchmark::kMillisecond)         \
      ->UseRealTime()

AURALFLOW_BENCH_NET(SpectrogramNetSimple);
AURALFLOW_BENCH_NET(SpectrogramNetLSTM);
AURALFLOW_BENCH_NET(SpectrogramNetVAE);
AURALFLOW_BENCH_NET(AudioNetSimple);
AURALFLOW_BENCH_NET(AudioNetSimpleLSTM);
AURALFLOW_BENCH_NET(AudioNetVAE);
AURALFLOW_BENCH_NET(HybridNet);

}  // namespace

BENCHMARK_MAIN();
