// End-to-end `separate_file` speed and memory: a generated 3-minute and 10-minute stereo
// 44.1 kHz WAV through SpectrogramNetSimple at its default config (mono, vocals, 3-s chunks,
// untrained weights), overlap 0.25, batch 4, 16-bit outputs (original, vocals, residual).
//   BM_SeparateFile/<seconds>
// Counters: rtf (wall seconds per second of audio), x_realtime (its inverse), peak_rss_mb
// (the process's peak resident set, model included), model_rss_mb (resident set before
// the first track), buffered (peak samples the pipeline held). Run each length in its own
// process so that peak_rss_mb belongs to it:
//   ./build/bench/bench_separate --benchmark_filter=/180/
//   ./build/bench/bench_separate --benchmark_filter=/600/
#include <benchmark/benchmark.h>

#include <torch/torch.h>
#include "bench_support.hpp"

#include <unistd.h>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <string>

#include "auralflow/audio_stream.hpp"
#include "auralflow/separator.hpp"

namespace {

constexpr int kRate = 44100;
constexpr double kPi = 3.14159265358979323846;

// A stereo WAV of `seconds` (chords and noise), written in 10-s blocks.
std::filesystem::path write_song(const std::filesystem::path& dir, int64_t seconds) {
  const auto path = dir / ("song-" + std::to_string(seconds) + ".wav");
  auralflow::audio::StreamWriter writer(path.string(), kRate, 2,
                                        auralflow::audio::SampleFormat::Pcm16);
  torch::manual_seed(0);
  for (int64_t start = 0; start < seconds; start += 10) {
    const auto time = (torch::arange(10 * kRate, torch::kDouble) + start * kRate) / kRate;
    auto mix = torch::zeros_like(time);
    for (const double frequency : {110.0, 220.0, 277.2, 329.6, 440.0})
      mix += 0.12 * torch::sin(2 * kPi * frequency * time);
    writer.write(
        torch::stack({mix + 0.05 * torch::randn_like(time), mix + 0.05 * torch::randn_like(time)})
            .to(torch::kFloat));
  }
  writer.close();
  return path;
}

void BM_SeparateFile(benchmark::State& state) {
  const int64_t seconds = state.range(0);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("auralflow-bench-separate-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto input = write_song(dir, seconds);
  const auto config = auralflow::Config::from_template("SpectrogramNetSimple", "bench");
  const auralflow::Separator separator(
      auralflow::ChunkSeparator::from(auralflow::SeparationModel::create(config, torch::kCPU)));
  const double model_rss = auralflow::bench::peak_rss_mib();
  auralflow::TrackOptions options;
  options.residual = true;
  options.force = true;
  int64_t buffered = 0;
  double wall = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    buffered = separator.separate_file(input, dir / "out", options).peak_buffered_samples;
    wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  state.counters["rtf"] = wall / static_cast<double>(seconds);
  state.counters["x_realtime"] = static_cast<double>(seconds) / wall;
  state.counters["peak_rss_mb"] = auralflow::bench::peak_rss_mib();
  state.counters["model_rss_mb"] = model_rss;
  state.counters["buffered"] = static_cast<double>(buffered);
  state.counters["threads"] = static_cast<double>(torch::get_num_threads());
  std::filesystem::remove_all(dir);
}

}  // namespace

BENCHMARK(BM_SeparateFile)->Arg(180)->Arg(600)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_MAIN();
