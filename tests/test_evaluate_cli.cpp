// `auralflow evaluate`: a model folder on a dataset split, --estimates of another system, and the
// oracles (--oracle mixture|irm|ibm).
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

// Column `column` (1-based: 5 SDR, 9 SI-SDR) of the row starting with `prefix`.
double value_of(const std::vector<std::string>& lines, const std::string& prefix, int column = 5) {
  for (const auto& line : lines) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::stringstream fields(line);
    std::string field;
    for (int i = 0; i < column; ++i) std::getline(fields, field, ',');
    return std::stod(field);
  }
  ADD_FAILURE() << "no row " << prefix;
  return 0.0;
}

double sdr_of(const std::vector<std::string>& lines, const std::string& prefix) {
  return value_of(lines, prefix, 5);
}

// The track names of an evaluation.csv's track rows, once each, in order.
std::vector<std::string> tracks_of(const std::vector<std::string>& lines) {
  std::vector<std::string> tracks;
  for (const auto& line : lines) {
    if (line.rfind("track,", 0) != 0) continue;
    std::stringstream fields(line.substr(6));
    std::string name;
    std::getline(fields, name, ',');
    if (tracks.empty() || tracks.back() != name) tracks.push_back(name);
  }
  return tracks;
}

// dir/tiny: a fresh small stereo SpectrogramNetSimple at 8 kHz, with `more` settings on top.
void write_tiny_model(const TempDir& dir, auralflow::testing::Settings more) {
  auralflow::testing::Settings settings = {{"hidden_channels", "2"}, {"sample_rate", "8000"},
                                           {"sample_length", "0.5"}, {"num_fft", "256"},
                                           {"window_size", "256"},   {"hop_length", "128"},
                                           {"num_channels", "2"}};
  settings.insert(settings.end(), more.begin(), more.end());
  auralflow::testing::write_model_folder(dir.path(), "tiny", "SpectrogramNetSimple", settings);
}

}  // namespace

TEST(EvaluateCli, ScoresAModelIntoItsEvaluationCsv) {
  TempDir dir;
  const auto data = write_dataset(dir);
  write_tiny_model(dir, {{"targets", "vocals,bass"}});
  const auto result = run_cli("evaluate tiny data --max-tracks 1", dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("SI-SDR"), std::string::npos) << result.output;
  const auto lines = lines_of(dir / "tiny" / "evaluation.csv");
  // header, 2 targets of 1 track, median and mean rows of 2 targets
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[1].rfind("track,track00,bass,1,", 0), 0u) << lines[1];
  EXPECT_EQ(lines[3].rfind("median,,bass,1,", 0), 0u) << lines[3];
}

TEST(EvaluateCli, ScoresInFloat32UnlessAskedWhateverTheCpu) {
  // separate's default precision (auto) is bfloat16 on CPUs with AVX512-BF16; evaluate's is
  // float32, so that a model's scores do not depend on the machine that computed them.
  TempDir dir;
  const auto data = write_dataset(dir);
  write_tiny_model(dir, {{"targets", "vocals"}});
  const auto scores = [&](const std::string& options, const std::string& csv) {
    const auto result =
        run_cli("evaluate tiny data --max-tracks 1 --output " + csv + options, dir.path());
    EXPECT_EQ(result.exit_code, 0) << result.output;
    return lines_of(dir / csv);
  };
  const auto by_default = scores("", "default.csv");
  EXPECT_EQ(by_default, scores(" --precision float32", "float32.csv"));
  const auto half = scores(" --precision bfloat16", "bfloat16.csv");
  ASSERT_EQ(half.size(), by_default.size());
  EXPECT_NEAR(sdr_of(half, "track,track00,vocals"), sdr_of(by_default, "track,track00,vocals"),
              0.1);
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

TEST(EvaluateCli, OraclesScoreTheFloorAndTheCeilingsOfADataset) {
  TempDir dir;
  write_dataset(dir);
  const auto floor = run_cli("evaluate --oracle mixture data --output floor.csv", dir.path());
  ASSERT_EQ(floor.exit_code, 0) << floor.output;
  EXPECT_NE(floor.output.find("oracle mixture on data (test split)"), std::string::npos)
      << floor.output;
  const auto irm = run_cli("evaluate data --oracle irm", dir.path());  // to ./evaluation.csv
  ASSERT_EQ(irm.exit_code, 0) << irm.output;
  EXPECT_NE(irm.output.find("STFT 4096/1024"), std::string::npos) << irm.output;
  const auto ibm = run_cli(
      "evaluate --oracle ibm data --num-fft 1024 --hop-length 256 --targets vocals,bass "
      "--output ibm.csv --save ibm",
      dir.path());
  ASSERT_EQ(ibm.exit_code, 0) << ibm.output;
  EXPECT_NE(ibm.output.find("STFT 1024/256"), std::string::npos) << ibm.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "ibm" / "track01" / "bass.wav"));

  const auto floor_lines = lines_of(dir / "floor.csv");
  const auto irm_lines = lines_of(dir / "evaluation.csv");
  const auto ibm_lines = lines_of(dir / "ibm.csv");
  EXPECT_EQ(floor_lines.size(), 17u);  // header, 2 tracks x 4 targets, median and mean x 4
  EXPECT_EQ(irm_lines.size(), 17u);
  EXPECT_EQ(ibm_lines.size(), 9u);  // header, 2 tracks x 2 targets, median and mean x 2
  EXPECT_EQ(tracks_of(irm_lines), (std::vector<std::string>{"track00", "track01"}));
  // The stems are tones of different pitch: both masks separate them far above the mixture.
  for (const std::string target : {"vocals", "bass"}) {
    const double floor_si_sdr = value_of(floor_lines, "median,," + target + ",", 9);
    EXPECT_LT(floor_si_sdr, 0.0) << target;
    EXPECT_GT(value_of(irm_lines, "median,," + target + ",", 9), floor_si_sdr + 20.0) << target;
    EXPECT_GT(value_of(ibm_lines, "median,," + target + ",", 9), floor_si_sdr + 20.0) << target;
  }
}

TEST(EvaluateCli, OracleMistakesAreOneLineErrors) {
  TempDir dir;
  write_dataset(dir);
  const auto unknown = run_cli("evaluate --oracle wiener data", dir.path());
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_EQ(unknown.output, "auralflow: error: unknown oracle 'wiener' (mixture, irm or ibm)\n");
  const auto no_dataset = run_cli("evaluate --oracle irm", dir.path());
  EXPECT_EQ(no_dataset.exit_code, 2) << no_dataset.output;
  EXPECT_EQ(no_dataset.output, "auralflow: error: --oracle needs a DATASET to score it on\n");
  const auto with_model = run_cli("evaluate model data --oracle irm", dir.path());
  EXPECT_EQ(with_model.exit_code, 2) << with_model.output;
  EXPECT_EQ(with_model.output,
            "auralflow: error: --oracle scores a DATASET, not a model: give no MODEL\n");
  const auto both =
      run_cli("evaluate --oracle irm data --estimates e --references data", dir.path());
  EXPECT_EQ(both.exit_code, 2) << both.output;
  const auto target = run_cli("evaluate --oracle irm data --targets guitar", dir.path());
  EXPECT_EQ(target.exit_code, 2) << target.output;
  EXPECT_EQ(target.output,
            "auralflow: error: oracle: unknown target 'guitar' (drums, bass, other or vocals)\n");
  const auto hop = run_cli("evaluate --oracle irm data --hop-length 0", dir.path());
  EXPECT_EQ(hop.exit_code, 2) << hop.output;
  const auto fft_alone =
      run_cli("evaluate --estimates e --references data --num-fft 1024", dir.path());
  EXPECT_EQ(fft_alone.exit_code, 2) << fft_alone.output;
}

TEST(EvaluateCli, ScoresTheValidSplit) {
  TempDir dir;
  // MUSDB18 names in train/: "valid" is the MUSDB18 validation tracks among them.
  for (const std::string name :
       {"ANiMAL - Rockshow", "Actions - Devil's Words", "Leaf - Summerghost"})
    auralflow::testing::write_track(dir / "musdb" / "train", name, 0, {1.0, 8000, 2, {}});
  // Other names: "valid" is the part of train/ the model held out (its val_split and seed).
  auralflow::testing::write_tracks(dir / "songs" / "train", 6, {1.0, 8000, 2, {}});
  write_tiny_model(dir, {{"targets", "vocals"}, {"val_split", "0.5"}, {"seed", "7"}});
  const auto musdb = run_cli("evaluate tiny musdb --split valid --output musdb.csv", dir.path());
  ASSERT_EQ(musdb.exit_code, 0) << musdb.output;
  EXPECT_EQ(tracks_of(lines_of(dir / "musdb.csv")),
            (std::vector<std::string>{"ANiMAL - Rockshow", "Leaf - Summerghost"}));
  const auto oracle = run_cli(
      "evaluate --oracle irm musdb --split valid --num-fft 512 --hop-length 128 --output irm.csv",
      dir.path());
  ASSERT_EQ(oracle.exit_code, 0) << oracle.output;
  EXPECT_EQ(tracks_of(lines_of(dir / "irm.csv")),
            (std::vector<std::string>{"ANiMAL - Rockshow", "Leaf - Summerghost"}));

  const auto songs = run_cli("evaluate tiny songs --split valid --output songs.csv", dir.path());
  ASSERT_EQ(songs.exit_code, 0) << songs.output;
  std::vector<std::string> held_out;
  for (const auto& track : auralflow::list_tracks(
           dir / "songs", "valid", auralflow::DatasetOptions({"vocals"}).val_split(0.5).seed(7)))
    held_out.push_back(track.name);
  ASSERT_EQ(held_out.size(), 3u);
  EXPECT_EQ(tracks_of(lines_of(dir / "songs.csv")), held_out);
}
