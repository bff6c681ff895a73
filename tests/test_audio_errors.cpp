// Bad input to audio::load / info: each case throws auralflow::Error naming the file
// (never a crash, abort or hang). The broken files are generated here.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

#include "auralflow/audio.hpp"
#include "auralflow/error.hpp"
#include "test_support.hpp"

namespace audio = auralflow::audio;
using auralflow::testing::TempDir;
using auralflow::testing::write_bytes;

namespace {

using auralflow::testing::read_bytes;

// Bytes of a valid 1 s stereo file in `format`.
std::string valid_file(const TempDir& dir, const std::string& name, audio::SampleFormat format) {
  torch::manual_seed(0);
  audio::save((dir / name).string(), torch::rand({2, 44100}) - 0.5, 44100, format);
  return read_bytes(dir / name);
}

// Expects `call` to throw auralflow::Error whose message names `path` and contains `reason`.
template <typename Call>
void expect_error(const std::filesystem::path& path, const std::string& reason, Call call) {
  try {
    call();
    ADD_FAILURE() << path << ": no error";
  } catch (const auralflow::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path.filename().string()), std::string::npos) << message;
    EXPECT_NE(message.find(reason), std::string::npos) << message;
  }
}

// Both load() and info() fail: the header itself is bad.
void expect_bad_header(const std::filesystem::path& path, const std::string& reason) {
  expect_error(path, reason, [&] { audio::load(path.string()); });
  expect_error(path, reason, [&] { audio::info(path.string()); });
}

// The header is intact but the audio data is not: load() fails.
void expect_bad_data(const std::filesystem::path& path, const std::string& reason,
                     const audio::LoadOptions& options = {}) {
  expect_error(path, reason, [&] { audio::load(path.string(), options); });
}

void put_u16(std::string& bytes, size_t at, uint16_t value) {
  bytes[at] = static_cast<char>(value & 0xff);
  bytes[at + 1] = static_cast<char>(value >> 8);
}

}  // namespace

TEST(AudioErrors, MissingFile) {
  TempDir dir;
  expect_bad_header(dir / "nothing.wav", "no such file");
}

TEST(AudioErrors, Folder) {
  TempDir dir;
  std::filesystem::create_directory(dir / "folder.wav");
  expect_bad_header(dir / "folder.wav", "folder");
}

TEST(AudioErrors, EmptyFile) {
  TempDir dir;
  write_bytes(dir / "empty.wav", "");
  expect_bad_header(dir / "empty.wav", "empty");
}

TEST(AudioErrors, TextNamedWav) {
  TempDir dir;
  write_bytes(dir / "notes.wav", "These are my notes, not a sound.\nSecond line.\n");
  expect_bad_header(dir / "notes.wav", "not a recognised audio file");
}

TEST(AudioErrors, RandomBytesNamedMp3AndMp4) {
  TempDir dir;
  torch::manual_seed(1);
  const torch::Tensor random = torch::randint(0, 256, {20000}, torch::kUInt8);
  const std::string bytes(reinterpret_cast<const char*>(random.data_ptr<uint8_t>()), 20000);
  for (const char* name : {"noise.mp3", "noise.mp4", "noise.flac"}) {
    write_bytes(dir / name, bytes);
    EXPECT_THROW(audio::load((dir / name).string()), auralflow::Error) << name;
  }
}

TEST(AudioErrors, TruncatedWavHeader) {
  TempDir dir;
  const std::string wav = valid_file(dir, "valid.wav", audio::SampleFormat::Pcm16);
  write_bytes(dir / "cut.wav", wav.substr(0, 30));  // RIFF header, half a fmt chunk
  expect_bad_header(dir / "cut.wav", "cannot read");
}

TEST(AudioErrors, TruncatedFlac) {
  TempDir dir;
  const std::string flac = valid_file(dir, "valid.flac", audio::SampleFormat::Flac);
  write_bytes(dir / "cut.flac", flac.substr(0, flac.size() / 2));
  expect_bad_data(dir / "cut.flac", "truncated");
}

TEST(AudioErrors, CorruptFlacFrames) {
  TempDir dir;
  std::string flac = valid_file(dir, "valid.flac", audio::SampleFormat::Flac);
  for (size_t i = flac.size() / 3; i < flac.size() / 3 + 2000; ++i)
    flac[i] = static_cast<char>(i * 7);
  write_bytes(dir / "corrupt.flac", flac);
  expect_bad_data(dir / "corrupt.flac", "corrupt");
}

TEST(AudioErrors, UnknownWavFormatTag) {
  TempDir dir;
  std::string wav = valid_file(dir, "valid.wav", audio::SampleFormat::Pcm16);
  put_u16(wav, 20, 0x7777);  // fmt chunk's format tag: no such codec
  write_bytes(dir / "odd.wav", wav);
  expect_bad_header(dir / "odd.wav", "cannot read");
}

TEST(AudioErrors, UnsupportedCodecInMp4) {
  TempDir dir;
  std::string mp4 = read_bytes(
      auralflow::testing::fixture_path("musdb18-sample/train/Music Delta - 80s Rock.stem.mp4"));
  // First audio track: rename its sample entry and give its decoder config an object
  // type no decoder knows, so FFmpeg cannot tell (or decode) the codec.
  const size_t entry = mp4.find("mp4a");
  ASSERT_NE(entry, std::string::npos);
  mp4.replace(entry, 4, "zzzz");
  const size_t object_type = mp4.find("\x40\x15", mp4.find("esds", entry));  // AAC, audio
  ASSERT_LT(object_type, entry + 100);
  mp4[object_type] = '\xfe';
  const auto path = dir / "odd.stem.mp4";
  write_bytes(path, mp4);
  EXPECT_EQ(audio::info(path.string()).num_streams, 5);  // the header is readable
  expect_bad_data(path, "unsupported codec");
  audio::LoadOptions drums;
  drums.stream = 1;
  drums.duration = 0.5;
  EXPECT_EQ(audio::load(path.string(), drums).size(1), 22050);  // other streams still decode
}

TEST(AudioErrors, StreamThatDoesNotExist) {
  TempDir dir;
  valid_file(dir, "single.wav", audio::SampleFormat::Pcm16);
  audio::LoadOptions options;
  options.stream = 1;
  expect_bad_data(dir / "single.wav", "audio stream 1 does not exist", options);
}

TEST(AudioErrors, MoreThanTwoChannelsWhenOneOrTwoAreAsked) {
  TempDir dir;
  const auto path = (dir / "three.wav").string();
  audio::save(path, torch::zeros({3, 100}), 8000);
  EXPECT_EQ(audio::load(path).size(0), 3);  // kept as is when no count is asked
  for (const int channels : {1, 2}) {
    audio::LoadOptions options;
    options.channels = channels;
    expect_bad_data(path, "3 channels", options);
  }
}

TEST(AudioErrors, BadOptionsAreUsageErrors) {
  TempDir dir;
  valid_file(dir, "ok.wav", audio::SampleFormat::Pcm16);
  const auto path = (dir / "ok.wav").string();
  audio::LoadOptions negative_offset;
  negative_offset.offset = -1.0;
  audio::LoadOptions zero_rate;
  zero_rate.sample_rate = 0;
  audio::LoadOptions five_channels;
  five_channels.channels = 5;
  audio::LoadOptions negative_duration;
  negative_duration.duration = -0.5;
  for (const auto& options : {negative_offset, zero_rate, five_channels, negative_duration}) {
    EXPECT_THROW(audio::load(path, options), auralflow::UsageError);
  }
}
