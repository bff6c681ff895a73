// BSSEval v4 / SI-SDR / global SDR against museval's golden cases in tests/data/bsseval
// (tests/data/README.md: how they were made, what to assert and the tolerances).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "auralflow/audio.hpp"
#include "auralflow/metrics.hpp"
#include "test_support.hpp"

namespace {

using auralflow::metrics::BssEvalValues;
using nlohmann::json;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// JSON number, null (NaN) or "inf" / "-inf".
double value_of(const json& value) {
  if (value.is_null()) return kNaN;
  if (value.is_string()) return value.get<std::string>() == "inf" ? kInf : -kInf;
  return value.get<double>();
}

/// Largest |expected - actual| seen per quantity in one case (for the log).
class Deviations {
 public:
  void add(const std::string& quantity, double deviation) {
    auto& worst = worst_[quantity];
    worst = std::max(worst, deviation);
  }
  void print(const std::string& name) const {
    std::cout << "[ deviation ] " << name;
    for (const auto& [quantity, worst] : worst_) std::cout << "  " << quantity << " " << worst;
    std::cout << "\n";
  }

 private:
  std::map<std::string, double> worst_;
};

/// BSSEval value rules: null -> NaN; > noise level -> > noise level or NaN; else within tol.
void expect_bss_value(const json& expected_json, double actual, double tolerance,
                      double noise_level, const std::string& where, const std::string& metric,
                      Deviations& deviations) {
  const double expected = value_of(expected_json);
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << where << ": expected NaN, got " << actual;
  } else if (expected > noise_level) {
    EXPECT_TRUE(std::isnan(actual) || actual > noise_level)
        << where << ": expected > " << noise_level << " dB or NaN, got " << actual;
  } else {
    EXPECT_NEAR(actual, expected, tolerance) << where;
    deviations.add(metric, std::abs(actual - expected));
  }
}

/// SI-SDR / global SDR rules: "inf" -> +inf or > noise level; "-inf" -> -inf; null -> NaN.
void expect_whole_track_value(const json& expected_json, double actual, double tolerance,
                              double noise_level, const std::string& where,
                              const std::string& metric, Deviations& deviations) {
  const double expected = value_of(expected_json);
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << where << ": expected NaN, got " << actual;
  } else if (expected == kInf) {
    EXPECT_GT(actual, noise_level) << where;
  } else if (expected == -kInf) {
    EXPECT_EQ(actual, -kInf) << where;
  } else {
    EXPECT_NEAR(actual, expected, tolerance) << where;
    deviations.add(metric, std::abs(actual - expected));
  }
}

std::map<std::string, torch::Tensor> load_stems(const std::filesystem::path& folder) {
  std::map<std::string, torch::Tensor> stems;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    stems[entry.path().stem().string()] = auralflow::audio::load(entry.path().string());
  }
  return stems;
}

class GoldenCase : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenCase, MatchesMuseval) {
  const auto folder = auralflow::testing::fixture_path("bsseval/" + GetParam());
  std::ifstream file(folder / "expected.json");
  ASSERT_TRUE(file) << folder / "expected.json";
  const json expected = json::parse(file);
  const auto& settings = expected["settings"];
  const double noise_level = expected["noise_level_db"].get<double>();
  const auto& tolerance = expected["tolerance_db"];

  const auto references = load_stems(folder / "references");
  const auto estimates = load_stems(folder / "estimates");
  ASSERT_EQ(references.size(), expected["stems"].size());
  const auto options = auralflow::metrics::BssEvalOptions()
                           .window(settings["window"].get<int64_t>())
                           .hop(settings["hop"].get<int64_t>())
                           .filter_taps(settings["filter_taps"].get<int64_t>());
  const auto scores = auralflow::metrics::evaluate_track(references, estimates, options);

  EXPECT_EQ(scores.refused, expected["bsseval_source"] == "chosen_behaviour");
  const auto n_frames = expected["n_frames"].get<size_t>();
  ASSERT_EQ(scores.frame_bounds.size(), n_frames);
  for (size_t t = 0; t < n_frames; ++t) {
    EXPECT_EQ(scores.frame_bounds[t].first, expected["frame_bounds"][t][0].get<int64_t>());
    EXPECT_EQ(scores.frame_bounds[t].second, expected["frame_bounds"][t][1].get<int64_t>());
  }

  const std::vector<std::pair<std::string, double BssEvalValues::*>> metrics = {
      {"SDR", &BssEvalValues::sdr},
      {"ISR", &BssEvalValues::isr},
      {"SIR", &BssEvalValues::sir},
      {"SAR", &BssEvalValues::sar}};
  Deviations deviations;
  ASSERT_EQ(scores.targets.size(), expected["targets"].size());
  for (const auto& [stem, target] : expected["targets"].items()) {
    ASSERT_EQ(scores.targets.count(stem), 1u) << stem;
    const auto& actual = scores.targets.at(stem);
    EXPECT_EQ(auralflow::metrics::to_string(actual.estimate_adjustment),
              target["estimate_adjustment"].get<std::string>())
        << stem;
    ASSERT_EQ(actual.frames.size(), n_frames) << stem;
    ASSERT_EQ(actual.frames_unrounded.size(), n_frames) << stem;
    for (const auto& [metric, member] : metrics) {
      const double tol = tolerance[metric].get<double>();
      for (size_t t = 0; t < n_frames; ++t) {
        const std::string where = stem + " " + metric + " frame " + std::to_string(t);
        expect_bss_value(target["frames"][metric][t], actual.frames[t].*member, tol, noise_level,
                         where, metric + "_frames", deviations);
        // museval's raw doubles; its storage rule maps +-inf to NaN on both sides
        const double raw = actual.frames_unrounded[t].*member;
        const double expected_raw = value_of(target["frames_unrounded"][metric][t]);
        expect_bss_value(std::isinf(expected_raw) ? json() : json(expected_raw),
                         std::isinf(raw) ? kNaN : raw, tol, noise_level, where + " (unrounded)",
                         metric + "_unrounded", deviations);
      }
      expect_bss_value(target["median"][metric], actual.median.*member, tol, noise_level,
                       stem + " " + metric + " median", metric + "_median", deviations);
    }
    const double si_tol = tolerance["si_sdr"].get<double>();
    expect_whole_track_value(target["si_sdr_shared_scale"], actual.si_sdr, si_tol, noise_level,
                             stem + " SI-SDR shared scale", "SI-SDR", deviations);
    expect_whole_track_value(target["si_sdr_channel_mean"], actual.si_sdr_channel_mean, si_tol,
                             noise_level, stem + " SI-SDR channel mean", "SI-SDR", deviations);
    ASSERT_EQ(actual.si_sdr_per_channel.size(), target["si_sdr_per_channel"].size()) << stem;
    for (size_t c = 0; c < actual.si_sdr_per_channel.size(); ++c) {
      expect_whole_track_value(target["si_sdr_per_channel"][c], actual.si_sdr_per_channel[c],
                               si_tol, noise_level, stem + " SI-SDR channel " + std::to_string(c),
                               "SI-SDR", deviations);
    }
    // global SDR is exact even above the noise level (case 08): compare numerically
    EXPECT_NEAR(actual.global_sdr, target["global_sdr"].get<double>(),
                tolerance["global_sdr"].get<double>())
        << stem << " global SDR";
    deviations.add("global_SDR", std::abs(actual.global_sdr - target["global_sdr"].get<double>()));
  }
  deviations.print(GetParam());
}

INSTANTIATE_TEST_SUITE_P(Bsseval, GoldenCase,
                         ::testing::Values("01_basic_4stem", "02_vocals_accompaniment",
                                           "03_silent_frames", "04_mono_in_stereo",
                                           "05_length_mismatch", "06_partial_last_window",
                                           "07_zero_estimate", "08_perfect_estimate",
                                           "09_shorter_than_window", "10_silent_channel",
                                           "11_identical_references", "12_delayed_reference"));

}  // namespace
