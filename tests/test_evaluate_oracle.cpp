// evaluate_oracle: the oracles scored on a data set split like a model, checked against scores
// worked out by hand for tracks whose stems are orthogonal tones.
#include <gtest/gtest.h>

#include <cmath>

#include "auralflow/audio.hpp"
#include "auralflow/datasets.hpp"
#include "auralflow/evaluation.hpp"
#include "test_support.hpp"

using auralflow::EvaluatedTrack;
using auralflow::Oracle;
using auralflow::testing::TempDir;

namespace {

constexpr int kRate = 8000;
// Peak amplitude of drums, bass, other, vocals: the vocals are the faintest.
const double kAmplitudes[] = {0.4, 0.2, 0.1, 0.05};

// <folder>/<name>/ with 1 s stereo stems: stem k a sine of 100 (k + 1) Hz at kAmplitudes[k]
// that fades in and out (a Hann envelope over the second, so the track's ends hold no edge for
// the STFT's padding), the right channel at half level, and their sum. Whole periods under an
// envelope of at most 2 Hz: the stems are orthogonal.
void write_tone_track(const std::filesystem::path& folder, const std::string& name) {
  std::filesystem::create_directories(folder / name);
  const auto time = torch::arange(kRate, torch::kDouble) / kRate;
  const auto envelope = torch::sin(M_PI * time).square();
  torch::Tensor mixture = torch::zeros({2, kRate}, torch::kDouble);
  for (size_t k = 0; k < auralflow::stem_names().size(); ++k) {
    const auto wave = kAmplitudes[k] * envelope * torch::sin(2 * M_PI * 100.0 * (k + 1) * time);
    const auto stem = torch::stack({wave, 0.5 * wave});
    mixture += stem;
    auralflow::audio::save((folder / name / (auralflow::stem_names()[k] + ".wav")).string(),
                           stem.to(torch::kFloat), kRate, auralflow::audio::SampleFormat::Float32);
  }
  auralflow::audio::save((folder / name / "mixture.wav").string(), mixture.to(torch::kFloat), kRate,
                         auralflow::audio::SampleFormat::Float32);
}

std::vector<double> samples_of(const std::filesystem::path& file) {
  const auto audio = auralflow::audio::load(file.string()).to(torch::kDouble).contiguous();
  return {audio.data_ptr<double>(), audio.data_ptr<double>() + audio.numel()};
}

// SI-SDR written out: a = <e, s> / <s, s>, 10 log10(|a s|^2 / |e - a s|^2).
double si_sdr_by_hand(const std::vector<double>& estimate, const std::vector<double>& reference) {
  double dot = 0.0, energy = 0.0;
  for (size_t i = 0; i < reference.size(); ++i) {
    dot += estimate[i] * reference[i];
    energy += reference[i] * reference[i];
  }
  const double scale = dot / energy;
  double residual = 0.0;
  for (size_t i = 0; i < reference.size(); ++i) {
    const double error = estimate[i] - scale * reference[i];
    residual += error * error;
  }
  return 10.0 * std::log10(scale * scale * energy / residual);
}

std::vector<std::string> names_of(const std::vector<EvaluatedTrack>& tracks) {
  std::vector<std::string> names;
  for (const auto& track : tracks) names.push_back(track.name);
  return names;
}

}  // namespace

TEST(EvaluateOracle, MixtureOracleScoresMatchAHandComputation) {
  TempDir dir;
  write_tone_track(dir / "data" / "test", "song");
  const auto tracks =
      auralflow::evaluate_oracle(Oracle::Mixture, dir / "data", auralflow::stem_names());
  ASSERT_EQ(tracks.size(), 1u);
  const auto mixture = samples_of(dir / "data" / "test" / "song" / "mixture.wav");
  double others = 0.0;
  for (double amplitude : kAmplitudes) others += amplitude * amplitude;
  for (size_t k = 0; k < auralflow::stem_names().size(); ++k) {
    const auto& stem = auralflow::stem_names()[k];
    const auto& scores = tracks[0].scores.targets.at(stem);
    const auto reference = samples_of(dir / "data" / "test" / "song" / (stem + ".wav"));
    EXPECT_NEAR(scores.si_sdr, si_sdr_by_hand(mixture, reference), 1e-6) << stem;
    // Orthogonal stems: the mixture's SI-SDR is the target's power over the others' power.
    const double power = kAmplitudes[k] * kAmplitudes[k];
    EXPECT_NEAR(scores.si_sdr, 10.0 * std::log10(power / (others - power)), 1e-3) << stem;
  }
  EXPECT_NEAR(tracks[0].scores.targets.at("vocals").si_sdr, -19.243, 1e-3);
}

TEST(EvaluateOracle, MasksSeparateTonesFarAboveTheFloor) {
  TempDir dir;
  write_tone_track(dir / "data" / "test", "song");
  const auto floor = auralflow::evaluate_oracle(Oracle::Mixture, dir / "data", {"vocals", "bass"});
  for (const auto oracle : {Oracle::IdealRatioMask, Oracle::IdealBinaryMask}) {
    auralflow::EvaluationOptions options;
    options.save_dir = dir / auralflow::to_string(oracle);
    const auto tracks =
        auralflow::evaluate_oracle(oracle, dir / "data", {"vocals", "bass"}, options);
    ASSERT_EQ(tracks.size(), 1u);
    ASSERT_EQ(tracks[0].scores.targets.size(), 2u);
    for (const std::string target : {"vocals", "bass"}) {
      const auto& scores = tracks[0].scores.targets.at(target);
      EXPECT_GT(scores.si_sdr, 60.0) << auralflow::to_string(oracle) << " " << target;
      EXPECT_GT(scores.median.sdr, 60.0) << auralflow::to_string(oracle) << " " << target;
      EXPECT_GT(scores.si_sdr, floor[0].scores.targets.at(target).si_sdr + 40.0);
      // --save keeps what was scored.
      const auto saved = samples_of(options.save_dir / "song" / (target + ".wav"));
      const auto reference = samples_of(dir / "data" / "test" / "song" / (target + ".wav"));
      EXPECT_NEAR(si_sdr_by_hand(saved, reference), scores.si_sdr, 1e-3);
    }
  }
}

TEST(EvaluateOracle, ValidSplitIsTheMusdb18ValidationTracksInTrain) {
  TempDir dir;
  for (const std::string name :
       {"ANiMAL - Rockshow", "Actions - Devil's Words", "Leaf - Summerghost", "synth_0001"})
    write_tone_track(dir / "data" / "train", name);
  auralflow::EvaluationOptions options;
  options.split = "valid";
  const auto valid = auralflow::evaluate_oracle(Oracle::Mixture, dir / "data", {"vocals"}, options);
  EXPECT_EQ(names_of(valid), (std::vector<std::string>{"ANiMAL - Rockshow", "Leaf - Summerghost"}));
  options.split = "train";
  const auto train = auralflow::evaluate_oracle(Oracle::Mixture, dir / "data", {"vocals"}, options);
  EXPECT_EQ(names_of(train), (std::vector<std::string>{"Actions - Devil's Words", "synth_0001"}));
}

TEST(EvaluateOracle, ValidSplitOfOtherDataIsTheSeededHoldOut) {
  TempDir dir;
  for (int i = 0; i < 6; ++i) write_tone_track(dir / "data" / "train", "t" + std::to_string(i));
  auralflow::EvaluationOptions options;
  options.split = "valid";
  options.val_split = 0.5;
  options.seed = 3;
  const auto scored = auralflow::evaluate_oracle(Oracle::Mixture, dir / "data", {"drums"}, options);
  const auto held_out = auralflow::list_tracks(
      dir / "data", "valid", auralflow::DatasetOptions({"drums"}).val_split(0.5).seed(3));
  ASSERT_EQ(scored.size(), 3u);
  std::vector<std::string> expected;
  for (const auto& track : held_out) expected.push_back(track.name);
  EXPECT_EQ(names_of(scored), expected);
}

TEST(EvaluateOracle, MistakesAndMissingStemsAreClearErrors) {
  TempDir dir;
  write_tone_track(dir / "data" / "test", "song");
  std::filesystem::remove(dir / "data" / "test" / "song" / "other.wav");
  // The mixture oracle needs only the targets' stems; the masks need all four.
  EXPECT_EQ(auralflow::evaluate_oracle(Oracle::Mixture, dir / "data", {"vocals"}).size(), 1u);
  EXPECT_TRUE(auralflow::testing::contains(auralflow::testing::error_of([&] {
                                             auralflow::evaluate_oracle(Oracle::IdealRatioMask,
                                                                        dir / "data", {"vocals"});
                                           }),
                                           "track has no other stem"));
  EXPECT_THROW(auralflow::evaluate_oracle(Oracle::IdealBinaryMask, dir / "data", {"voice"}),
               auralflow::UsageError);
  EXPECT_THROW(
      auralflow::evaluate_oracle(Oracle::IdealBinaryMask, dir / "data", {"vocals"}, {}, {256, 0}),
      auralflow::UsageError);
}
