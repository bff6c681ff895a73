// Separator: whole tracks of any length, rate and channel count through a model, in
// memory and streamed file to file; track discovery and the Wiener filter.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <torch/torch.h>

#include <cmath>

#include "auralflow/audio.hpp"
#include "auralflow/audio_stream.hpp"
#include "auralflow/error.hpp"
#include "auralflow/separator.hpp"
#include "test_support.hpp"

namespace audio = auralflow::audio;
using auralflow::ChunkSeparator;
using auralflow::Separator;
using auralflow::SeparatorOptions;
using auralflow::TrackOptions;
using auralflow::testing::TempDir;

namespace {

// A small SpectrogramNetSimple (1-s chunks at 44.1 kHz) in a model folder with a checkpoint.
auralflow::ModelFolder tiny_model_folder(const TempDir& dir, int channels,
                                         const std::string& targets = "vocals,drums") {
  return auralflow::testing::write_model_folder(dir.path(), "tiny", "SpectrogramNetSimple",
                                                {{"hidden_channels", "4"},
                                                 {"sample_length", "1.0"},
                                                 {"num_fft", "512"},
                                                 {"window_size", "512"},
                                                 {"hop_length", "256"},
                                                 {"num_channels", std::to_string(channels)},
                                                 {"targets", targets}});
}

// A stub model at `rate` whose two "stems" are 0.25 and 0.75 times its input, recording
// the shapes it was called with.
ChunkSeparator scaling_model(int rate, int channels, int64_t chunk,
                             std::vector<std::vector<int64_t>>* calls = nullptr) {
  ChunkSeparator model;
  model.targets = {"quarter", "rest"};
  model.sample_rate = rate;
  model.channels = channels;
  model.chunk_length = chunk;
  model.transform = auralflow::AudioTransform(256, 64, 256, rate);
  model.separate = [calls](const torch::Tensor& chunks) {
    if (calls != nullptr) calls->push_back(chunks.sizes().vec());
    return torch::stack({chunks * 0.25, chunks * 0.75}, 1);  // (B, 2, C, L)
  };
  return model;
}

// (channels, n) sines at `rate`.
torch::Tensor tone(int64_t channels, int64_t n, int rate, double hz = 440.0) {
  const auto t = torch::arange(n, torch::kFloat64) / rate;
  return (0.5 * torch::sin(2 * M_PI * hz * t)).to(torch::kFloat).expand({channels, n}).clone();
}

void write_tagged_wav(const std::filesystem::path& path, const torch::Tensor& audio, int rate,
                      const char* artist, const char* title) {
  SF_INFO header{};
  header.samplerate = rate;
  header.channels = static_cast<int>(audio.size(0));
  header.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &header);
  ASSERT_NE(file, nullptr);
  sf_set_string(file, SF_STR_ARTIST, artist);
  sf_set_string(file, SF_STR_TITLE, title);
  const auto interleaved = audio.t().contiguous();
  sf_writef_float(file, interleaved.data_ptr<float>(), interleaved.size(0));
  sf_close(file);
}

}  // namespace

TEST(Separator, InMemoryKeepsLengthRateAndChannelsOfEveryInput) {
  TempDir dir;
  for (const int model_channels : {1, 2}) {
    TempDir model_dir;
    const auto folder = tiny_model_folder(model_dir, model_channels);
    const Separator separator(
        ChunkSeparator::from(auralflow::load_model(folder.root(), torch::kCPU)), {{}, 0.25, 2, 0});
    for (const int rate : {22050, 48000}) {
      for (const int64_t channels : {1, 2}) {
        for (const double seconds : {0.5, 1.7}) {  // shorter than one chunk, several chunks
          const auto n = static_cast<int64_t>(seconds * rate);
          const auto stems = separator.separate(tone(channels, n, rate), rate);
          EXPECT_EQ(stems.sizes(), (std::vector<int64_t>{2, channels, n}))
              << model_channels << "-channel model, " << rate << " Hz, " << channels
              << " channels, " << seconds << " s";
          EXPECT_TRUE(torch::isfinite(stems).all().item<bool>());
        }
      }
    }
  }
}

TEST(Separator, StubModelStemsAreExactScalesAtTheModelRate) {
  const auto mixture = torch::randn({2, 25000}) * 0.1;
  const Separator separator(scaling_model(16000, 2, 4000), {{"rest"}, 0.5, 3, 0});
  const auto stems = separator.separate(mixture, 16000);
  ASSERT_EQ(stems.sizes(), (std::vector<int64_t>{1, 2, 25000}));
  EXPECT_LT((stems[0] - 0.75 * mixture).abs().max().item<double>(), 1e-5);
}

TEST(Separator, ResamplesAroundTheModelAndBack) {
  // A 1 kHz tone survives 48 kHz -> 16 kHz -> 48 kHz, apart from the first and last ms.
  const auto mixture = tone(1, 48000, 48000, 1000.0);
  const Separator separator(scaling_model(16000, 1, 4000));
  const auto stems = separator.separate(mixture, 48000);
  ASSERT_EQ(stems.sizes(), (std::vector<int64_t>{2, 1, 48000}));
  const auto inner = [](const torch::Tensor& x) { return x.narrow(-1, 480, 48000 - 960); };
  EXPECT_LT((inner(stems[1]) - 0.75 * inner(mixture)).abs().max().item<double>(), 2e-3);
}

TEST(Separator, AdaptsChannelsToTheModel) {
  std::vector<std::vector<int64_t>> calls;
  // Stereo into a mono model: each channel is a batch item.
  const Separator mono(scaling_model(8000, 1, 1000, &calls), {{}, 0.0, 2, 0});
  const auto stereo_in = torch::randn({2, 3000});
  const auto out = mono.separate(stereo_in, 8000);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.front(), (std::vector<int64_t>{4, 1, 1000}));
  EXPECT_LT((out[0] - 0.25 * stereo_in).abs().max().item<double>(), 1e-6);
  // Mono into a stereo model: duplicated, and the output is mono again.
  calls.clear();
  const Separator stereo(scaling_model(8000, 2, 1000, &calls), {{}, 0.0, 2, 0});
  const auto mono_in = torch::randn({1, 3000});
  const auto mono_out = stereo.separate(mono_in, 8000);
  EXPECT_EQ(calls.front(), (std::vector<int64_t>{2, 2, 1000}));
  EXPECT_EQ(mono_out.sizes(), (std::vector<int64_t>{2, 1, 3000}));
  EXPECT_LT((mono_out[1] - 0.75 * mono_in).abs().max().item<double>(), 1e-6);
  EXPECT_THROW(stereo.separate(torch::zeros({3, 100}), 8000), auralflow::Error);
}

TEST(Separator, UnknownTargetsAndBadOptionsAreErrors) {
  try {
    Separator(scaling_model(8000, 1, 1000), {{"vocals"}, 0.25, 1, 0});
    FAIL() << "no error";
  } catch (const auralflow::UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("quarter, rest"), std::string::npos) << error.what();
  }
  EXPECT_THROW(Separator(scaling_model(8000, 1, 1000), {{}, 0.95, 1, 0}), auralflow::UsageError);
  EXPECT_THROW(Separator(scaling_model(8000, 1, 1000), {{}, 0.25, 0, 0}), auralflow::UsageError);
  EXPECT_THROW(Separator(scaling_model(8000, 1, 1000), {{"rest", "rest"}, 0.25, 1, 0}),
               auralflow::UsageError);
}

TEST(Separator, WorkersSeparateChunksSideBySideWithTheSameResult) {
  // Workers call the model on their share of each batch at the same time.
  TempDir dir;
  const auto folder = tiny_model_folder(dir, 1);
  const auto model = auralflow::load_model(folder.root(), torch::kCPU);
  torch::manual_seed(3);
  const auto mixture = torch::randn({2, 44100 * 3}) * 0.1;  // stereo into mono: 2 items a chunk
  SeparatorOptions one;
  one.batch_size = 3;
  SeparatorOptions three = one;
  three.workers = 3;
  const auto expected = Separator(ChunkSeparator::from(model), one).separate(mixture, 44100);
  const auto actual = Separator(ChunkSeparator::from(model), three).separate(mixture, 44100);
  EXPECT_LE((actual - expected).abs().max().item<double>(), 1e-5);
  three.workers = 0;
  EXPECT_THROW(Separator(ChunkSeparator::from(model), three), auralflow::UsageError);
}

TEST(Separator, WienerFilterSharpensLeakyEstimates) {
  // Two tones in different bins; the "model" leaks 40% of each into the other. The EM
  // Wiener filter re-estimates each source from the power ratios and removes most leaks.
  const int rate = 8000;
  const auto low = tone(2, 16000, rate, 300.0);
  const auto high = tone(2, 16000, rate, 2000.0) * torch::tensor({1.0f, 0.5f}).unsqueeze(1);
  const auto mixture = low + high;
  ChunkSeparator model = scaling_model(rate, 2, 4000);
  model.targets = {"low", "high"};
  model.separate = [&](const torch::Tensor& chunks) {
    // The chunks are slices of `mixture`; split them by projecting on the known tones.
    const auto spec_transform = auralflow::AudioTransform(256, 64, 256, rate);
    const auto spec = spec_transform.to_spectrogram(chunks);  // (B, C, F, T)
    const auto bins = torch::arange(spec.size(2)).to(torch::kFloat) * rate / 256;
    const auto low_mask = (bins < 1000).to(torch::kFloat).view({1, 1, -1, 1});
    const auto leaky_low = 0.6 * low_mask + 0.4 * (1 - low_mask);
    const auto length = chunks.size(-1);
    return torch::stack({spec_transform.to_audio(spec * leaky_low, length),
                         spec_transform.to_audio(spec * (1 - leaky_low), length)},
                        1);
  };
  const auto error = [&](int iterations) {
    const auto stems = Separator(model, {{}, 0.25, 2, iterations}).separate(mixture, rate);
    return ((stems[0] - low).square().sum() + (stems[1] - high).square().sum()).item<double>();
  };
  const double plain = error(0);
  const double filtered = error(3);
  EXPECT_LT(filtered, 0.1 * plain) << "plain " << plain << ", Wiener " << filtered;
}

TEST(SeparateFile, WritesEveryStemWithTheInputsFormatAndSumsToTheMixture) {
  TempDir dir;
  const auto mixture = torch::randn({2, 20000}) * 0.2;
  const auto input = dir / "mix.wav";
  audio::save(input.string(), mixture, 22050, audio::SampleFormat::Float32);
  const Separator separator(scaling_model(16000, 1, 4000));
  TrackOptions options;
  options.residual = true;
  options.format = audio::SampleFormat::Float32;
  const auto result = separator.separate_file(input, dir / "out", options);
  ASSERT_EQ(result.files.size(), 4u);  // original, quarter, rest, residual
  EXPECT_EQ(result.files.back().filename(), "residual.wav");
  auto sum = torch::zeros_like(mixture);
  for (const auto& file : result.files) {
    const auto info = audio::info(file.string());
    EXPECT_EQ(info.sample_rate, 22050) << file;
    EXPECT_EQ(info.channels, 2) << file;
    EXPECT_EQ(info.frames, 20000) << file;
    if (file.stem() != "original") sum += audio::load(file.string());
  }
  EXPECT_TRUE(torch::equal(audio::load(result.files.front().string()), mixture));
  EXPECT_LT((sum - mixture).abs().max().item<double>(), 1e-6);
  // No temporaries left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir / "out"))
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
}

TEST(SeparateFile, OffsetDurationAndNoOverwrite) {
  TempDir dir;
  const auto input = dir / "mix.flac";
  audio::save(input.string(), tone(1, 44100, 44100), 44100, audio::SampleFormat::Flac);
  const Separator separator(scaling_model(44100, 1, 8000), {{"quarter"}, 0.25, 4, 0});
  TrackOptions options;
  options.offset = 0.25;
  options.duration = 0.5;
  options.format = audio::SampleFormat::Flac;
  const auto result = separator.separate_file(input, dir / "out", options);
  ASSERT_EQ(result.files.size(), 2u);
  EXPECT_EQ(result.files[1].filename(), "quarter.flac");
  audio::LoadOptions range;
  range.offset = 0.25;
  range.duration = 0.5;
  // The range re-encoded: 16-bit round trips are exact to 1.5 steps (see docs/audio.md).
  const auto original = audio::load(result.files[0].string());
  ASSERT_EQ(original.size(1), 22050);
  EXPECT_LT((original - audio::load(input.string(), range)).abs().max().item<double>(),
            1.5 / 32768);
  EXPECT_EQ(audio::info(result.files[1].string()).frames, 22050);

  // Every output there: done by an earlier run, skipped and left as it is.
  const std::string stem = auralflow::testing::read_bytes(result.files[1]);
  EXPECT_TRUE(separator.separate_file(input, dir / "out", options).skipped);
  EXPECT_EQ(auralflow::testing::read_bytes(result.files[1]), stem);
  // Only some of them: an error naming one that exists, nothing replaced.
  std::filesystem::remove(result.files[1]);
  try {
    separator.separate_file(input, dir / "out", options);
    FAIL() << "overwrote";
  } catch (const auralflow::ExistsError& error) {
    EXPECT_NE(std::string(error.what()).find("original.flac"), std::string::npos) << error.what();
  }
  options.force = true;
  options.duration = 0.1;
  separator.separate_file(input, dir / "out", options);
  EXPECT_EQ(audio::info(result.files[1].string()).frames, 4410);
  options.offset = 5.0;  // past the end
  EXPECT_THROW(separator.separate_file(input, dir / "out", options), auralflow::Error);
}

TEST(SeparateFile, LongInputKeepsTheBufferFlat) {
  // 10 minutes of silence at 8 kHz streamed through a stub at 16 kHz: the pipeline holds
  // as much audio for 10 minutes as for 1 minute.
  TempDir dir;
  const auto peak_for = [&](int64_t seconds) {
    const auto input = dir / ("silence" + std::to_string(seconds) + ".wav");
    {
      audio::StreamWriter writer(input.string(), 8000, 1, audio::SampleFormat::Pcm16);
      const auto block = torch::zeros({1, 8000 * 10});
      for (int64_t done = 0; done < seconds; done += 10) writer.write(block);
      writer.close();
    }
    const Separator separator(scaling_model(16000, 1, 16000), {{"rest"}, 0.25, 4, 0});
    const auto result =
        separator.separate_file(input, dir / std::to_string(seconds), TrackOptions{});
    EXPECT_EQ(audio::info(result.files[1].string()).frames, seconds * 8000);
    return result.peak_buffered_samples;
  };
  const int64_t one_minute = peak_for(60);
  const int64_t ten_minutes = peak_for(600);
  EXPECT_GT(one_minute, 0);
  EXPECT_LE(ten_minutes, one_minute + 1000);
  EXPECT_LT(ten_minutes, 16000 * 10);  // a few chunks, far from the 9.6 M samples at 16 kHz
}

TEST(FindTracks, FilesTrackFoldersAndFoldersOfThem) {
  TempDir dir;
  const auto songs = dir / "songs";
  std::filesystem::create_directories(songs / "album" / "Track A");
  std::filesystem::create_directories(songs / "album" / "Track A" / "stems");
  audio::save((songs / "album" / "Track A" / "mixture.wav").string(), torch::zeros({1, 100}), 8000);
  audio::save((songs / "album" / "Track A" / "vocals.wav").string(), torch::zeros({1, 100}), 8000);
  audio::save((songs / "b.flac").string(), torch::zeros({1, 100}), 8000, audio::SampleFormat::Flac);
  write_tagged_wav(songs / "c.wav", torch::zeros({1, 100}), 8000, "Some Artist", "A Title");
  auralflow::testing::write_bytes(songs / "notes.txt", "not audio");
  auralflow::testing::write_bytes(songs / "broken.mp3", "not audio either");
  std::filesystem::create_directories(songs / "separated_audio" / "old");
  audio::save((songs / "separated_audio" / "old" / "x.wav").string(), torch::zeros({1, 10}), 8000);

  const auto tracks = auralflow::find_tracks(songs, songs / "separated_audio");
  std::vector<std::string> names;
  for (const auto& track : tracks) names.push_back(track.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Track A", "b", "broken", "Some Artist - A Title"}));
  EXPECT_EQ(tracks[0].input.filename(), "mixture.wav");

  const auto folder = auralflow::find_tracks((songs / "album" / "Track A").string() + "/");
  ASSERT_EQ(folder.size(), 1u);
  EXPECT_EQ(folder[0].name, "Track A");
  EXPECT_EQ(auralflow::find_tracks(songs / "c.wav")[0].name, "Some Artist - A Title");
  EXPECT_THROW(auralflow::find_tracks(dir / "missing"), auralflow::Error);
  std::filesystem::create_directories(dir / "empty");
  EXPECT_THROW(auralflow::find_tracks(dir / "empty"), auralflow::Error);
}

TEST(FindTracks, RepeatedNamesGetNumbers) {
  TempDir dir;
  std::filesystem::create_directories(dir / "x");
  audio::save((dir / "song.wav").string(), torch::zeros({1, 10}), 8000);
  audio::save((dir / "x" / "song.flac").string(), torch::zeros({1, 10}), 8000,
              audio::SampleFormat::Flac);
  const auto tracks = auralflow::find_tracks(dir.path());
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].name, "song");
  EXPECT_EQ(tracks[1].name, "song (2)");
}
