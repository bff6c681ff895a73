// Oracle estimates (oracles.hpp): the mixture, the ideal ratio mask and the ideal binary mask,
// checked against cases with a known answer and against a direct STFT formula written here.
#include <gtest/gtest.h>

#include "auralflow/datasets.hpp"
#include "auralflow/oracles.hpp"
#include "test_support.hpp"

using auralflow::Oracle;
using auralflow::oracle_estimates;
using auralflow::OracleOptions;
using auralflow::testing::contains;
using auralflow::testing::error_of;
using Stems = std::map<std::string, torch::Tensor>;

namespace {

// (channels, samples) white noise, the same for the same seed.
torch::Tensor noise(int64_t channels, int64_t samples, uint64_t seed) {
  torch::manual_seed(seed);
  return torch::randn({channels, samples});
}

torch::Tensor sum_of(const Stems& stems) {
  torch::Tensor total;
  for (const auto& [name, audio] : stems) total = total.defined() ? total + audio : audio.clone();
  return total;
}

double max_abs(const torch::Tensor& tensor) { return tensor.abs().max().item<double>(); }

// The oracle's estimate of `target`, written out from the definition with torch::stft and
// torch::istft (centred, reflect padding, periodic Hann window of num_fft samples).
torch::Tensor direct_estimate(Oracle oracle, const torch::Tensor& mixture, const Stems& stems,
                              const std::string& target, int64_t num_fft, int64_t hop) {
  const auto window = torch::hann_window(num_fft);
  const auto stft = [&](const torch::Tensor& audio) {
    return torch::stft(audio, num_fft, hop, num_fft, window, true, "reflect", false, true, true);
  };
  std::vector<torch::Tensor> magnitudes;
  for (const auto& stem : auralflow::stem_names()) magnitudes.push_back(stft(stems.at(stem)).abs());
  const auto all = torch::stack(magnitudes);  // (4, C, bins, frames)
  const auto& names = auralflow::stem_names();
  const auto k = std::find(names.begin(), names.end(), target) - names.begin();
  torch::Tensor mask;
  if (oracle == Oracle::IdealRatioMask) {
    mask = all[k] / all.sum(0);
  } else {
    const auto dominant = std::get<1>(all.max(0));
    mask = (dominant == k).to(torch::kFloat32);
  }
  return torch::istft(stft(mixture) * mask, num_fft, hop, num_fft, window, true, false, true,
                      mixture.size(-1));
}

}  // namespace

TEST(Oracles, NamesRoundTripAndAnUnknownNameIsAOneLineUsageError) {
  for (const auto oracle : auralflow::all_oracles())
    EXPECT_EQ(auralflow::parse_oracle(auralflow::to_string(oracle)), oracle);
  EXPECT_EQ(auralflow::parse_oracle("irm"), Oracle::IdealRatioMask);
  try {
    auralflow::parse_oracle("wiener");
    FAIL() << "no error";
  } catch (const auralflow::UsageError& error) {
    EXPECT_EQ(std::string(error.what()), "unknown oracle 'wiener' (mixture, irm or ibm)");
  }
  EXPECT_THROW(auralflow::parse_oracle("IRM"), auralflow::UsageError);
}

TEST(Oracles, DefaultStftIsOpenUnmixs) {
  const OracleOptions options;
  EXPECT_EQ(options.num_fft, 4096);
  EXPECT_EQ(options.hop_length, 1024);
}

TEST(Oracles, MixtureOracleIsTheMixtureForEveryTarget) {
  const auto mixture = noise(2, 3000, 1);
  const auto estimates = oracle_estimates(Oracle::Mixture, mixture, {}, {"vocals", "bass"});
  ASSERT_EQ(estimates.size(), 2u);
  EXPECT_TRUE(torch::equal(estimates.at("vocals"), mixture));
  EXPECT_TRUE(torch::equal(estimates.at("bass"), mixture));
}

TEST(Oracles, RatioMaskOfScaledCopiesRecoversEveryStem) {
  // Every stem is a scaled copy of one noise, so each mask is the constant c_j / sum_k c_k.
  const auto base = noise(2, 20000, 2);
  const Stems stems = {
      {"drums", 0.5 * base}, {"bass", 0.2 * base}, {"other", 0.1 * base}, {"vocals", base}};
  const auto mixture = sum_of(stems);
  const auto estimates =
      oracle_estimates(Oracle::IdealRatioMask, mixture, stems, auralflow::stem_names());
  ASSERT_EQ(estimates.size(), 4u);
  for (const auto& [name, stem] : stems) {
    ASSERT_EQ(estimates.at(name).sizes(), stem.sizes()) << name;
    EXPECT_LT(max_abs(estimates.at(name) - stem), 1e-4) << name;
  }
}

TEST(Oracles, BinaryMaskGivesEachChannelsBinsToTheDominantStem) {
  // Left: vocals dominate every bin; right: drums do. Bass and other never dominate.
  const auto base = noise(1, 20000, 3);
  const auto left_right = [&](double left, double right) {
    return torch::cat({left * base, right * base});
  };
  const Stems stems = {{"drums", left_right(0.5, 1.0)},
                       {"bass", left_right(0.2, 0.2)},
                       {"other", left_right(0.1, 0.3)},
                       {"vocals", left_right(1.0, 0.4)}};
  const auto mixture = sum_of(stems);
  const auto estimates =
      oracle_estimates(Oracle::IdealBinaryMask, mixture, stems, auralflow::stem_names());
  EXPECT_LT(max_abs(estimates.at("vocals")[0] - mixture[0]), 1e-4);
  EXPECT_LT(max_abs(estimates.at("vocals")[1]), 1e-6);
  EXPECT_LT(max_abs(estimates.at("drums")[1] - mixture[1]), 1e-4);
  EXPECT_LT(max_abs(estimates.at("drums")[0]), 1e-6);
  EXPECT_LT(max_abs(estimates.at("bass")), 1e-6);
  EXPECT_LT(max_abs(estimates.at("other")), 1e-6);
  // The ratio mask shares the same channels out instead: vocals get 1.0 / 1.8 of the left.
  const auto ratio = oracle_estimates(Oracle::IdealRatioMask, mixture, stems, {"vocals"});
  EXPECT_LT(max_abs(ratio.at("vocals") - stems.at("vocals")), 1e-4);
}

TEST(Oracles, MasksMatchTheDirectFormulaAwayFromTheTrackEnds) {
  // Independent stems with different spectra; the mixture is their sum plus a little noise of
  // its own (as a separately encoded mixture is), so the masks are applied to a mixture that
  // is not the stems' sum.
  const int64_t num_fft = 512, hop = 128, samples = 12000;
  auto white = noise(2, samples, 4);
  const Stems stems = {{"drums", 0.3 * (white.roll(1, 1) - white)},  // high-pass
                       {"bass", 0.05 * white.cumsum(1) / 20.0},      // low-pass
                       {"other", 0.2 * noise(2, samples, 5)},        // white
                       {"vocals", 0.4 * torch::sin(torch::arange(samples) * 0.3).unsqueeze(0) *
                                      noise(2, samples, 6).abs()}};  // modulated
  const auto mixture = sum_of(stems) + 0.01 * noise(2, samples, 7);
  const OracleOptions options{num_fft, hop};
  for (const auto oracle : {Oracle::IdealRatioMask, Oracle::IdealBinaryMask}) {
    const auto estimates =
        oracle_estimates(oracle, mixture, stems, auralflow::stem_names(), options);
    for (const auto& target : auralflow::stem_names()) {
      const auto expected = direct_estimate(oracle, mixture, stems, target, num_fft, hop);
      // The frames that touch an end differ with the end padding; compare the others.
      const auto middle = [&](const torch::Tensor& audio) {
        return audio.slice(1, num_fft, samples - 2 * num_fft);
      };
      EXPECT_LT(max_abs(middle(estimates.at(target)) - middle(expected)), 1e-4)
          << auralflow::to_string(oracle) << " " << target;
      EXPECT_EQ(estimates.at(target).sizes(), mixture.sizes());
    }
  }
}

TEST(Oracles, TheMasksShareTheMixtureOut) {
  const auto white = noise(2, 9000, 8);
  const Stems stems = {{"drums", white},
                       {"bass", white.cumsum(1) / 30.0},
                       {"other", noise(2, 9000, 9)},
                       {"vocals", torch::zeros({2, 9000})}};  // a silent stem
  const auto mixture = sum_of(stems);
  for (const auto oracle : {Oracle::IdealRatioMask, Oracle::IdealBinaryMask}) {
    const auto estimates = oracle_estimates(oracle, mixture, stems, auralflow::stem_names());
    EXPECT_LT(max_abs(sum_of(estimates) - mixture), 1e-4) << auralflow::to_string(oracle);
    EXPECT_LT(max_abs(estimates.at("vocals")), 1e-6) << auralflow::to_string(oracle);
  }
}

TEST(Oracles, BadInputIsAClearError) {
  const auto audio = noise(2, 5000, 10);
  Stems stems = {{"drums", audio}, {"bass", audio}, {"other", audio}, {"vocals", audio}};
  const auto estimate = [&](const std::vector<std::string>& targets, const Stems& with,
                            const torch::Tensor& mixture, OracleOptions options = {}) {
    return error_of(
        [&] { oracle_estimates(Oracle::IdealRatioMask, mixture, with, targets, options); });
  };
  EXPECT_EQ(estimate({"guitar"}, stems, audio),
            "oracle: unknown target 'guitar' (drums, bass, other or vocals)");
  EXPECT_EQ(estimate({"bass", "bass"}, stems, audio), "oracle: target 'bass' given twice");
  EXPECT_EQ(estimate({}, stems, audio), "oracle: no targets to estimate");
  Stems no_bass = stems;
  no_bass.erase("bass");
  EXPECT_EQ(estimate({"vocals"}, no_bass, audio),
            "oracle irm: no bass stem (the masks need all four)");
  Stems mono_drums = stems;
  mono_drums["drums"] = audio.slice(0, 0, 1);
  EXPECT_TRUE(contains(estimate({"vocals"}, mono_drums, audio), "drums stem must be (2 channels"));
  EXPECT_TRUE(contains(estimate({"vocals"}, stems, audio.slice(1, 0, 1000)), "too short"));
  EXPECT_TRUE(contains(estimate({"vocals"}, stems, audio, {1024, 1024}), "STFT hop 1024"));
  EXPECT_TRUE(contains(estimate({"vocals"}, stems, audio[0]), "mixture must be (channels"));
}

TEST(Oracles, InputsOfDifferentLengthsAreCutToTheShortest) {
  const auto audio = noise(1, 6000, 11);
  const Stems stems = {
      {"drums", audio}, {"bass", audio.slice(1, 0, 5000)}, {"other", audio}, {"vocals", audio}};
  const auto estimates = oracle_estimates(Oracle::IdealBinaryMask, audio, stems, {"drums"});
  EXPECT_EQ(estimates.at("drums").size(1), 5000);
}
