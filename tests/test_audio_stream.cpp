// Streaming audio I/O: blockwise reads, resampling and writes equal the one-shot
// load(), resample() and save().
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>
#include <iterator>

#include "auralflow/audio.hpp"
#include "auralflow/audio_stream.hpp"
#include "auralflow/error.hpp"
#include "test_support.hpp"

namespace audio = auralflow::audio;
using auralflow::testing::TempDir;

namespace {

using auralflow::testing::read_bytes;

// Reads the whole stream in blocks of `block` frames and joins them.
torch::Tensor read_all(audio::StreamReader& reader, int64_t block) {
  std::vector<torch::Tensor> blocks;
  for (auto part = reader.read(block); part.size(1) > 0; part = reader.read(block)) {
    EXPECT_LE(part.size(1), block);
    blocks.push_back(part);
  }
  return blocks.empty() ? torch::empty({reader.info().channels, 0}) : torch::cat(blocks, 1);
}

// Resamples `audio` in blocks of `block` samples through a StreamResampler.
torch::Tensor resample_streamed(const torch::Tensor& input, int from, int to, int64_t block) {
  audio::StreamResampler resampler(static_cast<int>(input.size(0)), from, to);
  std::vector<torch::Tensor> parts;
  for (int64_t start = 0; start < input.size(1); start += block) {
    parts.push_back(resampler.push(input.narrow(1, start, std::min(block, input.size(1) - start))));
  }
  parts.push_back(resampler.finish());
  return torch::cat(parts, 1);
}

}  // namespace

TEST(StreamReader, BlocksEqualLoadForWavAndFlac) {
  TempDir dir;
  torch::manual_seed(0);
  const auto signal = torch::rand({2, 10007}) * 1.6 - 0.8;
  for (const auto& [name, format] : {std::pair{"a.wav", audio::SampleFormat::Float32},
                                     std::pair{"a.flac", audio::SampleFormat::Flac}}) {
    const std::string path = (dir / name).string();
    audio::save(path, signal, 22050, format);
    audio::StreamReader reader(path);
    EXPECT_EQ(reader.info().sample_rate, 22050);
    EXPECT_EQ(reader.expected_frames(), 10007);
    const auto streamed = read_all(reader, 1000);
    EXPECT_TRUE(torch::equal(streamed, audio::load(path))) << name;
    EXPECT_EQ(reader.position(), 10007);
  }
}

TEST(StreamReader, OffsetAndDurationSelectTheSameRangeAsLoad) {
  TempDir dir;
  const std::string path = (dir / "a.wav").string();
  audio::save(path, torch::rand({1, 8000}) - 0.5, 8000, audio::SampleFormat::Float32);
  audio::LoadOptions options;
  options.offset = 0.25;
  options.duration = 0.5;
  audio::StreamReader reader(path, {0.25, 0.5, 0});
  EXPECT_EQ(reader.expected_frames(), 4000);
  EXPECT_TRUE(torch::equal(read_all(reader, 999), audio::load(path, options)));

  audio::StreamReader past_end(path, {2.0, std::nullopt, 0});
  EXPECT_EQ(read_all(past_end, 512).size(1), 0);
}

TEST(StreamReader, Mp4StemStreamEqualsLoad) {
  const auto path =
      auralflow::testing::fixture_path("musdb18-sample/train/Music Delta - 80s Rock.stem.mp4");
  ASSERT_TRUE(std::filesystem::exists(path)) << "test data missing: " << path;
  audio::StreamReader reader(path.string(), {1.0, 3.0, 4});
  const auto streamed = read_all(reader, 30000);
  audio::LoadOptions options;
  options.offset = 1.0;
  options.duration = 3.0;
  options.stream = 4;
  const auto loaded = audio::load(path.string(), options);
  ASSERT_EQ(streamed.sizes(), loaded.sizes());
  EXPECT_LT((streamed - loaded).abs().max().item<double>(), 1e-6);
}

TEST(StreamReader, BadFilesAreErrorsNamingTheFile) {
  TempDir dir;
  auralflow::testing::write_bytes(dir / "noise.wav", std::string(5000, 'x'));
  try {
    audio::StreamReader reader((dir / "noise.wav").string());
    FAIL() << "no error";
  } catch (const auralflow::Error& error) {
    EXPECT_NE(std::string(error.what()).find("noise.wav"), std::string::npos) << error.what();
  }
  // A FLAC cut in half: the header promises more frames than the data holds.
  const std::string flac = (dir / "a.flac").string();
  audio::save(flac, torch::rand({1, 44100}) - 0.5, 44100, audio::SampleFormat::Flac);
  const std::string bytes = read_bytes(flac);
  auralflow::testing::write_bytes(dir / "cut.flac", bytes.substr(0, bytes.size() / 2));
  audio::StreamReader reader((dir / "cut.flac").string());
  EXPECT_THROW(read_all(reader, 4096), auralflow::Error);
  EXPECT_THROW(audio::StreamReader((dir / "a.flac").string(), {-1.0, std::nullopt, 0}),
               auralflow::UsageError);
}

TEST(StreamResampler, BlocksEqualOneShotResample) {
  torch::manual_seed(1);
  const auto signal = torch::randn({2, 30011}) * 0.3;
  for (const auto& [from, to] : {std::pair{44100, 22050}, std::pair{22050, 44100},
                                 std::pair{48000, 44100}, std::pair{8000, 8000}}) {
    const auto expected = audio::resample(signal, from, to);
    for (const int64_t block : {777, 4096, 40000}) {
      const auto streamed = resample_streamed(signal, from, to, block);
      ASSERT_EQ(streamed.sizes(), expected.sizes()) << from << " -> " << to;
      EXPECT_LT((streamed - expected).abs().max().item<double>(), 1e-5)
          << from << " -> " << to << ", blocks of " << block;
    }
  }
}

TEST(StreamResampler, FinishGivesExactlyTheAskedLength) {
  const auto signal = torch::ones({1, 1000}) * 0.5;
  for (const int64_t total : {2001, 2000, 1990}) {
    audio::StreamResampler resampler(1, 22050, 44100);
    const auto first = resampler.push(signal);
    const auto rest = resampler.finish(total);
    EXPECT_EQ(first.size(1) + rest.size(1), total);
    EXPECT_EQ(resampler.output_samples(), total);
  }
  audio::StreamResampler resampler(1, 22050, 44100);
  resampler.push(torch::zeros({1, 50000}));
  EXPECT_THROW(resampler.finish(10), auralflow::Error);
  EXPECT_THROW(resampler.push(torch::zeros({2, 10})), auralflow::Error);
}

TEST(StreamWriter, BlocksEqualSaveAndClippingWarnsOnce) {
  TempDir dir;
  const auto signal = torch::linspace(-1.5, 1.5, 9000).reshape({2, 4500});
  const std::string streamed = (dir / "streamed.wav").string();
  testing::internal::CaptureStderr();
  {
    audio::StreamWriter writer(streamed, 16000, 2, audio::SampleFormat::Pcm24, "out.wav");
    for (int64_t start = 0; start < 4500; start += 1000) {
      writer.write(signal.narrow(1, start, std::min<int64_t>(1000, 4500 - start)));
    }
    writer.close();
    EXPECT_EQ(writer.frames_written(), 4500);
  }
  const std::string warnings = testing::internal::GetCapturedStderr();
  EXPECT_NE(warnings.find("'out.wav': clipped"), std::string::npos) << warnings;
  EXPECT_EQ(warnings.find("clipped", warnings.find("clipped") + 1), std::string::npos) << warnings;
  const std::string saved = (dir / "saved.wav").string();
  testing::internal::CaptureStderr();
  audio::save(saved, signal, 16000, audio::SampleFormat::Pcm24);
  testing::internal::GetCapturedStderr();
  EXPECT_EQ(read_bytes(streamed), read_bytes(saved));
}

TEST(StreamWriter, RefusesNanAndWrongShapes) {
  TempDir dir;
  audio::StreamWriter writer((dir / "a.flac").string(), 44100, 1, audio::SampleFormat::Flac);
  EXPECT_THROW(writer.write(torch::full({1, 10}, NAN)), auralflow::Error);
  EXPECT_THROW(writer.write(torch::zeros({2, 10})), auralflow::Error);
  writer.write(torch::zeros({1, 10}));
  writer.close();
  EXPECT_THROW(writer.write(torch::zeros({1, 10})), auralflow::Error);
  EXPECT_EQ(audio::info((dir / "a.flac").string()).frames, 10);
}
