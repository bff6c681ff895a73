// Forward and forward+backward time of every network at its DEFAULT config (configs/<type>.json,
// made stereo), on one 3-second stereo chunk at 44.1 kHz (132300 samples): the waveform and
// hybrid nets get the audio (B, 2, 132300), the spectrogram nets its |STFT| at num_fft 1024 /
// hop 512, (B, 2, 513, 260).
//   BM_Forward/<net>/batch:{1,8}       eval mode, no autograd (inference)
//   BM_ForwardBackward/<net>/batch:8   training mode, mean of the output, backward
// Counters: params (parameter count), threads (torch intra-op threads).
// Each case runs 1-2 iterations: the default nets are large and the machine is small.
// Run: ./build/bench/bench_models [--benchmark_filter=AudioNet]
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "auralflow/network.hpp"
#include "auralflow/transforms.hpp"

namespace {

constexpr int64_t kChannels = 2;
constexpr int64_t kSamples = 3 * 44100;

/// The default-config network of `type`, stereo, one target.
auralflow::Network build(const std::string& type) {
  auto config = auralflow::Config::from_template(type, type);
  config.set("num_channels", std::to_string(kChannels));
  return auralflow::make_network(config);
}

/// (batch, 2, 132300) noise, or its magnitude spectrogram (batch, 2, 513, 260).
torch::Tensor input(int64_t batch, const auralflow::Network& network) {
  torch::manual_seed(0);
  const torch::Tensor audio = 0.1 * torch::randn({batch, kChannels, kSamples});
  return network.domain() == auralflow::Domain::Spectrogram
             ? torch::abs(auralflow::AudioTransform().to_spectrogram(audio))
             : audio;
}

void set_counters(benchmark::State& state, const torch::nn::Module& net) {
  int64_t params = 0;
  for (const auto& p : net.parameters()) params += p.numel();
  state.counters["params"] = static_cast<double>(params);
  state.counters["threads"] = static_cast<double>(torch::get_num_threads());
}

void BM_Forward(benchmark::State& state, const std::string& type) {
  auto network = build(type);
  network.module().eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor x = input(state.range(0), network);
  for (auto _ : state) {
    const torch::Tensor output = network(x).estimate;
    benchmark::DoNotOptimize(output.data_ptr<float>());
  }
  set_counters(state, network.module());
}

void BM_ForwardBackward(benchmark::State& state, const std::string& type) {
  auto network = build(type);
  network.module().train();
  const torch::Tensor x = input(state.range(0), network);
  for (auto _ : state) {
    network.module().zero_grad();
    network(x).estimate.mean().backward();
  }
  set_counters(state, network.module());
}

const int kRegistered = [] {
  for (const std::string type :
       {"SpectrogramNetSimple", "SpectrogramNetLSTM", "SpectrogramNetVAE", "AudioNetSimple",
        "AudioNetSimpleLSTM", "AudioNetVAE", "HybridNet"}) {
    benchmark::RegisterBenchmark(("BM_Forward/" + type).c_str(), BM_Forward, type)
        ->ArgName("batch")
        ->Arg(1)
        ->Arg(8)
        ->Iterations(2)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("BM_ForwardBackward/" + type).c_str(), BM_ForwardBackward, type)
        ->ArgName("batch")
        ->Arg(8)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  return 0;
}();

}  // namespace

BENCHMARK_MAIN();
