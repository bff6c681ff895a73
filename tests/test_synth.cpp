// auralflow::synth and `auralflow synth`: track shapes and levels, determinism, songs that
// differ, the MUSDB18-HQ layout on disk with an exact mixture, disjoint train/test seeds,
// no silent overwrite, errors for missing SoundFonts and bad options. Tracks are 2 s long.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <sstream>
#include <string>

#include "auralflow/audio.hpp"
#include "auralflow/error.hpp"
#include "auralflow/synth.hpp"
#include "test_support.hpp"

namespace synth = auralflow::synth;
namespace audio = auralflow::audio;
using auralflow::testing::run_cli;
using auralflow::testing::TempDir;
using auralflow::testing::write_bytes;

namespace {

using auralflow::testing::contains;

synth::SynthOptions short_tracks() { return synth::SynthOptions().duration(2.0); }

double peak(const torch::Tensor& audio) { return audio.abs().max().item<double>(); }

double rms(const torch::Tensor& audio) { return audio.pow(2).mean().sqrt().item<double>(); }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The five files of a track folder, loaded: mixture first, then the stems in stem_names() order.
std::vector<torch::Tensor> load_track(const std::filesystem::path& folder) {
  std::vector<torch::Tensor> files = {audio::load((folder / "mixture.wav").string())};
  for (const std::string& stem : auralflow::stem_names())
    files.push_back(audio::load((folder / (stem + ".wav")).string()));
  return files;
}

}  // namespace

TEST(Synth, RendersFourStereoStemsOfTheAskedLengthAndRate) {
  const synth::RenderedTrack track = synth::render_track(short_tracks().sample_rate(22050), 1);
  ASSERT_EQ(track.stems.sizes(), (std::vector<int64_t>{4, 2, 44100}));
  EXPECT_EQ(track.stems.scalar_type(), torch::kFloat);
  EXPECT_EQ(track.mixture().sizes(), (std::vector<int64_t>{2, 44100}));
  EXPECT_GT(rms(track.mixture()), 1e-3);
  EXPECT_FALSE(track.description.empty());
}

TEST(Synth, SameSeedGivesBitIdenticalAudioWhateverWasRenderedBefore) {
  const synth::Synthesizer synthesizer(short_tracks());
  const synth::RenderedTrack first = synthesizer.render(5);
  const synth::RenderedTrack other = synthesizer.render(6);
  const synth::RenderedTrack again = synthesizer.render(5);
  EXPECT_TRUE(torch::equal(first.stems, again.stems));
  EXPECT_EQ(first.description, again.description);
  EXPECT_TRUE(torch::equal(first.stems, synth::render_track(short_tracks().threads(1), 5).stems));
  EXPECT_TRUE(torch::equal(first.stems, synth::render_track(short_tracks().threads(3), 5).stems));
  EXPECT_FALSE(torch::equal(first.stems, other.stems));
}

TEST(Synth, NoClippingAndNoSilentTrack) {
  const synth::Synthesizer synthesizer(short_tracks());
  for (uint64_t seed = 10; seed < 16; ++seed) {
    const synth::RenderedTrack track = synthesizer.render(seed);
    EXPECT_LE(peak(track.stems), 0.95) << "seed " << seed;
    EXPECT_LE(peak(track.mixture()), 0.95) << "seed " << seed;
    EXPECT_GT(rms(track.mixture()), 1e-3) << "seed " << seed << ": " << track.description;
    int sounding = 0;
    for (int64_t k = 0; k < 4; ++k) sounding += rms(track.stems[k]) > 1e-4 ? 1 : 0;
    EXPECT_GE(sounding, 2) << "seed " << seed << ": " << track.description;
  }
}

TEST(Synth, StemsAreStackedInStemNamesOrder) {
  // A part the composer left empty is "(silent)" in the description: the stem of that name
  // (stem_names() order) must be the silent one (the level balance leaves < 1e-6 there).
  const synth::Synthesizer synthesizer(short_tracks());
  int silent_parts = 0;
  for (uint64_t seed = 0; seed < 40 && silent_parts == 0; ++seed) {
    const synth::RenderedTrack track = synthesizer.render(seed);
    for (size_t k = 0; k < auralflow::stem_names().size(); ++k) {
      const std::string stem = auralflow::stem_names()[k];
      if (track.description.find(stem + ": (silent)") == std::string::npos) continue;
      ++silent_parts;
      EXPECT_LT(peak(track.stems[static_cast<int64_t>(k)]), 1e-6)
          << stem << ": " << track.description;
      EXPECT_GT(rms(track.mixture()), 1e-3) << track.description;
    }
  }
  ASSERT_GT(silent_parts, 0) << "no seed below 40 has a silent part: pick other seeds";
}

TEST(Synth, SongsDifferInKeyTempoMeterAndInstruments) {
  const synth::Synthesizer synthesizer(short_tracks().duration(0.5));
  std::set<std::string> descriptions;
  std::set<std::string> songs;  // key, mode, meter, tempo only
  for (uint64_t seed = 0; seed < 8; ++seed) {
    const std::string description = synthesizer.render(seed).description;
    descriptions.insert(description);
    songs.insert(description.substr(0, description.find(';')));
  }
  EXPECT_EQ(descriptions.size(), 8u);
  EXPECT_GE(songs.size(), 6u);
}

TEST(Synth, ReverbCanBeTurnedOff) {
  const synth::RenderedTrack wet = synth::render_track(short_tracks(), 3);
  const synth::RenderedTrack dry = synth::render_track(short_tracks().reverb(false), 3);
  EXPECT_EQ(wet.description, dry.description);
  EXPECT_FALSE(torch::equal(wet.stems, dry.stems));
}

TEST(Synth, WritesMusdbLayoutWhoseMixtureIsTheExactSumOfTheStems) {
  TempDir dir;
  synth::write_dataset(dir / "data", short_tracks().tracks(2).test_tracks(1).seed(4));
  const std::vector<std::filesystem::path> folders = {
      dir / "data/train/synth_0000", dir / "data/train/synth_0001", dir / "data/test/synth_0002"};
  for (const auto& folder : folders) {
    for (const std::string name : {"mixture", "vocals", "drums", "bass", "other"}) {
      const audio::AudioInfo info = audio::info((folder / (name + ".wav")).string());
      EXPECT_EQ(info.format, "WAV");
      EXPECT_EQ(info.channels, 2);
      EXPECT_EQ(info.sample_rate, 44100);
      EXPECT_EQ(info.frames, 88200);
    }
    const std::vector<torch::Tensor> files = load_track(folder);
    // 16-bit: the mixture is stored exactly, to the last bit, as vocals + drums + bass + other.
    EXPECT_TRUE(torch::equal(files[0], files[1] + files[2] + files[3] + files[4])) << folder;
    EXPECT_LT(peak(files[0]), 0.951) << folder;
    EXPECT_GT(rms(files[0]), 1e-3) << folder;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "data/test/synth_0000"));
}

TEST(Synth, Float32DatasetHoldsTheRenderedTracksOfTheDerivedSeeds) {
  TempDir dir;
  const synth::SynthOptions options =
      short_tracks().tracks(1).test_tracks(1).seed(9).format(audio::SampleFormat::Float32);
  synth::write_dataset(dir.path(), options);
  const synth::Synthesizer synthesizer(options);
  const synth::RenderedTrack train =
      synthesizer.render(synth::track_seed(9, synth::Split::Train, 0));
  const synth::RenderedTrack test = synthesizer.render(synth::track_seed(9, synth::Split::Test, 0));
  const std::vector<torch::Tensor> train_files = load_track(dir / "train/synth_0000");
  const std::vector<torch::Tensor> test_files = load_track(dir / "test/synth_0001");
  EXPECT_TRUE(torch::equal(train_files[0], train.mixture()));
  EXPECT_TRUE(torch::equal(test_files[0], test.mixture()));
  for (int64_t k = 0; k < 4; ++k) {
    EXPECT_TRUE(torch::equal(train_files[static_cast<size_t>(k) + 1], train.stems[k]));
    EXPECT_TRUE(torch::equal(test_files[static_cast<size_t>(k) + 1], test.stems[k]));
  }
  EXPECT_FALSE(torch::equal(train.stems, test.stems));
}

TEST(Synth, TrainAndTestSeedsAreDisjoint) {
  for (const uint64_t seed : {uint64_t{0}, uint64_t{1}, uint64_t{12345}, ~uint64_t{0}}) {
    std::set<uint64_t> train;
    for (int64_t i = 0; i < 500; ++i) train.insert(synth::track_seed(seed, synth::Split::Train, i));
    EXPECT_EQ(train.size(), 500u);
    for (int64_t i = 0; i < 500; ++i)
      EXPECT_EQ(train.count(synth::track_seed(seed, synth::Split::Test, i)), 0u)
          << seed << " " << i;
  }
  EXPECT_NE(synth::track_seed(1, synth::Split::Train, 0),
            synth::track_seed(2, synth::Split::Train, 0));
  EXPECT_EQ(synth::track_name(7), "synth_0007");
  EXPECT_EQ(synth::split_name(synth::Split::Test), "test");
}

TEST(Synth, SameSeedWritesByteIdenticalFiles) {
  TempDir dir;
  const synth::SynthOptions options = short_tracks().tracks(1).test_tracks(0).seed(21);
  synth::write_dataset(dir / "a", options);
  synth::write_dataset(dir / "b", options);
  synth::write_dataset(dir / "c", synth::SynthOptions(options).seed(22));
  for (const std::string name :
       {"mixture.wav", "vocals.wav", "drums.wav", "bass.wav", "other.wav"}) {
    const std::string a = read_file(dir / "a/train/synth_0000" / name);
    EXPECT_GT(a.size(), 88200u * 4);
    EXPECT_EQ(a, read_file(dir / "b/train/synth_0000" / name)) << name;
    EXPECT_NE(a, read_file(dir / "c/train/synth_0000" / name)) << name;
  }
}

TEST(Synth, ExistingTracksAreReplacedOnlyWithForce) {
  TempDir dir;
  const synth::SynthOptions options = short_tracks().duration(0.5).tracks(1).test_tracks(0);
  synth::write_dataset(dir.path(), synth::SynthOptions(options).seed(1));
  const std::filesystem::path mixture = dir / "train/synth_0000/mixture.wav";
  const std::string before = read_file(mixture);
  try {
    synth::write_dataset(dir.path(), synth::SynthOptions(options).seed(2));
    FAIL() << "expected auralflow::ExistsError";
  } catch (const auralflow::ExistsError& error) {
    EXPECT_TRUE(contains(error.what(), "synth_0000")) << error.what();
  }
  EXPECT_EQ(read_file(mixture), before);
  synth::write_dataset(dir.path(), synth::SynthOptions(options).seed(2).force(true));
  EXPECT_NE(read_file(mixture), before);
}

TEST(Synth, MissingOrInvalidSoundFontIsAnErrorNamingIt) {
  TempDir dir;
  const std::string missing = (dir / "missing.sf2").string();
  try {
    synth::Synthesizer synthesizer(short_tracks().soundfonts({missing}));
    FAIL() << "expected auralflow::Error";
  } catch (const auralflow::Error& error) {
    EXPECT_TRUE(contains(error.what(), missing)) << error.what();
    EXPECT_TRUE(contains(error.what(), "not found")) << error.what();
  }
  write_bytes(dir / "fake.sf2", "RIFF this is not a SoundFont");
  try {
    synth::render_track(short_tracks().soundfonts({(dir / "fake.sf2").string()}), 0);
    FAIL() << "expected auralflow::Error";
  } catch (const auralflow::Error& error) {
    EXPECT_TRUE(contains(error.what(), "fake.sf2")) << error.what();
    EXPECT_TRUE(contains(error.what(), "SoundFont")) << error.what();
  }
}

TEST(Synth, BadOptionsAreUsageErrors) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<synth::SynthOptions> bad = {
      short_tracks().duration(0.0),     short_tracks().duration(-2.0),
      short_tracks().duration(nan),     short_tracks().duration(4000.0),
      short_tracks().sample_rate(4000), short_tracks().sample_rate(192000),
      short_tracks().tracks(-1),        short_tracks().test_tracks(-1),
      short_tracks().soundfonts({}),    short_tracks().threads(0),
      short_tracks().threads(5),        short_tracks().format(audio::SampleFormat::Flac)};
  for (const synth::SynthOptions& options : bad)
    EXPECT_THROW(synth::validate(options), auralflow::UsageError);
  EXPECT_NO_THROW(synth::validate(short_tracks()));
  EXPECT_THROW(synth::Synthesizer{short_tracks().sample_rate(1000)}, auralflow::UsageError);
  EXPECT_THROW(synth::write_dataset("unused", short_tracks().tracks(0).test_tracks(0)),
               auralflow::UsageError);
  EXPECT_EQ(synth::test_track_count(synth::SynthOptions().tracks(10)), 2);
  EXPECT_EQ(synth::test_track_count(synth::SynthOptions().tracks(11)), 3);
  EXPECT_EQ(synth::test_track_count(synth::SynthOptions().tracks(11).test_tracks(0)), 0);
}

TEST(SynthCli, WritesADatasetAndKeepsItWithoutForce) {
  TempDir dir;
  auto result = run_cli("synth data --tracks 1 --test-tracks 1 --duration 1 --seed 3", dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "wrote 2 tracks")) << result.output;
  EXPECT_TRUE(contains(result.output, "synth_0001: ")) << result.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "data/train/synth_0000/drums.wav"));
  EXPECT_TRUE(std::filesystem::exists(dir / "data/test/synth_0001/mixture.wav"));

  result = run_cli("synth data --tracks 1 --test-tracks 1 --duration 1", dir.path());
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "--force")) << result.output;
}

TEST(SynthCli, ReportsMistakesInOneLine) {
  TempDir dir;
  for (const std::string arguments : {"synth out --duration -1", "synth out --tracks many"}) {
    const auto result = run_cli(arguments, dir.path());
    EXPECT_EQ(result.exit_code, 2) << arguments << ": " << result.output;
    EXPECT_EQ(result.output.rfind("auralflow: error: ", 0), 0u) << result.output;
  }
  const auto result = run_cli("synth out --soundfont missing.sf2", dir.path());
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_EQ(result.output.rfind("auralflow: error: 'missing.sf2': SoundFont not found", 0), 0u)
      << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}
