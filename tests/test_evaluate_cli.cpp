// `auralflow evaluate`: a model folder on a dataset split, and --estimates of another system.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "auralflow/audio.hpp"
#include "test_datasets_support.hpp"
#include "test_support.hpp"

using auralflow::testing::run_cli;
using auralflow::testing::TempDir;

namespace {

// dir/data/test: two 1-s stereo tracks at 8 kHz.
std::filesystem::path write_dataset(const TempDir& dir) {
  const auto root = dir / "data";
  auralflow::testing::write_tracks(root / "test", 2, {1.0, 8000, 2, {}});
  return root;
}

std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::ifstream stream(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// The SDR column (5th) of the row starting with `prefix`.
double sdr_of(const std::vector<std::string>& lines, const std::string& prefix) {
  for (const auto& line : lines) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::stringstream fields(line);
    std::string field;
    for (int column = 0; column < 5; ++column) std::getline(fields, field, ',');
    return std::stod(field);
  }
  ADD_FAILURE() << "no row " << prefix;
  return 0.0;
}

}  // namespace

TEST(EvaluateCli, ScoresAModelIntoItsEvaluationCsv) {
  TempDir dir;
  const auto data = write_dataset(dir);
  auralflow::testing::write_model_folder(dir.path(), "tiny", "SpectrogramNetSimple",
                                         {{"hidden_channels", "2"},
                                          {"sample_rate", "8000"},
                                          {"sample_length", "0.5"},
                                          {"num_fft", "256"},
                                          {"window_size", "256"},
                                          {"hop_length", "128"},
                                          {"num_channels", "2"},
                                          {"targets", "vocals,bass"}});
  const auto result = run_cli("evaluate tiny data --max-tracks 1", dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("SI-SDR"), std::string::npos) << result.output;
  const auto lines = lines_of(dir / "tiny" / "evaluation.csv");
  // header, 2 targets of 1 track, median and mean rows of 2 targets
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[1].rfind("track,track00,bass,1,", 0), 0u) << lines[1];
  EXPECT_EQ(lines[3].rfind("median,,bass,1,", 0), 0u) << lines[3];
}

TEST(EvaluateCli, ScoresAnotherSystemsEstimates) {
  TempDir dir;
  const auto data = write_dataset(dir);
  // track00: the reference plus faint noise (a good estimate); track01: the mixture (a poor one).
  for (const std::string track : {"track00", "track01"}) {
    std::filesystem::create_directories(dir / "estimates" / track);
    const auto reference = auralflow::audio::load((data / "test" / track / "vocals.wav").string());
    const auto mixture = auralflow::audio::load((data / "test" / track / "mixture.wav").string());
    const auto estimate =
        track == "track00" ? reference + 1e-3 * torch::randn(reference.sizes()) : mixture;
    auralflow::audio::save((dir / "estimates" / track / "vocals.wav").string(), estimate, 8000,
                           auralflow::audio::SampleFormat::Float32);
  }
  const auto result = run_cli("evaluate --estimates estimates --references data", dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto lines = lines_of(dir / "estimates" / "evaluation.csv");
  EXPECT_GT(sdr_of(lines, "track,track00,vocals,"), sdr_of(lines, "track,track01,vocals,") + 20.0);
  EXPECT_EQ(lines.size(), 5u);  // header, 2 tracks, median, mean (vocals only)
}

TEST(EvaluateCli, MistakesAreOneLineErrors) {
  TempDir dir;
  write_dataset(dir);
  const auto no_references = run_cli("evaluate --estimates estimates", dir.path());
  EXPECT_EQ(no_references.exit_code, 2) << no_references.output;
  const auto no_estimates = run_cli("evaluate --estimates nowhere --references data", dir.path());
  EXPECT_EQ(no_estimates.exit_code, 1) << no_estimates.output;
  EXPECT_EQ(no_estimates.output.rfind("auralflow: error: ", 0), 0u) << no_estimates.output;
  const auto no_model = run_cli("evaluate nope data", dir.path());
  EXPECT_EQ(no_model.exit_code, 1) << no_model.output;
}
