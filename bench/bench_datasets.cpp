// Streaming loader speed: AudioFolder chunks per second on a generated 20-track dataset
// (3-second chunks at 44.1 kHz, batches of 8, default augmentations: four stems read per
// chunk, each from its own track) with 0, 1 and 2 background workers, in both layouts:
//   - MUSDB18-HQ: 20 tracks of 12-second stereo 16-bit WAV stems (generated at startup);
//   - MUSDB18: 20 copies of the 7-second MUSDB18 .stem.mp4 fixture (AAC decoding), found in
//     $AURALFLOW_TEST_DATA_DIR or tests/data (run from the repository root).
// "items_per_second" is chunks per second seen by the consumer.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "auralflow/audio.hpp"
#include "auralflow/datasets.hpp"

namespace audio = auralflow::audio;
namespace fs = std::filesystem;

namespace {

constexpr int kRate = 44100;
constexpr int kTracks = 20;
constexpr double kTrackSeconds = 12.0;
constexpr int kBatch = 8;

fs::path stem_fixture() {
  const char* folder = std::getenv("AURALFLOW_TEST_DATA_DIR");
  return fs::path(folder != nullptr ? folder : "tests/data") /
         "musdb18-sample/train/Music Delta - 80s Rock.stem.mp4";
}

class Datasets {
 public:
  Datasets()
      : root_(fs::temp_directory_path() /
              ("auralflow-bench-datasets-" + std::to_string(::getpid()))) {
    const auto frames = static_cast<int64_t>(kTrackSeconds * kRate);
    const torch::Tensor time = torch::arange(frames, torch::kDouble) / kRate;
    torch::manual_seed(0);
    for (int t = 0; t < kTracks; ++t) {
      const fs::path track = root_ / "hq" / "train" / ("track" + std::to_string(t));
      fs::create_directories(track);
      torch::Tensor mixture;
      for (size_t s = 0; s < auralflow::stem_names().size(); ++s) {
        const torch::Tensor wave = 0.1 * torch::sin(2 * M_PI * (100.0 * (s + 1) + t) * time) +
                                   0.02 * torch::randn({frames}, torch::kDouble);
        const torch::Tensor stem = torch::stack({wave, 0.8 * wave}).to(torch::kFloat);
        audio::save((track / (auralflow::stem_names()[s] + ".wav")).string(), stem, kRate);
        mixture = mixture.defined() ? mixture + stem : stem;
      }
      audio::save((track / "mixture.wav").string(), mixture, kRate);
      if (fs::exists(stem_fixture())) {
        fs::create_directories(root_ / "musdb" / "train");
        fs::copy_file(stem_fixture(),
                      root_ / "musdb" / "train" / ("track" + std::to_string(t) + ".stem.mp4"));
      }
    }
  }
  ~Datasets() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  fs::path hq() const { return root_ / "hq"; }
  fs::path musdb() const { return root_ / "musdb"; }

 private:
  fs::path root_;
};

const Datasets& datasets() {
  static const Datasets instance;
  return instance;
}

void stream_chunks(benchmark::State& state, const fs::path& root) {
  if (!fs::exists(root)) {
    state.SkipWithError(
        ("no " + stem_fixture().string() + ": set AURALFLOW_TEST_DATA_DIR").c_str());
    return;
  }
  const auralflow::AudioFolder folder(root, "train",
                                      auralflow::DatasetOptions({"vocals"})
                                          .sample_rate(kRate)
                                          .num_channels(2)
                                          .sample_length(3.0)
                                          .batch_size(kBatch)
                                          .max_num_samples(int64_t{1} << 30)
                                          .num_workers(static_cast<int>(state.range(0))));
  auto epoch = folder.epoch(0);
  for (auto _ : state) benchmark::DoNotOptimize(epoch.next());
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void BM_StreamHqWav(benchmark::State& state) { stream_chunks(state, datasets().hq()); }
void BM_StreamMusdbStemMp4(benchmark::State& state) { stream_chunks(state, datasets().musdb()); }

// 0, 1 and 2 loader threads, wall time.
void worker_counts(benchmark::internal::Benchmark* registration) {
  registration->ArgName("workers")->Arg(0)->Arg(1)->Arg(2)->UseRealTime()->Unit(
      benchmark::kMillisecond);
}

BENCHMARK(BM_StreamHqWav)->Apply(worker_counts);
BENCHMARK(BM_StreamMusdbStemMp4)->Apply(worker_counts);

}  // namespace

BENCHMARK_MAIN();
