// STFT + iSTFT time of a 3-minute stereo 44.1 kHz track at the default settings
// (num_fft 1024, hop 512). Run: ./build/bench/bench_transforms
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "auralflow/transforms.hpp"

namespace {

constexpr int64_t kSampleRate = 44100;
constexpr int64_t kSeconds = 180;

void BM_StftIstft3MinStereo(benchmark::State& state) {
  torch::manual_seed(0);
  const auralflow::AudioTransform transform(1024, 512, 1024, kSampleRate);
  const auto audio = torch::randn({1, 2, kSampleRate * kSeconds}) * 0.1;  // (1, 2, samples)
  for (auto _ : state) {
    const auto spec = transform.to_spectrogram(audio);
    const auto back = transform.to_audio(spec, audio.size(-1));
    benchmark::DoNotOptimize(back.data_ptr<float>());
  }
  state.counters["threads"] = static_cast<double>(torch::get_num_threads());
  state.counters["x_realtime"] =
      benchmark::Counter(static_cast<double>(kSeconds) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StftIstft3MinStereo)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MelDecibel3MinStereo(benchmark::State& state) {
  const auralflow::AudioTransform transform(1024, 512, 1024, kSampleRate);
  const auto audio = torch::randn({1, 2, kSampleRate * kSeconds}) * 0.1;
  for (auto _ : state) benchmark::DoNotOptimize(transform.audio_to_mel(audio).data_ptr<float>());
}
BENCHMARK(BM_MelDecibel3MinStereo)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
