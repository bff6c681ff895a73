// BSSEval v4 time and peak memory on a 3-minute stereo track with 4 targets (noise-like,
// correlated signals on the 16-bit grid). Reports; asserts nothing.
//   bench_metrics --benchmark_filter=BssEvalV4/180
#include <benchmark/benchmark.h>

#include "bench_support.hpp"

#include <vector>

#include "auralflow/metrics.hpp"

namespace {

constexpr int64_t kRate = 44100;
constexpr int64_t kStems = 4;

struct Track {
  std::vector<torch::Tensor> references;  // kStems x (2, samples) float32
  std::vector<torch::Tensor> estimates;   // kStems x (2, samples) float32
};

/// (2, samples) white noise, then averaged over 4 neighbours (a crude low-pass), in place.
torch::Tensor low_passed_noise(int64_t samples) {
  auto x = torch::randn({2, samples});
  for (int64_t shift = 1; shift < 4; ++shift) {
    x.narrow(1, shift, samples - shift).add_(x.narrow(1, 0, samples - shift).clone());
  }
  return x.div_(4.0);
}

/// References: low-passed noise sharing a common component (so stems correlate), on the
/// 16-bit grid. Estimates: reference + leakage of the next stem + a little noise. Built in
/// place so that generating them peaks below the evaluation.
Track make_track(int64_t seconds) {
  const int64_t samples = seconds * kRate;
  torch::manual_seed(0);
  const auto common = low_passed_noise(samples);
  Track track;
  for (int64_t j = 0; j < kStems; ++j) {
    auto x = low_passed_noise(samples).add_(common, 0.3).mul_(0.05).clamp_(-1, 1);
    track.references.push_back(x.mul_(32768).round_().div_(32768));
  }
  for (int64_t j = 0; j < kStems; ++j) {
    auto y = torch::randn({2, samples}).mul_(0.005);
    track.estimates.push_back(
        y.add_(track.references[j]).add_(track.references[(j + 1) % kStems], 0.1));
  }
  return track;
}

void BssEvalV4(benchmark::State& state) {
  const auto track = make_track(state.range(0));
  const double rss_before = auralflow::bench::peak_rss_mib();
  for (auto _ : state) {
    benchmark::DoNotOptimize(auralflow::metrics::bss_eval_v4(track.references, track.estimates));
  }
  state.counters["peak_rss_MiB"] = auralflow::bench::peak_rss_mib();
  state.counters["inputs_MiB"] =
      static_cast<double>(2 * kStems * 2 * state.range(0) * kRate * sizeof(float)) / (1 << 20);
  state.counters["peak_before_MiB"] = rss_before;
}

// Seconds of audio. One iteration each: a 3-minute call takes tens of seconds.
BENCHMARK(BssEvalV4)->Arg(10)->Arg(180)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
