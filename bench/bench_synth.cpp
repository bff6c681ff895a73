// auralflow synth speed: composing and rendering 30-second tracks (four stems on their own
// fluidsynth synthesizers, levels) and writing a small dataset (16-bit WAV). "x_real_time" is
// seconds of track produced per second of wall time; each iteration renders another seed.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <string>

#include "auralflow/synth.hpp"

namespace synth = auralflow::synth;

namespace {

constexpr double kTrackSeconds = 30.0;

void BM_LoadSoundFont(benchmark::State& state) {
  for (auto _ : state) {
    synth::Synthesizer synthesizer(synth::SynthOptions{});
    benchmark::DoNotOptimize(&synthesizer);
  }
}
BENCHMARK(BM_LoadSoundFont)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void render(benchmark::State& state, bool reverb) {
  const synth::Synthesizer synthesizer(
      synth::SynthOptions().duration(kTrackSeconds).reverb(reverb));
  uint64_t seed = 0;
  for (auto _ : state) benchmark::DoNotOptimize(synthesizer.render(seed++).stems.data_ptr());
  state.counters["x_real_time"] = benchmark::Counter(
      kTrackSeconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_RenderTrack30s(benchmark::State& state) { render(state, true); }
BENCHMARK(BM_RenderTrack30s)->Unit(benchmark::kMillisecond)->Iterations(16)->UseRealTime();

void BM_RenderTrack30sNoReverb(benchmark::State& state) { render(state, false); }
BENCHMARK(BM_RenderTrack30sNoReverb)->Unit(benchmark::kMillisecond)->Iterations(16)->UseRealTime();

// write_dataset of 4 train + 1 test tracks of 30 s, SoundFont loading and file writing included.
void BM_WriteDataset5x30s(benchmark::State& state) {
  std::random_device device;
  const std::filesystem::path folder = std::filesystem::temp_directory_path() /
                                       ("auralflow-bench-synth-" + std::to_string(device()));
  uint64_t seed = 0;
  for (auto _ : state) {
    synth::write_dataset(folder, synth::SynthOptions()
                                     .duration(kTrackSeconds)
                                     .tracks(4)
                                     .test_tracks(1)
                                     .seed(seed++)
                                     .force(true));
  }
  std::filesystem::remove_all(folder);
  state.counters["x_real_time"] = benchmark::Counter(
      5 * kTrackSeconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WriteDataset5x30s)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
