// `auralflow separate` end to end: outputs, folder runs with a bad file, overwriting,
// ranges and the error messages.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "auralflow/audio.hpp"
#include "auralflow/model_folder.hpp"
#include "auralflow/separation_model.hpp"
#include "test_support.hpp"

namespace audio = auralflow::audio;
using auralflow::testing::run_cli;
using auralflow::testing::TempDir;

namespace {

using auralflow::testing::contains;

// dir/tiny: a small mono SpectrogramNetSimple (vocals, drums) with a checkpoint.
void make_model(const TempDir& dir) {
  auralflow::testing::write_model_folder(dir.path(), "tiny", "SpectrogramNetSimple",
                                         {{"hidden_channels", "4"},
                                          {"sample_length", "1.0"},
                                          {"num_fft", "512"},
                                          {"window_size", "512"},
                                          {"hop_length", "256"},
                                          {"targets", "vocals,drums"}});
}

void write_noise(const std::filesystem::path& path, int64_t channels, int64_t frames, int rate) {
  std::filesystem::create_directories(path.parent_path());
  audio::save(path.string(), torch::randn({channels, frames}) * 0.1, rate,
              path.extension() == ".flac" ? audio::SampleFormat::Flac : audio::SampleFormat::Pcm16);
}

}  // namespace

TEST(SeparateCli, WritesStemsAndResidualAtTheInputsRate) {
  TempDir dir;
  make_model(dir);
  write_noise(dir / "song.wav", 2, 33075, 22050);
  const auto result =
      run_cli("separate tiny song.wav --residual --save out --threads 1", dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output.rfind("song: 4 files", 0), 0u) << result.output;  // one line
  const auto track = dir / "out/separated_audio/song";
  for (const char* name : {"original.wav", "vocals.wav", "drums.wav", "residual.wav"}) {
    const auto info = audio::info((track / name).string());
    EXPECT_EQ(info.sample_rate, 22050) << name;
    EXPECT_EQ(info.channels, 2) << name;
    EXPECT_EQ(info.frames, 33075) << name;
  }
  // The stems and the residual add up to the mixture (16-bit quantisation aside).
  const auto sum = audio::load((track / "vocals.wav").string()) +
                   audio::load((track / "drums.wav").string()) +
                   audio::load((track / "residual.wav").string());
  const auto mixture = audio::load((track / "original.wav").string());
  EXPECT_LT((sum - mixture).abs().max().item<double>(), 3.0 / 32768);
}

TEST(SeparateCli, FolderRunContinuesPastABadFileAndFails) {
  TempDir dir;
  make_model(dir);
  write_noise(dir / "in/a.wav", 1, 8000, 16000);
  write_noise(dir / "in/Track B/mixture.wav", 2, 8000, 44100);
  auralflow::testing::write_bytes(dir / "in/bad.wav", "RIFF this is not a wave file");
  auralflow::testing::write_bytes(dir / "in/readme.txt", "ignored");
  const auto result = run_cli("separate tiny in --save out --targets vocals", dir.path());
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "1 of 3 track(s) failed: bad\n")) << result.output;
  // The error is printed once, under its track.
  const std::string error = "failed: 'in/bad.wav': not a recognised audio file";
  const size_t first = result.output.find(error);
  EXPECT_NE(first, std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("in/bad.wav'", first + error.size()), std::string::npos)
      << result.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "out/separated_audio/a/vocals.wav"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out/separated_audio/Track B/vocals.wav"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out/separated_audio/a/drums.wav"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out/separated_audio/bad"));
}

TEST(SeparateCli, ExistingOutputsNeedForce) {
  TempDir dir;
  make_model(dir);
  write_noise(dir / "song.flac", 1, 8000, 16000);
  std::filesystem::create_directories(dir / "separated_audio/song");
  auralflow::testing::write_bytes(dir / "separated_audio/song/original.flac", "keep me");
  const auto refused = run_cli("separate tiny song.flac --format flac", dir.path());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(contains(refused.output, "separated_audio/song/original.flac': already exists"))
      << refused.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "separated_audio/song/vocals.flac"));
  const auto forced =
      run_cli("separate tiny song.flac --format flac --force --duration 0.25", dir.path());
  EXPECT_EQ(forced.exit_code, 0) << forced.output;
  EXPECT_EQ(audio::info((dir / "separated_audio/song/vocals.flac").string()).frames, 4000);
}

TEST(SeparateCli, OffsetAndDuration) {
  TempDir dir;
  make_model(dir);
  write_noise(dir / "song.wav", 1, 48000, 48000);
  const auto result = run_cli(
      "separate tiny song.wav --offset 0.5 --duration 0.3 --wiener 1 "
      "--overlap 0.5 --batch-size 2 --format wav24",
      dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  audio::LoadOptions range;
  range.offset = 0.5;
  range.duration = 0.3;
  const auto original = audio::load((dir / "separated_audio/song/original.wav").string());
  EXPECT_EQ(original.size(1), 14400);
  EXPECT_LT((original - audio::load((dir / "song.wav").string(), range)).abs().max().item<double>(),
            1e-4);
  EXPECT_EQ(audio::info((dir / "separated_audio/song/drums.wav").string()).frames, 14400);
}

TEST(SeparateCli, MissingModelOrAudioIsAnError) {
  TempDir dir;
  make_model(dir);
  write_noise(dir / "song.wav", 1, 8000, 16000);
  const auto no_model = run_cli("separate nope song.wav", dir.path());
  EXPECT_EQ(no_model.exit_code, 1);
  EXPECT_TRUE(
      contains(no_model.output, "no model folder, model file or pretrained model named 'nope'"))
      << no_model.output;
  const auto missing = run_cli("separate tiny nothing.wav", dir.path());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.output, "'nothing.wav': no such file or folder")) << missing.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "separated_audio"));
}

TEST(SeparateCli, BadOptionsAreUsageErrors) {
  TempDir dir;
  make_model(dir);
  write_noise(dir / "song.wav", 1, 8000, 16000);
  const auto target = run_cli("separate tiny song.wav --targets bass", dir.path());
  EXPECT_EQ(target.exit_code, 2);
  EXPECT_TRUE(contains(target.output, "unknown target 'bass'; the model separates vocals, drums"))
      << target.output;
  const auto overlap = run_cli("separate tiny song.wav --overlap 0.95 --format mp3", dir.path());
  EXPECT_EQ(overlap.exit_code, 2) << overlap.output;
  EXPECT_TRUE(contains(overlap.output, "--overlap")) << overlap.output;
  const auto precision = run_cli("separate tiny song.wav --precision half", dir.path());
  EXPECT_EQ(precision.exit_code, 2) << precision.output;
  EXPECT_TRUE(contains(precision.output, "unknown inference precision 'half'")) << precision.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "separated_audio"));
}

TEST(SeparateCli, PrecisionBFloat16SeparatesWhereTheNetworkHasThatForm) {
  TempDir dir;
  make_model(dir);
  auralflow::testing::write_model_folder(
      dir.path(), "umx", "SpectrogramNetUMX",
      {{"sample_length", "1.0"}, {"hidden_size", "16"}, {"targets", "vocals"}});
  write_noise(dir / "song.wav", 1, 16000, 16000);
  const auto half = run_cli("separate tiny song.wav --precision bfloat16 --save out", dir.path());
  ASSERT_EQ(half.exit_code, 0) << half.output;
  const auto single =
      run_cli("separate tiny song.wav --precision float32 --save out32", dir.path());
  ASSERT_EQ(single.exit_code, 0) << single.output;
  const auto vocals = audio::load((dir / "out/separated_audio/song/vocals.wav").string());
  const auto vocals32 = audio::load((dir / "out32/separated_audio/song/vocals.wav").string());
  const double error = (vocals - vocals32).pow(2).sum().item<double>();
  EXPECT_GT(error, 0.0);                                          // the option reached the model
  EXPECT_LT(error, 1e-2 * vocals32.pow(2).sum().item<double>());  // the same stem, give or take

  const auto umx = run_cli("separate umx song.wav --precision bfloat16 --save out2", dir.path());
  EXPECT_EQ(umx.exit_code, 2) << umx.output;
  EXPECT_TRUE(contains(umx.output, "bfloat16 inference needs a SpectrogramNetSimple"))
      << umx.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "out2/separated_audio/song"));
}

// path/to/Song/mixture.wav is a track folder's mixture: its outputs are named Song.
TEST(SeparateCli, MixtureFileIsNamedAfterItsFolder) {
  TempDir dir;
  make_model(dir);
  write_noise(dir / "Song/mixture.wav", 1, 8000, 16000);
  const auto result = run_cli("separate tiny Song/mixture.wav --save out", dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "out/separated_audio/Song/vocals.wav"))
      << result.output;
}
