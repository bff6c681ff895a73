// audio::open_signal: a file read from disk as it is needed gives the samples load() gives,
// across its cache's blocks, from several threads, cut by a duration; formats without exact
// seeking are refused; and metrics::evaluate_track scores such Signals as it scores the
// tensors they hold.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "auralflow/audio.hpp"
#include "auralflow/audio_signal.hpp"
#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"
#include "test_support.hpp"

namespace audio = auralflow::audio;
namespace metrics = auralflow::metrics;
using auralflow::testing::TempDir;

namespace {

constexpr int kRate = 44100;

torch::Tensor noise(int64_t channels, int64_t samples, uint64_t seed) {
  torch::manual_seed(seed);
  return 0.3 * torch::randn({channels, samples});
}

// Samples [begin, begin + count) of `channel` through the Signal.
torch::Tensor read(const auralflow::Signal& signal, int64_t channel, int64_t begin, int64_t count) {
  auto out = torch::empty({count}, torch::kDouble);
  signal.read(channel, begin, count, out.data_ptr<double>());
  return out;
}

// Equal, NaN equal to NaN (silent frames).
bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

TEST(AudioSignal, ReadsTheSamplesLoadReturnsAcrossBlocks) {
  TempDir dir;
  const auto path = (dir / "noise.wav").string();
  audio::save(path, noise(2, 200000, 1), kRate);  // 16-bit PCM, about 12 cache blocks
  const auto loaded = audio::load(path).to(torch::kDouble);
  const auto signal = audio::open_signal(path);
  ASSERT_NE(signal, nullptr);
  EXPECT_EQ(signal->channels(), 2);
  EXPECT_EQ(signal->samples(), 200000);
  // Inside a block, across block boundaries, the whole file (more blocks than are cached),
  // then the start again (evicted by then).
  for (const auto& [begin, count] : std::vector<std::pair<int64_t, int64_t>>{
           {100, 50}, {16000, 1000}, {30000, 40000}, {0, 200000}, {199990, 10}, {0, 20000}}) {
    for (int64_t c = 0; c < 2; ++c) {
      EXPECT_TRUE(torch::equal(read(*signal, c, begin, count), loaded[c].narrow(0, begin, count)))
          << "channel " << c << ", samples " << begin << " + " << count;
    }
  }
}

TEST(AudioSignal, ConcurrentReadersGetTheirOwnSamples) {
  TempDir dir;
  const auto path = (dir / "noise.flac").string();
  audio::save(path, noise(2, 150000, 2), kRate, audio::SampleFormat::Flac);
  const auto loaded = audio::load(path).to(torch::kDouble);
  const auto signal = audio::open_signal(path);
  ASSERT_NE(signal, nullptr);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t begin = t * 3000; begin + 5000 <= 150000; begin += 13000) {
        const int64_t channel = (begin / 13000) % 2;
        if (!torch::equal(read(*signal, channel, begin, 5000),
                          loaded[channel].narrow(0, begin, 5000))) {
          ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

TEST(AudioSignal, DurationKeepsTheStartAsLoadDoes) {
  TempDir dir;
  const auto path = (dir / "noise.wav").string();
  audio::save(path, noise(1, 30000, 3), kRate, audio::SampleFormat::Float32);
  audio::LoadOptions options;
  options.duration = 0.25;
  const auto loaded = audio::load(path, options).to(torch::kDouble);
  const auto signal = audio::open_signal(path, 0.25);
  ASSERT_NE(signal, nullptr);
  ASSERT_EQ(signal->samples(), loaded.size(1));
  EXPECT_TRUE(torch::equal(read(*signal, 0, 0, signal->samples()), loaded[0]));
  EXPECT_THROW(audio::open_signal(path, -1.0), auralflow::UsageError);
}

TEST(AudioSignal, FormatsWithoutExactSeekingAreLeftToLoad) {
  const std::string stem_file = std::string(AURALFLOW_TEST_DATA_DIR) +
                                "/musdb18-sample/train/Music Delta - 80s Rock.stem.mp4";
  EXPECT_EQ(audio::open_signal(stem_file), nullptr);
  TempDir dir;
  EXPECT_THROW(audio::open_signal((dir / "missing.wav").string()), auralflow::Error);
}

TEST(AudioSignal, BrokenFilesAreOneLineErrorsNamingThem) {
  TempDir dir;
  const auto empty = dir / "empty.wav";
  std::ofstream(empty).close();
  const auto garbage = dir / "garbage.wav";
  std::ofstream(garbage) << std::string(4096, '\x5a');
  for (const auto& path : {empty, garbage}) {
    try {
      audio::open_signal(path.string());
      ADD_FAILURE() << path << " opened";
    } catch (const auralflow::Error& error) {
      EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
      EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos) << error.what();
    }
  }
  // A file cut short after it was opened: the read that reaches past its end fails.
  const auto cut = (dir / "cut.wav").string();
  audio::save(cut, noise(2, 100000, 4), kRate);
  const auto signal = audio::open_signal(cut);
  ASSERT_NE(signal, nullptr);
  std::filesystem::resize_file(cut, 44 + 2 * 2 * 20000);  // header + 20000 frames
  EXPECT_EQ(read(*signal, 0, 0, 100).size(0), 100);
  try {
    read(*signal, 1, 90000, 100);
    ADD_FAILURE() << "read past the end of a cut file";
  } catch (const auralflow::Error& error) {
    EXPECT_NE(std::string(error.what()).find("truncated or corrupt"), std::string::npos)
        << error.what();
  }
}

TEST(AudioSignal, TrackScoresFromFilesEqualThoseFromTheirTensors) {
  TempDir dir;
  const auto options = metrics::BssEvalOptions().window(1000).hop(1000).filter_taps(16);
  std::map<std::string, torch::Tensor> references, estimates;
  std::map<std::string, auralflow::SignalPtr> reference_files, estimate_files;
  const int64_t samples = 40000;  // the estimates: one shorter, one longer
  for (const auto& [name, seed, length] : std::vector<std::tuple<std::string, uint64_t, int64_t>>{
           {"vocals", 10, 39000}, {"drums", 20, 41000}}) {
    const auto reference_path = (dir / (name + "_reference.wav")).string();
    const auto estimate_path = (dir / (name + "_estimate.wav")).string();
    const auto reference = noise(2, samples, seed);
    auto estimate = 0.1 * noise(2, length, seed + 1);
    estimate.narrow(1, 0, std::min(length, samples)) +=
        reference.narrow(1, 0, std::min(length, samples));
    audio::save(reference_path, reference, kRate, audio::SampleFormat::Float32);
    audio::save(estimate_path, estimate, kRate, audio::SampleFormat::Float32);
    references[name] = audio::load(reference_path);
    estimates[name] = audio::load(estimate_path);
    reference_files[name] = audio::open_signal(reference_path);
    estimate_files[name] = audio::open_signal(estimate_path);
  }
  const auto from_tensors = metrics::evaluate_track(references, estimates, options);
  const auto from_files = metrics::evaluate_track(reference_files, estimate_files, options);
  ASSERT_EQ(from_tensors.frame_bounds, from_files.frame_bounds);
  for (const auto& [name, expected] : from_tensors.targets) {
    const auto& actual = from_files.targets.at(name);
    EXPECT_EQ(actual.estimate_adjustment, expected.estimate_adjustment) << name;
    ASSERT_EQ(actual.frames_unrounded.size(), expected.frames_unrounded.size());
    for (size_t t = 0; t < expected.frames_unrounded.size(); ++t) {
      const auto& a = actual.frames_unrounded[t];
      const auto& e = expected.frames_unrounded[t];
      EXPECT_TRUE(same(a.sdr, e.sdr) && same(a.isr, e.isr) && same(a.sir, e.sir) &&
                  same(a.sar, e.sar))
          << name << " frame " << t << ": SDR " << a.sdr << " vs " << e.sdr;
    }
    EXPECT_EQ(actual.si_sdr, expected.si_sdr) << name;
    EXPECT_EQ(actual.si_sdr_per_channel, expected.si_sdr_per_channel) << name;
    EXPECT_EQ(actual.global_sdr, expected.global_sdr) << name;
  }
  EXPECT_EQ(from_files.targets.at("vocals").estimate_adjustment,
            metrics::EstimateAdjustment::ZeroPaddedAtEnd);
  EXPECT_EQ(from_files.targets.at("drums").estimate_adjustment,
            metrics::EstimateAdjustment::CutAtEnd);
}
