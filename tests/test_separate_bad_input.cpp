// `auralflow separate` on one bad input file: exit status 1, exactly one line (the error,
// naming the file and what is wrong with it), and nothing left in the output folder.
// The bad files are made here.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <torch/torch.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include "auralflow/audio.hpp"
#include "test_support.hpp"

namespace audio = auralflow::audio;
using auralflow::testing::contains;
using auralflow::testing::read_bytes;
using auralflow::testing::run_cli;
using auralflow::testing::TempDir;
using auralflow::testing::write_bytes;

namespace {

// dir/tiny: a small stereo SpectrogramNetSimple (vocals, drums) with a checkpoint.
void make_model(const TempDir& dir) {
  auralflow::testing::write_model_folder(dir.path(), "tiny", "SpectrogramNetSimple",
                                         {{"hidden_channels", "4"},
                                          {"num_channels", "2"},
                                          {"sample_length", "1.0"},
                                          {"num_fft", "512"},
                                          {"window_size", "512"},
                                          {"hop_length", "256"},
                                          {"targets", "vocals,drums"}});
}

// Bytes of 0.5 s of stereo noise at 16 kHz in `format`.
std::string valid_file(const TempDir& dir, const std::string& name, audio::SampleFormat format) {
  torch::manual_seed(0);
  audio::save((dir / name).string(), (torch::rand({2, 8000}) - 0.5) * 0.5, 16000, format);
  return read_bytes(dir / name);
}

std::string random_bytes(int64_t count) {
  torch::manual_seed(1);
  const torch::Tensor random = torch::randint(0, 256, {count}, torch::kUInt8);
  return std::string(reinterpret_cast<const char*>(random.data_ptr<uint8_t>()), count);
}

int64_t line_count(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

// Separates dir/input with dir/tiny into dir/out and expects one failure line naming the
// input and containing `reason`, exit status 1, and no output folder for the track.
void expect_one_line_failure(const TempDir& dir, const std::string& input,
                             const std::string& reason) {
  SCOPED_TRACE(input);
  const auto result = run_cli("separate tiny '" + input + "' --save out --threads 1", dir.path());
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_EQ(line_count(result.output), 1) << result.output;
  EXPECT_EQ(result.output.rfind("auralflow: error: '" + input + "': ", 0), 0u) << result.output;
  EXPECT_TRUE(contains(result.output, reason)) << result.output;
  const auto tracks = dir / "out/separated_audio";
  EXPECT_TRUE(!std::filesystem::exists(tracks) || std::filesystem::is_empty(tracks))
      << "outputs left behind in " << tracks;
}

}  // namespace

TEST(SeparateBadInput, EmptyFile) {
  TempDir dir;
  make_model(dir);
  write_bytes(dir / "empty.wav", "");
  expect_one_line_failure(dir, "empty.wav", "the file is empty");
}

TEST(SeparateBadInput, RandomBytesUnderEveryAudioName) {
  TempDir dir;
  make_model(dir);
  for (const char* name : {"noise.wav", "noise.mp3", "noise.flac", "noise.stem.mp4"}) {
    write_bytes(dir / name, random_bytes(20000));
    expect_one_line_failure(dir, name, "");
  }
}

TEST(SeparateBadInput, RandomBytesNamedMp3SayNotAudio) {
  TempDir dir;
  make_model(dir);
  write_bytes(dir / "noise.mp3", random_bytes(20000));
  expect_one_line_failure(dir, "noise.mp3", "not a recognised audio file");
}

TEST(SeparateBadInput, TruncatedFlac) {
  TempDir dir;
  make_model(dir);
  const std::string flac = valid_file(dir, "valid.flac", audio::SampleFormat::Flac);
  write_bytes(dir / "cut.flac", flac.substr(0, flac.size() / 2));
  expect_one_line_failure(dir, "cut.flac", "truncated");
}

TEST(SeparateBadInput, HeaderOnlyWav) {
  TempDir dir;
  make_model(dir);
  const std::string wav = valid_file(dir, "valid.wav", audio::SampleFormat::Pcm16);
  std::string header = wav.substr(0, 44);  // RIFF, fmt and an empty data chunk
  header.replace(40, 4, std::string(4, '\0'));
  write_bytes(dir / "header.wav", header);
  expect_one_line_failure(dir, "header.wav", "holds no audio");
}

TEST(SeparateBadInput, FolderNamedLikeAFile) {
  TempDir dir;
  make_model(dir);
  std::filesystem::create_directory(dir / "song.wav");
  expect_one_line_failure(dir, "song.wav", "no audio files or track folders");
}

TEST(SeparateBadInput, FileWithoutReadPermission) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads files without read permission";
  TempDir dir;
  make_model(dir);
  valid_file(dir, "locked.wav", audio::SampleFormat::Pcm16);
  ASSERT_EQ(chmod((dir / "locked.wav").c_str(), 0), 0);
  expect_one_line_failure(dir, "locked.wav", "cannot open: Permission denied");
}

TEST(SeparateBadInput, SixChannelsIntoAStereoModel) {
  TempDir dir;
  make_model(dir);
  audio::save((dir / "surround.wav").string(), torch::zeros({6, 8000}), 16000);
  expect_one_line_failure(dir, "surround.wav", "has 6 channels");
}

TEST(SeparateBadInput, NanSamples) {
  TempDir dir;
  make_model(dir);
  // audio::save refuses NaN, so one sample of a valid float WAV is overwritten with one.
  std::string wav = valid_file(dir, "valid.wav", audio::SampleFormat::Float32);
  const size_t data = wav.find("data");
  ASSERT_NE(data, std::string::npos);
  const size_t sample = data + 8 + (2 * 6000 + 1) * 4;  // frame 6000, channel 1
  ASSERT_LT(sample + 4, wav.size());
  wav.replace(sample, 4, std::string("\x00\x00\xc0\x7f", 4));  // quiet NaN, little-endian
  write_bytes(dir / "nan.wav", wav);
  expect_one_line_failure(dir, "nan.wav", "NaN or infinite samples");
}

// A data chunk whose size field claims more than the file holds (a cut download): the
// frames that are there are separated, as libsndfile reads them.
TEST(SeparateBadInput, SizeFieldLargerThanTheFileSeparatesWhatIsThere) {
  TempDir dir;
  make_model(dir);
  std::string wav = valid_file(dir, "valid.wav", audio::SampleFormat::Pcm16);
  const size_t data = wav.find("data");
  ASSERT_NE(data, std::string::npos);
  wav.replace(data + 4, 4, std::string("\x00\xe1\xf5\x05", 4));  // 10^8 bytes
  write_bytes(dir / "long.wav", wav);
  const auto result = run_cli("separate tiny long.wav --save out --threads 1", dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(line_count(result.output), 1) << result.output;
  EXPECT_EQ(audio::info((dir / "out/separated_audio/long/vocals.wav").string()).frames, 8000);
}
