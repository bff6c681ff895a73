// Cost of the trainer's logging: TensorBoard events and the comparison figures for one
// 3-second stereo 44.1 kHz validation example at the default transform (n_fft 1024, hop 512).
// Run: ./build/bench/bench_tensorboard
#include <benchmark/benchmark.h>
#include <torch/torch.h>
#include <unistd.h>

#include <filesystem>

#include "auralflow/tensorboard.hpp"
#include "auralflow/transforms.hpp"
#include "auralflow/visualize.hpp"

namespace {

constexpr int64_t kSampleRate = 44100;
constexpr int64_t kSamples = 3 * kSampleRate;

// A writer in a fresh temporary folder, removed afterwards.
struct TemporaryRun {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("auralflow_bench_tensorboard_" + std::to_string(getpid()));
  auralflow::tensorboard::SummaryWriter writer{dir};
  ~TemporaryRun() { std::filesystem::remove_all(dir); }
};

void BM_AddScalar(benchmark::State& state) {
  TemporaryRun run;
  int64_t step = 0;
  for (auto _ : state) run.writer.add_scalar("loss/batch", 0.5, step++);
}
BENCHMARK(BM_AddScalar)->Unit(benchmark::kMicrosecond);

// One histogram of a 1M-parameter tensor (e.g. a large conv or LSTM weight).
void BM_AddHistogram1M(benchmark::State& state) {
  TemporaryRun run;
  const auto weights = torch::randn({1024, 1024});
  int64_t step = 0;
  for (auto _ : state) run.writer.add_histogram("weights", weights, step++);
}
BENCHMARK(BM_AddHistogram1M)->Unit(benchmark::kMillisecond);

void BM_AddAudio3sStereo(benchmark::State& state) {
  TemporaryRun run;
  const auto audio = torch::rand({2, kSamples}) * 2 - 1;
  int64_t step = 0;
  for (auto _ : state) run.writer.add_audio("audio/estimate", audio, kSampleRate, step++);
}
BENCHMARK(BM_AddAudio3sStereo)->Unit(benchmark::kMillisecond);

void BM_SpectrogramComparisonPng(benchmark::State& state) {
  const auralflow::AudioTransform transform(1024, 512, 1024, kSampleRate);
  const auto mixture = torch::randn({2, kSamples}) * 0.1;
  const auto estimate = mixture * 0.5;
  for (auto _ : state) {
    const auto image =
        auralflow::visualize::spectrogram_comparison(mixture, estimate, mixture, transform);
    benchmark::DoNotOptimize(auralflow::visualize::encode_png(image).size());
  }
}
BENCHMARK(BM_SpectrogramComparisonPng)->Unit(benchmark::kMillisecond);

void BM_WaveformComparisonPng(benchmark::State& state) {
  const auto target = torch::randn({2, kSamples}) * 0.1;
  const auto estimate = target * 0.5;
  for (auto _ : state) {
    const auto image = auralflow::visualize::waveform_comparison(estimate, target);
    benchmark::DoNotOptimize(auralflow::visualize::encode_png(image).size());
  }
}
BENCHMARK(BM_WaveformComparisonPng)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
