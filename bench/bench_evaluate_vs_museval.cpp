// `auralflow evaluate --estimates` against museval's BSSEval v4, side by side in one run.
//
// Writes a generated stereo 44.1 kHz track of four stems (vocals: a vibrato tone; drums:
// decaying noise bursts; bass: low notes; other: a chord with noise; 16-bit PCM, each stem's
// right channel a delayed, scaled left plus a little noise) as a one-track data set
// DIR/data/test/song/{mixture,vocals,drums,bass,other}.wav, and estimates
// DIR/estimates/song/<stem>.wav (float32: the reference, a tenth of the next stem and a little
// noise). Then runs, alternately, each as its own process,
//   auralflow evaluate --estimates DIR/estimates --references DIR/data [EVALUATE OPTIONS]
//   /usr/bin/python3 BASELINES/museval_time.py DIR/data/test/song DIR/estimates/song
// and, in this process, metrics::evaluate_track on the same files (read before each call,
// untimed), and prints every round and the medians:
//   ours: the command's wall time (start-up, reading the eight files, BSSEval, SI-SDR, global
//         SDR and writing evaluation.csv included) and its peak RSS;
//   ours (library): evaluate_track's wall time (BSSEval, SI-SDR and global SDR), the work
//         museval's timer covers and more;
//   museval: the seconds it prints (museval.metrics.bss_eval only: reading excluded), its
//         process wall time and peak RSS.
// ratio = museval's printed seconds / our command's wall time (> 1: we are faster), so the
// ratio is conservative; library ratio = museval's seconds / evaluate_track's. Only ratios
// from one run mean anything on a machine shared with other work.
// The first round also prints both programs' median SDR/ISR/SIR/SAR per stem.
//
//   ./build/bench/bench_evaluate_vs_museval --baselines BASELINES [--seconds 60] [--rounds 3]
//       [--dir DIR] [-- EVALUATE OPTIONS...]
//
// BASELINES: the folder holding museval_time.py and museval/ (not part of this repository;
// also read from $AURALFLOW_BASELINES). Without it, or without Debian's python3-numpy,
// python3-scipy and python3-soundfile, the bench prints SKIPPED and exits 0.
//
// --dir keeps the data set, the estimates and evaluation.csv in DIR (default: a temporary
// folder, removed at the end), e.g. to rerun either command by hand.
#include <torch/torch.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "auralflow/audio.hpp"
#include "auralflow/audio_stream.hpp"
#include "auralflow/compute_threads.hpp"
#include "auralflow/metrics.hpp"
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
const std::vector<std::string> kStems = {"vocals", "drums", "bass", "other"};

/// (samples) float64: the mono source of stem `index`.
torch::Tensor source(size_t index, int64_t samples) {
  const auto time = torch::arange(samples, torch::kDouble) / kRate;
  const auto tone = [&](double frequency, double amplitude) {
    return amplitude * torch::sin(2 * kPi * frequency * time);
  };
  switch (index) {
    case 0: {  // vocals: harmonics of 220 Hz with a 5-Hz vibrato
      auto out = torch::zeros_like(time);
      for (int h = 1; h <= 4; ++h) {
        out += 0.1 / h *
               torch::sin(2 * kPi * 220.0 * h * time + 2.0 * h * torch::sin(10 * kPi * time));
      }
      return out;
    }
    case 1:  // drums: noise bursts decaying twice a second
      return 0.2 * torch::randn_like(time) * torch::exp(-12.0 * torch::fmod(time, 0.5));
    case 2:  // bass
      return tone(55.0, 0.2) + tone(110.0, 0.1);
    default:  // other: a C major chord with a little noise
      return tone(261.6, 0.06) + tone(329.6, 0.05) + tone(392.0, 0.05) +
             0.02 * torch::randn_like(time);
  }
}

/// (2, samples) on the 16-bit grid: left = source, right = 0.8 * source delayed by
/// index + 1 samples + a little noise.
torch::Tensor stem(size_t index, int64_t samples) {
  const auto left = source(index, samples);
  const auto delay = static_cast<int64_t>(index) + 1;
  const auto right = 0.8 * torch::constant_pad_nd(left, {delay, 0}).narrow(0, 0, samples) +
                     0.005 * torch::randn_like(left);
  return torch::round(torch::stack({left, right}).clamp(-1.0, 1.0) * 32768.0) / 32768.0;
}

void write(const fs::path& path, const torch::Tensor& audio,
           auralflow::audio::SampleFormat format) {
  auralflow::audio::StreamWriter writer(path.string(), kRate, 2, format);
  writer.write(audio.to(torch::kFloat));
  writer.close();
}

/// DIR/data/test/song (references and mixture) and DIR/estimates/song.
void write_track(const fs::path& dir, int64_t seconds) {
  const auto references = dir / "data" / "test" / "song";
  const auto estimates = dir / "estimates" / "song";
  fs::create_directories(references);
  fs::create_directories(estimates);
  torch::manual_seed(0);
  const int64_t samples = seconds * kRate;
  std::vector<torch::Tensor> stems;
  for (size_t j = 0; j < kStems.size(); ++j) stems.push_back(stem(j, samples));
  auto mixture = torch::zeros_like(stems.front());
  for (size_t j = 0; j < kStems.size(); ++j) {
    mixture += stems[j];
    write(references / (kStems[j] + ".wav"), stems[j], auralflow::audio::SampleFormat::Pcm16);
    const auto estimate =
        stems[j] + 0.1 * stems[(j + 1) % stems.size()] + 0.01 * torch::randn_like(stems[j]);
    write(estimates / (kStems[j] + ".wav"), estimate, auralflow::audio::SampleFormat::Float32);
  }
  write(references / "mixture.wav", mixture.clamp(-1.0, 1.0),
        auralflow::audio::SampleFormat::Pcm16);
}

/// Seconds of one evaluate_track call on the stems of `dir` (what the CLI computes).
double library_seconds(const fs::path& dir) {
  std::map<std::string, torch::Tensor> references, estimates;
  for (const auto& name : kStems) {
    references[name] =
        auralflow::audio::load((dir / "data" / "test" / "song" / (name + ".wav")).string());
    estimates[name] =
        auralflow::audio::load((dir / "estimates" / "song" / (name + ".wav")).string());
  }
  const auto options = auralflow::metrics::BssEvalOptions().window(kRate).hop(kRate);
  const auto start = std::chrono::steady_clock::now();
  const auto scores = auralflow::metrics::evaluate_track(references, estimates, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (scores.targets.size() != kStems.size()) throw std::runtime_error("evaluate_track failed");
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const auto arguments = parse_arguments(argc, argv, 60, {},
                                         "bench_evaluate_vs_museval [--seconds S] [--rounds N] "
                                         "[--baselines DIR] [--dir DIR] [-- EVALUATE OPTIONS...]");
  if (!arguments) return 2;
  const auto found = find_baseline(*arguments, "museval_time.py", {"numpy", "scipy", "soundfile"});
  if (!found) return 0;
  const fs::path script = *found;
  const int64_t seconds = arguments->seconds;
  const int rounds = arguments->rounds;
  const std::vector<std::string>& evaluate_options = arguments->passed_on;
  fs::path dir = arguments->dir;

  const bool keep = !dir.empty();
  if (!keep) {
    dir = fs::temp_directory_path() / ("auralflow-bench-vs-museval-" + std::to_string(getpid()));
  }
  fs::create_directories(dir);
  write_track(dir, seconds);
  auralflow::set_compute_threads(0);  // the library at the CLI's default: every CPU

  std::vector<std::string> ours{AURALFLOW_CLI_PATH, "evaluate",
                                "--estimates",      (dir / "estimates").string(),
                                "--references",     (dir / "data").string()};
  ours.insert(ours.end(), evaluate_options.begin(), evaluate_options.end());
  const std::vector<std::string> museval{kPython, script.string(),
                                         (dir / "data" / "test" / "song").string(),
                                         (dir / "estimates" / "song").string()};
  std::cout << "ours:    " << joined(ours) << "\nmuseval: " << joined(museval) << "\n"
            << seconds << "-s stereo 4-stem track, " << rounds << " rounds, alternating\n\n";
  std::printf("%-6s %12s %12s %12s %14s %14s %14s %8s %8s\n", "round", "ours wall", "ours peak",
              "ours lib.", "museval eval", "museval wall", "museval peak", "ratio", "lib.");
  std::vector<double> our_walls, our_peaks, library, museval_seconds, museval_walls, museval_peaks;
  std::string our_output, museval_output;
  for (int round = 0; round < rounds; ++round) {
    Run mine, theirs;
    // Alternate who goes first, so that neither always meets the same machine state.
    for (int turn = 0; turn < 2; ++turn) {
      if ((turn == 0) == (round % 2 == 0)) {
        mine = run(ours);
        if (mine.status != 0) {
          std::cerr << "auralflow evaluate failed:\n" << mine.output;
          return 1;
        }
      } else {
        theirs = run(museval);
        if (theirs.status != 0) {
          std::cerr << "museval failed:\n" << theirs.output;
          return 1;
        }
      }
    }
    if (round == 0) {
      our_output = mine.output;
      museval_output = theirs.output;
    }
    const double evaluation = last_number(theirs.output);
    library.push_back(library_seconds(dir));
    our_walls.push_back(mine.wall);
    our_peaks.push_back(mine.peak_mb);
    museval_seconds.push_back(evaluation);
    museval_walls.push_back(theirs.wall);
    museval_peaks.push_back(theirs.peak_mb);
    std::printf("%-6d %10.2f s %9.0f MB %10.3f s %12.2f s %12.2f s %11.0f MB %7.2fx %7.1fx\n",
                round + 1, mine.wall, mine.peak_mb, library.back(), evaluation, theirs.wall,
                theirs.peak_mb, evaluation / mine.wall, evaluation / library.back());
    std::fflush(stdout);
  }
  std::printf("%-6s %10.2f s %9.0f MB %10.3f s %12.2f s %12.2f s %11.0f MB %7.2fx %7.1fx\n",
              "median", median(our_walls), median(our_peaks), median(library),
              median(museval_seconds), median(museval_walls), median(museval_peaks),
              median(museval_seconds) / median(our_walls),
              median(museval_seconds) / median(library));
  std::cout << "\nours (round 1):\n" << our_output << "\nmuseval (round 1):\n" << museval_output;
  if (!keep) fs::remove_all(dir);
  return 0;
}
