// audio::load / save / info / resample on files generated here: round trips of every
// written format, OGG and MP3 reading, exact range reads, resampling, channel mixing,
// header fields and tags, the clipping policy.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "auralflow/audio.hpp"
#include "auralflow/error.hpp"
#include "test_support.hpp"

namespace audio = auralflow::audio;
using auralflow::testing::TempDir;

namespace {

constexpr int kRate = 44100;
constexpr double kPi = 3.14159265358979323846;

// (channels, frames) sines, channel c at frequency * (c + 1), amplitude 0.5.
torch::Tensor sines(double frequency, int rate, int64_t frames, int channels) {
  const torch::Tensor time = torch::arange(frames, torch::kDouble) / rate;  // (frames)
  std::vector<torch::Tensor> rows;
  for (int c = 0; c < channels; ++c)
    rows.push_back(0.5 * torch::sin(2 * kPi * frequency * (c + 1) * time));
  return torch::stack(rows).to(torch::kFloat);
}

// (channels, frames) uniform noise in [-0.9, 0.9]: every sample distinct.
torch::Tensor noise(int64_t frames, int channels) {
  torch::manual_seed(0);
  return torch::rand({channels, frames}) * 1.8 - 0.9;
}

// Frequency (Hz) of the strongest FFT bin of a (samples) signal.
double dominant_frequency(const torch::Tensor& signal, int rate) {
  const torch::Tensor spectrum = torch::fft::rfft(signal).abs();
  return spectrum.argmax().item<int64_t>() * static_cast<double>(rate) / signal.size(0);
}

// Writes (channels, frames) audio with libsndfile directly (formats and tags that
// audio::save does not offer). False when this libsndfile cannot write `format`.
bool write_with_sndfile(const std::filesystem::path& path, const torch::Tensor& audio, int rate,
                        int format, const std::string& artist = "", const std::string& title = "") {
  SF_INFO header{};
  header.samplerate = rate;
  header.channels = static_cast<int>(audio.size(0));
  header.format = format;
  if (sf_format_check(&header) == 0) return false;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &header);
  if (file == nullptr) return false;
  if (!artist.empty()) sf_set_string(file, SF_STR_ARTIST, artist.c_str());
  if (!title.empty()) sf_set_string(file, SF_STR_TITLE, title.c_str());
  const torch::Tensor interleaved = audio.t().contiguous();  // (frames, channels)
  const sf_count_t written = sf_writef_float(file, interleaved.data_ptr<float>(), audio.size(1));
  return sf_close(file) == 0 && written == audio.size(1);
}

// A range read of `path` is the same samples as the slice of a full read.
void expect_range_matches_full_read(const std::filesystem::path& path, double offset,
                                    double duration) {
  const torch::Tensor full = audio::load(path.string());
  audio::LoadOptions range;
  range.offset = offset;
  range.duration = duration;
  const torch::Tensor part = audio::load(path.string(), range);
  const int64_t start = std::llround(offset * kRate);
  const int64_t length = std::llround(duration * kRate);
  ASSERT_EQ(part.size(1), length) << path;
  EXPECT_LT((part - full.narrow(1, start, length)).abs().max().item<double>(), 1e-6) << path;
}

struct RoundTripCase {
  const char* name;
  audio::SampleFormat format;
  const char* extension;
  const char* container;
  double tolerance;  // max abs error after write -> read: libsndfile writes x * (2^(b-1) - 1)
                     // and reads n / 2^(b-1), so up to 1.5 steps for b-bit PCM
};

class RoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

}  // namespace

TEST_P(RoundTrip, WriteThenReadWithinQuantisation) {
  const RoundTripCase& test = GetParam();
  TempDir dir;
  const auto path = (dir / (std::string("out.") + test.extension)).string();
  const torch::Tensor original = noise(10000, 2);
  audio::save(path, original, kRate, test.format);

  const torch::Tensor loaded = audio::load(path);
  ASSERT_EQ(loaded.sizes(), original.sizes());
  EXPECT_EQ(loaded.scalar_type(), torch::kFloat);
  EXPECT_LE((loaded - original).abs().max().item<double>(), test.tolerance);
  const audio::AudioInfo header = audio::info(path);
  EXPECT_EQ(header.format, test.container);
  EXPECT_EQ(header.sample_rate, kRate);
  EXPECT_EQ(header.frames, 10000);
  // Only the renamed output remains: no temporary file.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

INSTANTIATE_TEST_SUITE_P(
    Audio, RoundTrip,
    ::testing::Values(
        RoundTripCase{"wav16", audio::SampleFormat::Pcm16, "wav", "WAV", 1.5 / 32767},
        RoundTripCase{"wav24", audio::SampleFormat::Pcm24, "wav", "WAV", 1.5 / 8388607},
        RoundTripCase{"float32", audio::SampleFormat::Float32, "wav", "WAV", 0.0},
        RoundTripCase{"flac", audio::SampleFormat::Flac, "flac", "FLAC", 1.5 / 32767}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Audio, ReadsOggVorbis) {
  TempDir dir;
  const auto path = dir / "sine.ogg";
  const torch::Tensor original = sines(440.0, kRate, kRate, 2);
  if (!write_with_sndfile(path, original, kRate, SF_FORMAT_OGG | SF_FORMAT_VORBIS)) {
    GTEST_SKIP() << "this libsndfile cannot write OGG Vorbis";
  }
  const torch::Tensor loaded = audio::load(path.string());
  ASSERT_EQ(loaded.sizes(), original.sizes());  // Vorbis keeps the exact length
  EXPECT_EQ(audio::info(path.string()).format, "OGG");
  EXPECT_NEAR(dominant_frequency(loaded[0], kRate), 440.0, 1.0);
  EXPECT_NEAR(dominant_frequency(loaded[1], kRate), 880.0, 1.0);
  EXPECT_LT((loaded - original).abs().max().item<double>(), 0.05);
  expect_range_matches_full_read(path, 0.3, 0.5);
}

TEST(Audio, ReadsMp3) {
  TempDir dir;
  const auto path = dir / "sine.mp3";
  const torch::Tensor original = sines(440.0, kRate, kRate, 2);
  if (!write_with_sndfile(path, original, kRate, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)) {
    GTEST_SKIP() << "this libsndfile cannot write MP3";
  }
  const torch::Tensor loaded = audio::load(path.string());
  ASSERT_EQ(loaded.size(0), 2);
  EXPECT_NEAR(loaded.size(1), kRate, 1152);  // MP3 rounds to whole frames
  EXPECT_EQ(audio::info(path.string()).format, "MP3");
  EXPECT_NEAR(dominant_frequency(loaded[0], kRate), 440.0, 1.0);
  EXPECT_NEAR(dominant_frequency(loaded[1], kRate), 880.0, 1.0);
  expect_range_matches_full_read(path, 0.3, 0.5);

  const auto mono = dir / "mono.mp3";
  ASSERT_TRUE(write_with_sndfile(mono, original.narrow(0, 1, 1), kRate,
                                 SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III));
  const torch::Tensor mono_loaded = audio::load(mono.string());
  ASSERT_EQ(mono_loaded.size(0), 1);
  EXPECT_NEAR(dominant_frequency(mono_loaded[0], kRate), 880.0, 1.0);
}

TEST(Audio, OffsetAndDurationReadExactSamples) {
  TempDir dir;
  const torch::Tensor original = noise(kRate, 2);  // 1 s
  for (const auto& [name, format] : {std::pair{"a.wav", audio::SampleFormat::Float32},
                                     std::pair{"a.flac", audio::SampleFormat::Flac}}) {
    const auto path = (dir / name).string();
    audio::save(path, original, kRate, format);
    const torch::Tensor full = audio::load(path);
    audio::LoadOptions options;
    options.offset = 0.5;
    options.duration = 0.25;
    const torch::Tensor part = audio::load(path, options);
    ASSERT_EQ(part.sizes(), (std::vector<int64_t>{2, 11025})) << name;
    EXPECT_TRUE(torch::equal(part, full.narrow(1, 22050, 11025))) << name;

    options.offset = 0.9;  // past the end: what exists
    options.duration = 1.0;
    EXPECT_EQ(audio::load(path, options).size(1), kRate - 39690) << name;
    options.offset = 2.0;  // starts after the end: empty
    EXPECT_EQ(audio::load(path, options).sizes(), (std::vector<int64_t>{2, 0})) << name;
  }
}

TEST(Audio, ResampleKeepsFrequencyAndLength) {
  const torch::Tensor tone = sines(1000.0, kRate, kRate, 1);  // 1 s at 44.1 kHz
  const torch::Tensor half = audio::resample(tone, kRate, 22050);
  ASSERT_EQ(half.sizes(), (std::vector<int64_t>{1, 22050}));
  EXPECT_NEAR(dominant_frequency(half[0], 22050), 1000.0, 1.0);
  // Amplitude 0.5 kept: RMS 0.5 / sqrt(2), away from the filter's edges.
  const double rms = half[0].slice(0, 1000, 21000).pow(2).mean().sqrt().item<double>();
  EXPECT_NEAR(rms, 0.5 / std::sqrt(2.0), 1e-3);
  // Compare with the exact 1 kHz sine at 22.05 kHz.
  const torch::Tensor expected = sines(1000.0, 22050, 22050, 1);
  EXPECT_LT((half - expected).slice(1, 1000, 21000).abs().max().item<double>(), 1e-3);

  const torch::Tensor up = audio::resample(tone, kRate, 48000);
  EXPECT_EQ(up.size(1), 48000);
  EXPECT_TRUE(torch::equal(audio::resample(tone, kRate, kRate), tone));
  EXPECT_THROW(audio::resample(tone, 0, kRate), auralflow::Error);
  EXPECT_THROW(audio::resample(tone[0], kRate, 22050), auralflow::Error);
}

TEST(Audio, LoadResamplesToTheAskedRate) {
  TempDir dir;
  const auto path = (dir / "tone.wav").string();
  audio::save(path, sines(1000.0, kRate, kRate, 2), kRate, audio::SampleFormat::Float32);
  audio::LoadOptions options;
  options.sample_rate = 22050;
  options.offset = 0.5;
  options.duration = 0.5;
  const torch::Tensor loaded = audio::load(path, options);
  ASSERT_EQ(loaded.sizes(), (std::vector<int64_t>{2, 11025}));
  EXPECT_NEAR(dominant_frequency(loaded[0], 22050), 1000.0, 2.0);
  EXPECT_NEAR(dominant_frequency(loaded[1], 22050), 2000.0, 2.0);
}

TEST(Audio, MixesChannels) {
  TempDir dir;
  const torch::Tensor stereo = noise(1000, 2);
  const auto stereo_path = (dir / "stereo.wav").string();
  audio::save(stereo_path, stereo, kRate, audio::SampleFormat::Float32);
  audio::LoadOptions mono_options;
  mono_options.channels = 1;
  const torch::Tensor mono = audio::load(stereo_path, mono_options);
  ASSERT_EQ(mono.sizes(), (std::vector<int64_t>{1, 1000}));
  EXPECT_TRUE(torch::allclose(mono[0], (stereo[0] + stereo[1]) / 2));

  const auto mono_path = (dir / "mono.wav").string();
  audio::save(mono_path, stereo.narrow(0, 0, 1), kRate, audio::SampleFormat::Float32);
  audio::LoadOptions stereo_options;
  stereo_options.channels = 2;
  const torch::Tensor doubled = audio::load(mono_path, stereo_options);
  ASSERT_EQ(doubled.sizes(), (std::vector<int64_t>{2, 1000}));
  EXPECT_TRUE(torch::equal(doubled[0], stereo[0]));
  EXPECT_TRUE(torch::equal(doubled[1], stereo[0]));
  EXPECT_EQ(audio::load(mono_path).size(0), 1);  // nullopt keeps the file's channels
}

TEST(Audio, InfoReadsHeaderAndTags) {
  TempDir dir;
  const auto path = dir / "tagged.flac";
  ASSERT_TRUE(write_with_sndfile(path, noise(22050, 2), 22050, SF_FORMAT_FLAC | SF_FORMAT_PCM_24,
                                 "The Artist", "A Title"));
  const audio::AudioInfo header = audio::info(path.string());
  EXPECT_EQ(header.sample_rate, 22050);
  EXPECT_EQ(header.channels, 2);
  EXPECT_EQ(header.frames, 22050);
  EXPECT_DOUBLE_EQ(header.duration, 1.0);
  EXPECT_EQ(header.num_streams, 1);
  EXPECT_EQ(header.format, "FLAC");
  EXPECT_EQ(header.artist, "The Artist");
  EXPECT_EQ(header.title, "A Title");

  const auto untagged = (dir / "plain.wav").string();
  audio::save(untagged, noise(100, 1), 8000);
  const audio::AudioInfo plain = audio::info(untagged);
  EXPECT_EQ(plain.channels, 1);
  EXPECT_EQ(plain.sample_rate, 8000);
  EXPECT_TRUE(plain.artist.empty());
  EXPECT_TRUE(plain.title.empty());
}

TEST(Audio, PcmClipsWithOneWarningFloatKeepsValues) {
  TempDir dir;
  torch::Tensor loud = torch::zeros({2, 100});
  loud[0][10] = 1.5f;
  loud[1][20] = -2.0f;
  loud[1][30] = 1.25f;
  const auto pcm = (dir / "loud.wav").string();
  ::testing::internal::CaptureStderr();
  audio::save(pcm, loud, kRate, audio::SampleFormat::Pcm16);
  const std::string warning = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(warning.find("clipped 3 samples"), std::string::npos) << warning;
  EXPECT_NE(warning.find("peak 2"), std::string::npos) << warning;
  EXPECT_EQ(std::count(warning.begin(), warning.end(), '\n'), 1) << warning;
  const torch::Tensor clipped = audio::load(pcm);
  EXPECT_NEAR(clipped[0][10].item<float>(), 1.0f, 1e-4);
  EXPECT_NEAR(clipped[1][20].item<float>(), -1.0f, 1e-4);

  const auto floats = (dir / "loud-float.wav").string();
  ::testing::internal::CaptureStderr();
  audio::save(floats, loud, kRate, audio::SampleFormat::Float32);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_TRUE(torch::equal(audio::load(floats), loud));
}

TEST(Audio, SaveRejectsBadInputAndKeepsTheOldFile) {
  TempDir dir;
  const auto path = (dir / "keep.wav").string();
  const torch::Tensor good = noise(100, 1);
  audio::save(path, good, kRate, audio::SampleFormat::Float32);
  torch::Tensor bad = good.clone();
  bad[0][5] = std::nanf("");
  EXPECT_THROW(audio::save(path, bad, kRate, audio::SampleFormat::Float32), auralflow::Error);
  EXPECT_THROW(audio::save(path, good[0], kRate), auralflow::Error);  // (samples) not 2-D
  EXPECT_THROW(audio::save(path, good.to(torch::kInt), kRate), auralflow::Error);
  EXPECT_THROW(audio::save(path, good, 0), auralflow::Error);
  EXPECT_THROW(audio::save(path, good, kRate, audio::SampleFormat::Flac), auralflow::Error);
  EXPECT_THROW(audio::save((dir / "missing" / "x.wav").string(), good, kRate), auralflow::Error);
  EXPECT_TRUE(torch::equal(audio::load(path), good));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(Audio, ParsesSampleFormatNames) {
  EXPECT_EQ(audio::parse_sample_format("wav16"), audio::SampleFormat::Pcm16);
  EXPECT_EQ(audio::parse_sample_format("wav24"), audio::SampleFormat::Pcm24);
  EXPECT_EQ(audio::parse_sample_format("float32"), audio::SampleFormat::Float32);
  EXPECT_EQ(audio::parse_sample_format("flac"), audio::SampleFormat::Flac);
  EXPECT_THROW(audio::parse_sample_format("mp3"), auralflow::Error);
}
