// Unit tests of the evaluation metrics (the museval golden cases are in
// test_metrics_golden.cpp). A few tests reach private helpers in src/metrics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include <torch/torch.h>

#include "../src/metrics/block_toeplitz.hpp"
#include "../src/metrics/correlations.hpp"
#include "../src/metrics/distortion_filters.hpp"
#include "../src/metrics/numerics.hpp"
#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"

namespace {

namespace metrics = auralflow::metrics;
using metrics::BssEvalOptions;
using metrics::FrameBounds;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Noise-like (channels, samples) float64 signal on the 16-bit grid.
torch::Tensor noise(int64_t channels, int64_t samples, uint64_t seed) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto x = at::normal(0.0, 0.1, {channels, samples}, generator, torch::kFloat64);
  return torch::round(x.clamp(-1.0, 1.0) * 32768.0) / 32768.0;
}

/// `signal` delayed by `delay` samples, same length (zeros shifted in).
torch::Tensor delayed(const torch::Tensor& signal, int64_t delay) {
  return torch::constant_pad_nd(signal, {delay, 0}).narrow(1, 0, signal.size(1));
}

TEST(BssEvalFrames, FollowsMusevalFrameRule) {
  const auto frames = metrics::bss_eval_frames(176400);
  EXPECT_EQ(frames, (std::vector<FrameBounds>{
                        {0, 44100}, {44100, 88200}, {88200, 132300}, {132300, 176400}}));
  // a trailing partial window is not scored
  EXPECT_EQ(metrics::bss_eval_frames(66150), (std::vector<FrameBounds>{{0, 44100}}));
  // shorter than the window: one frame over the whole track
  EXPECT_EQ(metrics::bss_eval_frames(22050), (std::vector<FrameBounds>{{0, 22050}}));
  EXPECT_EQ(metrics::bss_eval_frames(10, BssEvalOptions().window(4).hop(3)),
            (std::vector<FrameBounds>{{0, 4}, {3, 7}, {6, 10}}));
  EXPECT_THROW(metrics::bss_eval_frames(0), auralflow::Error);
  EXPECT_THROW(metrics::bss_eval_frames(10, BssEvalOptions().hop(0)), auralflow::Error);
}

TEST(SiSdr, ScaledCopyIsPerfectAndNoiseIsPoor) {
  const auto reference = noise(2, 20000, 1);
  EXPECT_EQ(metrics::si_sdr(reference, reference), kInf);
  EXPECT_EQ(metrics::si_sdr(0.5 * reference, reference), kInf);  // power of two: exact
  EXPECT_GT(metrics::si_sdr(0.3 * reference, reference), 100.0);
  EXPECT_GT(metrics::si_sdr(-1.3 * reference, reference), 100.0);  // sign-invariant
  EXPECT_LT(metrics::si_sdr(noise(2, 20000, 2), reference), -20.0);
  for (double value : metrics::si_sdr_per_channel(0.3 * reference, reference)) {
    EXPECT_GT(value, 100.0);
  }
}

TEST(SiSdr, MatchesClosedForm) {
  const auto reference = noise(2, 20000, 3);
  const auto estimate = reference + 0.2 * noise(2, 20000, 4);
  const double rho = (estimate * reference).sum().item<double>() /
                     std::sqrt((estimate * estimate).sum().item<double>() *
                               (reference * reference).sum().item<double>());
  EXPECT_NEAR(metrics::si_sdr(estimate, reference), 10 * std::log10(rho * rho / (1 - rho * rho)),
              1e-9);
  // float32 input is converted exactly
  EXPECT_DOUBLE_EQ(metrics::si_sdr(estimate.to(torch::kFloat32), reference.to(torch::kFloat32)),
                   metrics::si_sdr(estimate.to(torch::kFloat32).to(torch::kFloat64),
                                   reference.to(torch::kFloat32).to(torch::kFloat64)));
}

TEST(SiSdr, EdgeCases) {
  const auto reference = noise(2, 1000, 5);
  const auto zeros = torch::zeros_like(reference);
  EXPECT_EQ(metrics::si_sdr(zeros, reference), -kInf);
  EXPECT_TRUE(std::isnan(metrics::si_sdr(reference, zeros)));
  EXPECT_THROW(metrics::si_sdr(reference, reference.narrow(1, 0, 999)), auralflow::Error);
  EXPECT_THROW(metrics::si_sdr_per_channel(reference.flatten(), reference.flatten()),
               auralflow::Error);
}

TEST(GlobalSdr, DefinitionAndEdgeCases) {
  const auto reference = noise(2, 1000, 6);
  const double energy = (reference * reference).sum().item<double>();
  EXPECT_DOUBLE_EQ(metrics::global_sdr(reference, reference),
                   10 * std::log10((energy + 1e-7) / 1e-7));
  EXPECT_EQ(metrics::global_sdr(torch::zeros_like(reference), reference), 0.0);
  EXPECT_DOUBLE_EQ(metrics::global_sdr(0.5 * reference, reference),
                   10 * std::log10((energy + 1e-7) / (0.25 * energy + 1e-7)));
}

TEST(BssEval, ScaledEstimateGivesKnownValues) {
  // s_hat = g s: SDR = ISR = -20 log10|1 - g| in every frame; SIR, SAR at the noise level
  // (docs/bsseval.md §7). Default settings, and overlapping frames (hop < window).
  const std::vector<torch::Tensor> references = {noise(2, 50000, 7), noise(2, 50000, 8)};
  const std::vector<torch::Tensor> estimates = {0.5 * references[0], -1.0 * references[1]};
  const double expected[] = {-20 * std::log10(0.5), -20 * std::log10(2.0)};
  for (const auto& options :
       {BssEvalOptions(), BssEvalOptions().window(20000).hop(15000).filter_taps(64)}) {
    const auto result = metrics::bss_eval_v4(references, estimates, options);
    EXPECT_FALSE(result.refused);
    ASSERT_EQ(result.frames.size(), 2u);
    EXPECT_EQ(result.frame_bounds, metrics::bss_eval_frames(50000, options));
    for (size_t j = 0; j < 2; ++j) {
      ASSERT_EQ(result.frames[j].size(), result.frame_bounds.size());
      for (const auto& values : result.frames[j]) {
        EXPECT_NEAR(values.sdr, expected[j], 1e-9);
        EXPECT_NEAR(values.isr, expected[j], 1e-6);
        EXPECT_GT(values.sir, 100.0);
        EXPECT_GT(values.sar, 100.0);
      }
    }
  }
}

TEST(BssEval, DelayIsAbsorbedByFiltersAcrossFftBlocks) {
  // One 100000-sample frame is projected in two FFT blocks (overlap-add). s_hat = s delayed
  // by 3 samples lies exactly in the span of the delayed references (the references end
  // with zeros), so ISR = SDR and SIR, SAR are at the noise level.
  auto first = noise(2, 100000, 9);
  first.narrow(1, 99990, 10).zero_();
  auto second = noise(2, 100000, 10);
  second.narrow(1, 99990, 10).zero_();
  const auto result = metrics::bss_eval_v4({first, second}, {delayed(first, 3), second * 0.9},
                                           BssEvalOptions().window(100000));
  ASSERT_EQ(result.frames[0].size(), 1u);
  const auto& values = result.frames[0][0];
  const double error = (delayed(first, 3) - first).square().sum().item<double>();
  EXPECT_NEAR(values.sdr, 10 * std::log10(first.square().sum().item<double>() / error), 1e-9);
  EXPECT_NEAR(values.isr, values.sdr, 1e-6);
  EXPECT_GT(values.sir, 100.0);
  EXPECT_GT(values.sar, 100.0);
}

TEST(BssEval, SilentFrameBlanksEveryStemAndWholeTrackSilenceRefuses) {
  const int64_t n = 4000;
  auto silent_middle = noise(2, n, 11);
  silent_middle.narrow(1, 1000, 1000).zero_();
  auto anti_phase = noise(2, n, 12);  // right == -left in frame 2: silent by museval's rule
  anti_phase[1].narrow(0, 2000, 1000).copy_(-anti_phase[0].narrow(0, 2000, 1000));
  const auto options = BssEvalOptions().window(1000).hop(1000).filter_taps(16);
  const auto result =
      metrics::bss_eval_v4({silent_middle, noise(2, n, 13)},
                           {silent_middle + 0.01 * noise(2, n, 14), anti_phase}, options);
  EXPECT_FALSE(result.refused);
  for (const auto& stem : result.frames) {
    ASSERT_EQ(stem.size(), 4u);
    for (int t : {0, 3}) EXPECT_FALSE(std::isnan(stem[t].sdr)) << t;
    for (int t : {1, 2}) {
      EXPECT_TRUE(std::isnan(stem[t].sdr) && std::isnan(stem[t].isr) && std::isnan(stem[t].sir) &&
                  std::isnan(stem[t].sar))
          << t;
    }
  }
  const auto refused = metrics::bss_eval_v4({noise(2, n, 15), noise(2, n, 16)},
                                            {noise(2, n, 17), torch::zeros({2, n})}, options);
  EXPECT_TRUE(refused.refused);
  for (const auto& stem : refused.frames) {
    for (const auto& frame : stem) EXPECT_TRUE(std::isnan(frame.sdr) && std::isnan(frame.sar));
  }
}

TEST(BssEval, RejectsBadInput) {
  const auto signal = noise(2, 1000, 18);
  EXPECT_THROW(metrics::bss_eval_v4({signal}, {signal.narrow(1, 0, 900)}), auralflow::Error);
  EXPECT_THROW(metrics::bss_eval_v4({signal}, {}), auralflow::Error);
  EXPECT_THROW(metrics::bss_eval_v4({signal}, {signal.to(torch::kInt32)}), auralflow::Error);
  EXPECT_THROW(metrics::bss_eval_v4({signal.flatten()}, {signal.flatten()}), auralflow::Error);
}

TEST(EvaluateTrack, MismatchedStemNamesAreAnError) {
  const auto signal = noise(2, 1000, 19);
  EXPECT_THROW(metrics::evaluate_track({{"vocals", signal}, {"bass", signal}},
                                       {{"vocals", signal}, {"drums", signal}}),
               auralflow::Error);
  EXPECT_THROW(metrics::evaluate_track({{"vocals", signal}}, {}), auralflow::Error);
  EXPECT_THROW(metrics::evaluate_track({{"vocals", signal}}, {{"vocals", signal.narrow(0, 0, 1)}}),
               auralflow::Error);
}

TEST(EvaluateTrack, FitsEstimateLengthAtTheEnd) {
  const auto options = BssEvalOptions().window(1000).hop(1000).filter_taps(16);
  const std::map<std::string, torch::Tensor> references = {{"vocals", noise(2, 3000, 20)},
                                                           {"drums", noise(2, 3000, 21)}};
  const auto short_vocals = references.at("vocals").narrow(1, 0, 2500) + 0.1 * noise(2, 2500, 22);
  const auto long_drums =
      torch::cat({references.at("drums") + 0.1 * noise(2, 3000, 26), noise(2, 700, 23)}, 1);
  const auto scores = metrics::evaluate_track(
      references, {{"vocals", short_vocals}, {"drums", long_drums}}, options);
  EXPECT_EQ(scores.targets.at("vocals").estimate_adjustment,
            metrics::EstimateAdjustment::ZeroPaddedAtEnd);
  EXPECT_EQ(scores.targets.at("drums").estimate_adjustment, metrics::EstimateAdjustment::CutAtEnd);
  EXPECT_FALSE(scores.refused);
  ASSERT_EQ(scores.frame_bounds.size(), 3u);
  for (const auto& frame : scores.targets.at("vocals").frames) EXPECT_FALSE(std::isnan(frame.sdr));
  const auto same =
      metrics::evaluate_track(references,
                              {{"vocals", torch::constant_pad_nd(short_vocals, {0, 500})},
                               {"drums", long_drums.narrow(1, 0, 3000)}},
                              options);
  for (const auto& name : {"vocals", "drums"}) {
    const auto& a = scores.targets.at(name);
    const auto& b = same.targets.at(name);
    EXPECT_EQ(b.estimate_adjustment, metrics::EstimateAdjustment::None);
    EXPECT_EQ(a.median.sdr, b.median.sdr);
    EXPECT_EQ(a.median.sir, b.median.sir);
    EXPECT_EQ(a.si_sdr, b.si_sdr);
    EXPECT_EQ(a.global_sdr, b.global_sdr);
  }
}

TEST(EvaluateTrack, StoresFramesLikeMuseval) {
  const auto options = BssEvalOptions().window(1000).hop(1000).filter_taps(16);
  const std::map<std::string, torch::Tensor> references = {{"vocals", noise(2, 4000, 24)}};
  const auto estimate = references.at("vocals") + 0.1 * noise(2, 4000, 25);
  const auto scores = metrics::evaluate_track(references, {{"vocals", estimate}}, options);
  const auto raw = metrics::bss_eval_v4({references.at("vocals")}, {estimate}, options);
  const auto& target = scores.targets.at("vocals");
  ASSERT_EQ(target.frames.size(), 4u);
  std::vector<double> sdr;
  for (size_t t = 0; t < 4; ++t) {
    EXPECT_EQ(target.frames[t].sdr, metrics::detail::quantize(raw.frames[0][t].sdr));
    EXPECT_NEAR(target.frames[t].sdr, raw.frames[0][t].sdr, 5e-6);
    sdr.push_back(target.frames[t].sdr);
  }
  std::sort(sdr.begin(), sdr.end());
  EXPECT_EQ(target.median.sdr, (sdr[1] + sdr[2]) / 2);
  EXPECT_EQ(target.si_sdr_per_channel.size(), 2u);
  EXPECT_DOUBLE_EQ(target.si_sdr_channel_mean,
                   (target.si_sdr_per_channel[0] + target.si_sdr_per_channel[1]) / 2);
}

TEST(Numerics, QuantizeRoundsHalfEvenOnTheExactBinaryValue) {
  using metrics::detail::quantize;
  EXPECT_EQ(quantize(0.015625), 0.01562);  // exact tie (1/64) -> even
  EXPECT_EQ(quantize(0.046875), 0.04688);  // exact tie (3/64) -> even
  EXPECT_EQ(quantize(-0.015625), -0.01562);
  EXPECT_EQ(quantize(1.000005), 1.00001);  // binary value lies above the tie
  EXPECT_EQ(quantize(0.002675), 0.00267);  // binary value lies below the tie
  EXPECT_EQ(quantize(5e-6), 1e-5);
  EXPECT_EQ(quantize(16.45819915099799), 16.4582);
  EXPECT_EQ(quantize(-3.999839275626936), -3.99984);
  EXPECT_TRUE(std::isnan(quantize(kInf)));
  EXPECT_TRUE(std::isnan(quantize(-kInf)));
  EXPECT_TRUE(std::isnan(quantize(kNaN)));
}

TEST(Numerics, NanMedianAndMean) {
  using metrics::detail::nan_mean;
  using metrics::detail::nan_median;
  EXPECT_EQ(nan_median({3.0, kNaN, 1.0, 2.0}), 2.0);
  EXPECT_EQ(nan_median({4.0, 1.0, kNaN, 2.0, 3.0}), 2.5);
  EXPECT_TRUE(std::isnan(nan_median({kNaN, kNaN})));
  EXPECT_EQ(nan_mean({1.0, kNaN, 2.0}), 1.5);
  EXPECT_TRUE(std::isnan(nan_mean({})));
}

TEST(DistortionFilters, SolveFallsBackToLeastSquaresOnAnExactZeroPivot) {
  // 2 + 2^-52 rounds back to 2, so LU of [[2, 2], [2, 2]] + eps I meets a zero pivot
  const auto gram = torch::full({2, 2}, 2.0, torch::kFloat64);
  const auto rhs = torch::tensor({{4.0}, {4.0}}, torch::kFloat64);
  const auto x = metrics::detail::solve_regularized(gram, rhs);
  EXPECT_TRUE(torch::allclose(x, torch::tensor({{1.0}, {1.0}}, torch::kFloat64)));  // min norm
  const auto regular = torch::tensor({{2.0, 1.0}, {1.0, 3.0}}, torch::kFloat64);
  EXPECT_TRUE(torch::allclose(metrics::detail::solve_regularized(regular, rhs),
                              torch::linalg::solve(regular, rhs, true)));
}

/// The private SignalSet of tensors (stems of (C, N)).
metrics::detail::SignalSet signal_set(const std::vector<torch::Tensor>& stems) {
  std::vector<auralflow::SignalPtr> signals;
  for (const auto& stem : stems) signals.push_back(auralflow::tensor_signal(stem));
  return metrics::detail::SignalSet(std::move(signals));
}

/// sum_n a[n] b[n + lag] over the samples where both exist; a, b: (samples) float64.
double correlation(const torch::Tensor& a, const torch::Tensor& b, int64_t lag) {
  const int64_t n = a.size(0) - lag;
  return a.narrow(0, 0, n).dot(b.narrow(0, lag, n)).item<double>();
}

TEST(Correlations, MatchDirectSumsAcrossBlocks) {
  // 60000 samples with 512 taps: the track is correlated in 4 FFT blocks, so lags that
  // cross block edges are checked too.
  const int64_t taps = 512;
  const auto references = std::vector<torch::Tensor>{noise(2, 60000, 21), noise(2, 60000, 22)};
  const auto estimates = std::vector<torch::Tensor>{noise(2, 60000, 23), noise(2, 60000, 24)};
  const auto result =
      metrics::detail::correlate_track(signal_set(references), signal_set(estimates), taps);
  ASSERT_EQ(result.basis, 4);
  ASSERT_EQ(result.outputs, 4);
  const auto channel = [](const std::vector<torch::Tensor>& stems, int64_t p) {
    return stems[p / 2][p % 2];
  };
  for (int64_t k : {0, 1, 300, 511}) {
    for (int64_t p = 0; p < 4; ++p) {
      for (int64_t q = 0; q < 4; ++q) {
        const double expected = correlation(channel(references, p), channel(references, q), k);
        EXPECT_NEAR(result.reference_lags[(k * 4 + p) * 4 + q], expected, 1e-9) << k;
        const double cross = correlation(channel(references, p), channel(estimates, q), k);
        EXPECT_NEAR(result.estimate_lags[(k * 4 + p) * 4 + q], cross, 1e-9) << k;
      }
    }
  }
}

TEST(Correlations, SumsAndScoresDoNotDependOnTheThreadCount) {
  // 200000 samples: 14 FFT blocks in 8 ranges. Before the ranges were fixed, each thread
  // count summed the blocks in its own order, and on real recordings, whose Gram matrix can
  // be singular to double precision, that moved SIR and SAR by decibels.
  const auto references = std::vector<torch::Tensor>{noise(2, 200000, 31), noise(2, 200000, 32)};
  const auto estimates =
      std::vector<torch::Tensor>{references[0] * 0.8 + references[1] * 0.1, noise(2, 200000, 34)};
  const int threads = at::get_num_threads();
  std::vector<std::vector<double>> lags;
  std::vector<metrics::BssEvalResult> scores;
  for (const int count : {1, 2, 3}) {
    at::set_num_threads(count);
    const auto result =
        metrics::detail::correlate_track(signal_set(references), signal_set(estimates), 512);
    lags.push_back(result.reference_lags);
    lags.back().insert(lags.back().end(), result.estimate_lags.begin(), result.estimate_lags.end());
    scores.push_back(metrics::bss_eval_v4(references, estimates));
  }
  at::set_num_threads(threads);
  for (size_t run = 1; run < lags.size(); ++run) {
    EXPECT_EQ(lags[run], lags[0]) << "threads " << run + 1;  // bit for bit
    for (size_t j = 0; j < 2; ++j) {
      for (size_t t = 0; t < scores[0].frames[j].size(); ++t) {
        const auto& a = scores[run].frames[j][t];
        const auto& b = scores[0].frames[j][t];
        EXPECT_TRUE(a.sdr == b.sdr && a.isr == b.isr && a.sir == b.sir && a.sar == b.sar)
            << "threads " << run + 1 << ", estimate " << j << ", frame " << t;
      }
    }
  }
}

/// The Gram matrix of `references` (stems of (C, N)) with `taps` lags, as BSSEval fits it.
metrics::detail::BlockToeplitz gram_of(const std::vector<torch::Tensor>& references, int64_t taps) {
  const auto set = signal_set(references);
  auto correlations = metrics::detail::correlate_track(set, set, taps);
  return {taps, correlations.basis, std::move(correlations.reference_lags), 0.0};
}

TEST(BlockToeplitz, LevinsonMatchesTheDenseSolve) {
  // 4 stereo stems of very different levels: the 8 x 8 prediction-error blocks need row
  // pivoting at every elimination step.
  const int64_t taps = 24;
  std::vector<torch::Tensor> references;
  for (const double level : {1.0, 0.01, 30.0, 0.2}) {
    references.push_back(level * noise(2, 3000, 25 + references.size()));
  }
  references[1][1] += references[2][0];
  auto gram = gram_of(references, taps);
  gram.diagonal = std::numeric_limits<double>::epsilon();
  const auto rhs = noise(1, taps * 8 * 3, 31).flatten();  // (L, P, K) with K = 3
  const std::vector<double> y(rhs.data_ptr<double>(), rhs.data_ptr<double>() + rhs.numel());
  const auto x = metrics::detail::solve_block_toeplitz(gram, y, 3);
  ASSERT_TRUE(x.has_value());
  const auto dense_rhs = rhs.view({taps, 8, 3}).permute({1, 0, 2}).reshape({8 * taps, 3});
  const auto expected =
      metrics::detail::solve_regularized(metrics::detail::dense_gram(gram), dense_rhs)
          .view({8, taps, 3})
          .permute({1, 0, 2})
          .contiguous();
  // the level spread makes the matrix ill-conditioned (solutions agree to ~1e-8 relative)
  const double scale = expected.abs().max().item<double>();
  for (size_t i = 0; i < y.size(); ++i) {
    EXPECT_NEAR((*x)[i], expected.data_ptr<double>()[i], 1e-6 * scale) << i;
  }
}

TEST(BlockToeplitz, SingularGramFallsBackToTheDenseSolve) {
  // Two identical reference channels: the recursion meets a singular block and gives up;
  // solve_gram then returns what solve_regularized gives on the dense matrix.
  const int64_t taps = 16;
  const auto mono = noise(1, 2000, 28);
  const auto references = std::vector<torch::Tensor>{torch::cat({mono, mono}), noise(2, 2000, 29)};
  auto gram = gram_of(references, taps);
  const auto rhs = noise(1, taps * 4 * 2, 30).flatten();
  const std::vector<double> y(rhs.data_ptr<double>(), rhs.data_ptr<double>() + rhs.numel());
  auto loaded = gram;
  loaded.diagonal = std::numeric_limits<double>::epsilon();
  EXPECT_FALSE(metrics::detail::solve_block_toeplitz(loaded, y, 2).has_value());
  const auto x = metrics::detail::solve_gram(gram, y, 2);
  const auto dense_rhs = rhs.view({taps, 4, 2}).permute({1, 0, 2}).reshape({4 * taps, 2});
  const auto expected =
      metrics::detail::solve_regularized(metrics::detail::dense_gram(gram), dense_rhs)
          .view({4, taps, 2})
          .permute({1, 0, 2})
          .contiguous();
  ASSERT_EQ(x.size(), static_cast<size_t>(expected.numel()));
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(x[i], expected.data_ptr<double>()[i]) << i;
}

TEST(Aggregate, MedianOfTrackMediansSkippingNaN) {
  std::vector<metrics::TrackScores> tracks(4);
  const double sdr[] = {1.0, kNaN, 3.0, 8.0};
  for (size_t i = 0; i < tracks.size(); ++i) {
    auto& vocals = tracks[i].targets["vocals"];
    vocals.median = {sdr[i], 0.0, 0.0, 0.0};
    vocals.global_sdr = static_cast<double>(i);
  }
  tracks[0].targets["bass"].si_sdr = -kInf;
  const auto summary = metrics::aggregate(tracks);
  const auto& vocals_sdr = summary.at("vocals").at(metrics::Metric::Sdr);
  EXPECT_EQ(vocals_sdr.median, 3.0);
  EXPECT_EQ(vocals_sdr.mean, 4.0);
  EXPECT_EQ(vocals_sdr.tracks, 3);
  EXPECT_EQ(summary.at("vocals").at(metrics::Metric::GlobalSdr).median, 1.5);
  EXPECT_EQ(summary.at("bass").at(metrics::Metric::SiSdr).tracks, 1);
  EXPECT_EQ(summary.at("bass").at(metrics::Metric::SiSdr).median, -kInf);
  EXPECT_EQ(summary.at("vocals").size(), metrics::all_metrics().size());
  EXPECT_EQ(metrics::to_string(metrics::Metric::SiSdr), "SI-SDR");
}

}  // namespace
