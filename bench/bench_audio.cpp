// audio::load speed: a whole 3-minute stereo 44.1 kHz song and a 3-second excerpt
// from its middle, as WAV (16-bit), FLAC and MP3. The files are generated in a
// temporary folder at startup. "x_realtime" is seconds of audio loaded per second of CPU.
#include <benchmark/benchmark.h>
#include <sndfile.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "auralflow/audio.hpp"

namespace audio = auralflow::audio;

namespace {

constexpr int kRate = 44100;
constexpr double kSongSeconds = 180.0;
constexpr double kExcerptSeconds = 3.0;
constexpr double kPi = 3.14159265358979323846;

// (2, 3 minutes) of chords and noise, peak below 1.
torch::Tensor song() {
  const auto frames = static_cast<int64_t>(kSongSeconds * kRate);
  const torch::Tensor time = torch::arange(frames, torch::kDouble) / kRate;  // (frames)
  torch::Tensor mix = torch::zeros({frames}, torch::kDouble);
  for (const double frequency : {110.0, 220.0, 277.2, 329.6, 440.0}) {
    mix += 0.12 * torch::sin(2 * kPi * frequency * time) * torch::sin(kPi * 0.5 * time).abs();
  }
  torch::manual_seed(0);
  const torch::Tensor left = mix + 0.05 * torch::randn({frames}, torch::kDouble);
  const torch::Tensor right = mix + 0.05 * torch::randn({frames}, torch::kDouble);
  return torch::stack({left, right}).to(torch::kFloat);  // (2, frames)
}

// MP3 through libsndfile directly (audio::save writes WAV and FLAC only).
bool write_mp3(const std::filesystem::path& path, const torch::Tensor& audio) {
  SF_INFO header{};
  header.samplerate = kRate;
  header.channels = static_cast<int>(audio.size(0));
  header.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
  if (sf_format_check(&header) == 0) return false;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &header);
  if (file == nullptr) return false;
  const torch::Tensor interleaved = audio.t().contiguous();  // (frames, channels)
  const sf_count_t written = sf_writef_float(file, interleaved.data_ptr<float>(), audio.size(1));
  return sf_close(file) == 0 && written == audio.size(1);
}

void load_whole(benchmark::State& state, const std::string& path) {
  for (auto _ : state) benchmark::DoNotOptimize(audio::load(path));
  state.counters["x_realtime"] =
      benchmark::Counter(kSongSeconds, benchmark::Counter::kIsIterationInvariantRate);
}

void load_excerpt(benchmark::State& state, const std::string& path) {
  audio::LoadOptions options;
  options.offset = (kSongSeconds - kExcerptSeconds) / 2;
  options.duration = kExcerptSeconds;
  for (auto _ : state) benchmark::DoNotOptimize(audio::load(path, options));
  state.counters["x_realtime"] =
      benchmark::Counter(kExcerptSeconds, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const auto folder = std::filesystem::temp_directory_path() /
                      ("auralflow-bench-audio-" + std::to_string(getpid()));
  std::filesystem::create_directories(folder);

  std::fprintf(stderr, "bench_audio: writing a 3-minute stereo song as WAV, FLAC and MP3...\n");
  const torch::Tensor audio = song();
  std::vector<std::pair<std::string, std::filesystem::path>> files = {
      {"wav16", folder / "song.wav"}, {"flac", folder / "song.flac"}};
  audio::save(files[0].second.string(), audio, kRate, audio::SampleFormat::Pcm16);
  audio::save(files[1].second.string(), audio, kRate, audio::SampleFormat::Flac);
  if (write_mp3(folder / "song.mp3", audio)) {
    files.emplace_back("mp3", folder / "song.mp3");
  } else {
    std::fprintf(stderr, "bench_audio: this libsndfile cannot write MP3; MP3 not measured\n");
  }

  for (const auto& [name, path] : files) {
    benchmark::RegisterBenchmark(("load_whole_3min/" + name).c_str(), load_whole, path.string())
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("load_excerpt_3s/" + name).c_str(), load_excerpt, path.string())
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(folder);
  return 0;
}
