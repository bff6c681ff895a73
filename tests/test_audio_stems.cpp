// The FFmpeg reader on the real MUSDB18 file (tests/data/musdb18-sample): five AAC
// streams (mixture, drums, bass, other, vocals) and a PNG cover to skip.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "auralflow/audio.hpp"
#include "auralflow/error.hpp"
#include "test_support.hpp"

namespace audio = auralflow::audio;
using auralflow::testing::fixture_path;
using auralflow::testing::TempDir;

namespace {

constexpr int64_t kFrames = 299880;  // 6.8 s at 44.1 kHz

std::string stem_file() {
  return fixture_path("musdb18-sample/train/Music Delta - 80s Rock.stem.mp4").string();
}

audio::LoadOptions stream(audio::Stem stem) {
  audio::LoadOptions options;
  options.stream = static_cast<int>(stem);
  return options;
}

// 10 log10(|reference|^2 / |reference - estimate|^2).
double snr_db(const torch::Tensor& reference, const torch::Tensor& estimate) {
  return 10.0 * std::log10(reference.pow(2).sum().item<double>() /
                           (reference - estimate).pow(2).sum().item<double>());
}

}  // namespace

TEST(AudioStems, InfoListsFiveAudioStreams) {
  const audio::AudioInfo header = audio::info(stem_file());
  EXPECT_EQ(header.num_streams, 5);  // the PNG cover is not counted
  EXPECT_EQ(header.sample_rate, 44100);
  EXPECT_EQ(header.channels, 2);
  EXPECT_EQ(header.frames, kFrames);
  EXPECT_NEAR(header.duration, 6.8, 1e-6);
  EXPECT_EQ(header.format, "MP4");
}

TEST(AudioStems, EveryStreamDecodesAndStemsSumToTheMixture) {
  const torch::Tensor mixture = audio::load(stem_file(), stream(audio::Stem::Mixture));
  ASSERT_EQ(mixture.sizes(), (std::vector<int64_t>{2, kFrames}));
  torch::Tensor sum = torch::zeros_like(mixture);
  for (const auto stem :
       {audio::Stem::Drums, audio::Stem::Bass, audio::Stem::Other, audio::Stem::Vocals}) {
    const torch::Tensor source = audio::load(stem_file(), stream(stem));
    ASSERT_EQ(source.sizes(), mixture.sizes()) << static_cast<int>(stem);
    EXPECT_TRUE(torch::isfinite(source).all().item<bool>());
    EXPECT_GT(source.pow(2).mean().item<double>(), 1e-6)
        << "silent stem " << static_cast<int>(stem);
    EXPECT_LE(source.abs().max().item<double>(), 1.5);
    sum += source;
  }
  // Each stream was AAC-encoded separately: about 31.6 dB apart (fixture README).
  EXPECT_GT(snr_db(mixture, sum), 28.0);
  EXPECT_FALSE(torch::equal(audio::load(stem_file(), stream(audio::Stem::Vocals)),
                            audio::load(stem_file(), stream(audio::Stem::Drums))));
}

TEST(AudioStems, MissingStreamIsAnError) {
  audio::LoadOptions options;
  options.stream = 5;  // the cover image is stream 5 of the container, not an audio stream
  try {
    audio::load(stem_file(), options);
    FAIL() << "stream 5 loaded";
  } catch (const auralflow::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("80s Rock.stem.mp4"), std::string::npos) << message;
    EXPECT_NE(message.find("audio stream 5 does not exist"), std::string::npos) << message;
  }
}

TEST(AudioStems, RangeReadMatchesTheSliceOfAFullRead) {
  const torch::Tensor full = audio::load(stem_file(), stream(audio::Stem::Vocals));
  for (const double offset : {0.0, 1.0, 2.5003, 6.0}) {
    audio::LoadOptions options = stream(audio::Stem::Vocals);
    options.offset = offset;
    options.duration = 0.5;
    const torch::Tensor part = audio::load(stem_file(), options);
    const int64_t start = std::llround(offset * 44100);
    ASSERT_EQ(part.sizes(), (std::vector<int64_t>{2, 22050})) << offset;
    EXPECT_LT((part - full.narrow(1, start, 22050)).abs().max().item<double>(), 1e-4) << offset;
  }
  audio::LoadOptions tail = stream(audio::Stem::Vocals);
  tail.offset = 6.5;  // to the end
  EXPECT_TRUE(
      torch::allclose(audio::load(stem_file(), tail), full.narrow(1, 286650, 13230), 0.0, 1e-4));
}

TEST(AudioStems, ResamplesAndMixesDown) {
  audio::LoadOptions options = stream(audio::Stem::Bass);
  options.sample_rate = 22050;
  options.channels = 1;
  options.duration = 2.0;
  const torch::Tensor bass = audio::load(stem_file(), options);
  EXPECT_EQ(bass.sizes(), (std::vector<int64_t>{1, 44100}));
  EXPECT_GT(bass.pow(2).mean().item<double>(), 1e-6);
}

TEST(AudioStems, M4aExtensionReadsTheSame) {
  TempDir dir;
  const auto copy = dir / "song.m4a";
  std::filesystem::copy_file(stem_file(), copy);
  audio::LoadOptions options;
  options.duration = 1.0;
  EXPECT_TRUE(torch::equal(audio::load(copy.string(), options), audio::load(stem_file(), options)));
}

TEST(AudioStems, TruncatedFileIsAnError) {
  TempDir dir;
  std::ifstream in(stem_file(), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  const auto cut = dir / "cut.stem.mp4";
  auralflow::testing::write_bytes(cut, bytes.substr(0, bytes.size() / 2));
  EXPECT_THROW(audio::load(cut.string()), auralflow::Error);
  const auto header_only = dir / "header.stem.mp4";
  auralflow::testing::write_bytes(header_only, bytes.substr(0, 4000));
  EXPECT_THROW(audio::load(header_only.string()), auralflow::Error);
}
