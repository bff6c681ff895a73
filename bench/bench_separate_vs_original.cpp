// `auralflow separate` against the original Python's separation, side by side in one run.
//
// Writes a mono 44.1 kHz WAV (chords and noise) and a model folder holding an untrained
// SpectrogramNetSimple at its default config with normalisation off (the model
// original Python's timing script, BASELINES/original_separate.py, times), then runs, alternately,
//   auralflow separate MODEL song.wav --save OUT --force [SEPARATE OPTIONS]
//   /usr/bin/python3 BASELINES/original_separate.py song.wav [--threads N]
// each as its own process, and prints every round and the medians:
//   ours: the command's wall time (start-up, model loading, reading and writing included)
//         and its peak RSS;
//   original: the seconds it prints (separation only: loading excluded), its process wall
//         time and peak RSS.
// ratio = original's printed seconds / our wall time (> 1: we are faster), so the ratio is
// conservative. Only ratios from one run mean anything on a machine shared with other work.
//
//   ./build/bench/bench_separate_vs_original --baselines BASELINES [--seconds 180] [--rounds 3]
//       [--baseline-threads N] [--dir DIR] [-- SEPARATE OPTIONS...]
//
// BASELINES: the folder holding the original's timing script (not part of this repository;
// also read from $AURALFLOW_BASELINES). Without it the bench prints SKIPPED and exits 0.
//
// --dir keeps the song, the model and the outputs in DIR (default: a temporary folder,
// removed at the end), e.g. to rerun either command by hand.
//
// Without Debian's python3-torch, python3-torchaudio, python3-numpy and python3-soundfile it
// prints why and exits 0 (nothing to compare against).
#include <torch/torch.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "auralflow/audio_stream.hpp"
#include "auralflow/model_folder.hpp"
#include "auralflow/separation_model.hpp"
#include "side_by_side.hpp"

namespace {

using auralflow::bench::find_baseline;
using auralflow::bench::joined;
using auralflow::bench::kPython;
using auralflow::bench::last_number;
using auralflow::bench::median;
using auralflow::bench::parse_arguments;
using auralflow::bench::run;
using auralflow::bench::Run;
namespace fs = std::filesystem;
constexpr int kRate = 44100;
constexpr double kPi = 3.14159265358979323846;

// A mono WAV of `seconds` (chords and noise), written in 10-s blocks.
void write_song(const fs::path& path, int64_t seconds) {
  auralflow::audio::StreamWriter writer(path.string(), kRate, 1,
                                        auralflow::audio::SampleFormat::Pcm16);
  torch::manual_seed(0);
  for (int64_t start = 0; start < seconds; start += 10) {
    const int64_t length = std::min<int64_t>(10, seconds - start) * kRate;
    const auto time = (torch::arange(length, torch::kDouble) + start * kRate) / kRate;
    auto mix = 0.05 * torch::randn_like(time);
    for (const double frequency : {110.0, 220.0, 277.2, 329.6, 440.0})
      mix += 0.12 * torch::sin(2 * kPi * frequency * time);
    writer.write(mix.unsqueeze(0).to(torch::kFloat));
  }
  writer.close();
}

// dir/simple: SpectrogramNetSimple at the default config, normalisation off, untrained.
fs::path write_model(const fs::path& dir) {
  auto folder = auralflow::ModelFolder::create(dir, "simple", "SpectrogramNetSimple", true);
  auto config = folder.load_config();
  config.set("normalize_input", "false");
  config.set("normalize_output", "false");
  folder.save_config(config);
  fs::create_directories(folder.checkpoint_dir());
  auralflow::SeparationModel::create(config, torch::kCPU)
      ->save(folder.best_checkpoint(), 0, {true, false, false, false});
  return dir / "simple";
}

}  // namespace

int main(int argc, char** argv) {
  const auto arguments =
      parse_arguments(argc, argv, 180, {"--baseline-threads"},
                      "bench_separate_vs_original [--seconds S] [--rounds N] [--baseline-threads "
                      "N] [--baselines DIR] [--dir DIR] [-- SEPARATE OPTIONS...]");
  if (!arguments) return 2;
  const auto found = find_baseline(*arguments, "original_separate.py",
                                   {"torch", "torchaudio", "numpy", "soundfile"});
  if (!found) return 0;
  const fs::path script = *found;
  const int64_t seconds = arguments->seconds;
  const int rounds = arguments->rounds;
  const std::vector<std::string>& separate_options = arguments->passed_on;
  fs::path dir = arguments->dir;
  const std::string baseline_threads = arguments->extra_or("--baseline-threads", "");

  const bool keep = !dir.empty();
  if (!keep) {
    dir = fs::temp_directory_path() / ("auralflow-bench-vs-original-" + std::to_string(getpid()));
  }
  fs::create_directories(dir);
  const auto song = dir / "song.wav";
  write_song(song, seconds);
  const auto model = write_model(dir);

  std::vector<std::string> ours{AURALFLOW_CLI_PATH, "separate", model.string(),
                                song.string(),      "--save",   (dir / "out").string(),
                                "--force"};
  ours.insert(ours.end(), separate_options.begin(), separate_options.end());
  std::vector<std::string> original{kPython, script.string(), song.string()};
  if (!baseline_threads.empty()) {
    original.push_back("--threads");
    original.push_back(baseline_threads);
  }
  std::cout << "ours:     " << joined(ours) << "\noriginal: " << joined(original) << "\n"
            << seconds << "-s mono WAV, " << rounds << " rounds, alternating\n\n";
  std::printf("%-6s %12s %12s %14s %14s %14s %8s\n", "round", "ours wall", "ours peak",
              "original sep.", "original wall", "original peak", "ratio");
  std::vector<double> our_walls, our_peaks, original_seconds, original_walls, original_peaks;
  for (int round = 0; round < rounds; ++round) {
    Run mine, theirs;
    // Alternate who goes first, so that neither always meets the same machine state.
    for (int turn = 0; turn < 2; ++turn) {
      if ((turn == 0) == (round % 2 == 0)) {
        mine = run(ours);
        if (mine.status != 0) {
          std::cerr << "auralflow separate failed:\n" << mine.output;
          return 1;
        }
      } else {
        theirs = run(original);
        if (theirs.status != 0) {
          std::cerr << "the original failed:\n" << theirs.output;
          return 1;
        }
      }
    }
    const double separation = last_number(theirs.output);
    our_walls.push_back(mine.wall);
    our_peaks.push_back(mine.peak_mb);
    original_seconds.push_back(separation);
    original_walls.push_back(theirs.wall);
    original_peaks.push_back(theirs.peak_mb);
    std::printf("%-6d %10.2f s %9.0f MB %12.2f s %12.2f s %11.0f MB %7.2fx\n", round + 1, mine.wall,
                mine.peak_mb, separation, theirs.wall, theirs.peak_mb, separation / mine.wall);
    std::fflush(stdout);
  }
  std::printf("%-6s %10.2f s %9.0f MB %12.2f s %12.2f s %11.0f MB %7.2fx\n", "median",
              median(our_walls), median(our_peaks), median(original_seconds),
              median(original_walls), median(original_peaks),
              median(original_seconds) / median(our_walls));
  if (!keep) fs::remove_all(dir);
  return 0;
}
