// BSSEval v4 time and peak memory on a 3-minute stereo track with 4 targets (noise-like,
// correlated signals on the 16-bit grid). Reports; asserts nothing.
//   bench_metrics --benchmark_filter=BssEvalV4/180
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <vector>

#include "auralflow/metrics.hpp"

namespace {

constexpr int64_t kRate = 44100;
constexpr int64_t kStems = 4;

/// Peak resident set size of this process so far, MiB.
double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

struct Track {
  std::vector<torch::Tensor> references;  // kStems x (2, samples) float32
  std::vector<torch::Tensor> estimates;   // kStems x (2, samples) float32
};

/// References: low-passed noise sharing a common component (so stems correlate), on the
/// 16-bit grid. Estimates: reference + leakage of the next stem + a little noise.
Track make_track(int64_t seconds) {
  const int64_t samples = seconds * kRate;
  torch::manual_seed(0);
  const auto common = torch::randn({2, samples});
  const auto kernel = torch::ones({1, 1, 8}) / 8.0;  // crude low-pass
  Track track;
  for (int64_t j = 0; j < kStems; ++j) {
    auto x = 0.05 * (torch::randn({2, samples}) + 0.3 * common);
    x = torch::conv1d(x.unsqueeze(1), kernel, {}, 1, 4).squeeze(1).narrow(1, 0, samples);
    track.references.push_back(torch::round(x.clamp(-1, 1) * 32768) / 32768);
  }
  for (int64_t j = 0; j < kStems; ++j) {
    track.estimates.push_back(track.references[j] + 0.1 * track.references[(j + 1) % kStems] +
                              0.005 * torch::randn({2, samples}));
  }
  return track;
}

void BssEvalV4(benchmark::State& state) {
  const auto track = make_track(state.range(0));
  const double rss_before = peak_rss_mib();
  for (auto _ : state) {
    benchmark::DoNotOptimize(auralflow::metrics::bss_eval_v4(track.references, track.estimates));
  }
  state.counters["peak_rss_MiB"] = peak_rss_mib();
  state.counters["inputs_MiB"] =
      static_cast<double>(2 * kStems * 2 * state.range(0) * kRate * sizeof(float)) / (1 << 20);
  state.counters["peak_before_MiB"] = rss_before;
}

// Seconds of audio. One iteration each: a 3-minute call takes tens of seconds.
BENCHMARK(BssEvalV4)->Arg(10)->Arg(180)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
