// One training step of SpectrogramNetSimple against the original Python's, side by side.
//
// Both sides take the same step on the same shapes: the default-size network (hidden 16,
// normalisation off) on a batch of 3-second magnitude spectrograms (513 bins × 260 frames),
// forward, L1 loss of the masked mixture against a target, backward, AdamW step. Rounds
// alternate, each side in its own process:
//   ours:     this program again (`--step-process`), at the `auralflow` program's defaults:
//             every CPU the process may use as LibTorch threads, and its start-up settings and
//             allocator (OpenMP threads that sleep when idle, OpenBLAS kernels for this CPU,
//             tcmalloc: linked in as in the program);
//   original: /usr/bin/python3 BASELINES/original_train_step.py at torch's default threads.
// Each prints the seconds of every step; the first is warm-up, the median of the rest counts.
// ratio = original's step / ours (> 1: we are faster); chunks/s = batch / step.
//
//   ./build/bench/bench_train_step_vs_original --baselines BASELINES [--rounds 3]
//       [--batch 8] [--channels 1] [--steps 4] [--baseline-threads N]
//
// BASELINES: the folder holding original_train_step.py (not part of this repository; also
// $AURALFLOW_BASELINES). Without it, or without Debian's python3-torch, it prints SKIPPED and
// exits 0.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "auralflow/compute_threads.hpp"
#include "auralflow/network.hpp"
#include "blas_kernels.hpp"
#include "side_by_side.hpp"

namespace {

namespace bench = auralflow::bench;

constexpr int64_t kBins = 513;
constexpr int64_t kFrames = 260;  // 3 s at 44.1 kHz, hop 512

struct StepShape {
  int64_t batch = 8;
  int64_t channels = 1;
  int steps = 4;
};

// The child's work: `steps` training steps, each one's seconds on its own line, then the
// median of the steps after the first on the last line (the baseline's output format).
int step_process(const StepShape& shape) {
  const int threads = auralflow::set_compute_threads(0);
  auto config = auralflow::Config::from_template("SpectrogramNetSimple", "simple");
  config.set("num_channels", std::to_string(shape.channels));
  config.set("normalize_input", "false");
  config.set("normalize_output", "false");
  auto network = auralflow::make_network(config);
  network.module().train();
  torch::optim::AdamW optimizer(network.module().parameters(), torch::optim::AdamWOptions(1e-3));
  torch::manual_seed(0);
  const auto mixture = torch::rand({shape.batch, shape.channels, kBins, kFrames});  // (B, C, F, T)
  const auto target = torch::rand({shape.batch, 1, shape.channels, kBins, kFrames});
  std::vector<double> times;
  for (int step = 0; step < shape.steps; ++step) {
    const auto start = std::chrono::steady_clock::now();
    optimizer.zero_grad();
    const auto masks = network(mixture).estimate;  // (B, 1, C, F, T)
    torch::l1_loss(masks * mixture.unsqueeze(1), target).backward();
    optimizer.step();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    std::printf("step %d: %.3f s\n", step, times.back());
  }
  std::printf("threads %d\n", threads);
  times.erase(times.begin());
  std::printf("%.3f\n", bench::median(times));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // `--step-process B C N`: the child that measures our side.
  if (argc == 5 && std::string(argv[1]) == "--step-process") {
    auralflow::cli::use_blas_kernels_for_this_cpu(argv);
    return step_process({std::stoll(argv[2]), std::stoll(argv[3]), std::stoi(argv[4])});
  }
  const auto arguments = bench::parse_arguments(
      argc, argv, 1, {"--batch", "--channels", "--steps", "--baseline-threads"},
      "bench_train_step_vs_original --baselines DIR [--rounds N] [--batch B] [--channels C] "
      "[--steps N] [--baseline-threads N]");
  if (!arguments) return 2;
  const std::string batch = arguments->extra_or("--batch", "8");
  const std::string channels = arguments->extra_or("--channels", "1");
  const std::string steps = arguments->extra_or("--steps", "4");
  const auto script = bench::find_baseline(*arguments, "original_train_step.py", {"torch"});
  if (!script) return 0;

  const std::vector<std::string> ours{std::filesystem::read_symlink("/proc/self/exe").string(),
                                      "--step-process", batch, channels, steps};
  std::vector<std::string> original{bench::kPython, script->string(), "--batch", batch,
                                    "--channels",   channels,         "--steps", steps};
  const std::string baseline_threads = arguments->extra_or("--baseline-threads", "");
  if (!baseline_threads.empty()) original.insert(original.end(), {"--threads", baseline_threads});
  std::cout << "SpectrogramNetSimple training step, batch " << batch << " × " << channels
            << " channel(s) × 513 × 260, " << steps << " steps per process (first is warm-up)\n";
  std::vector<double> our_steps, original_steps, ratios;
  for (int round = 0; round < arguments->rounds; ++round) {
    bench::Run results[2] = {bench::run(ours), bench::run(original)};
    for (const auto& result : results) {
      if (result.status != 0) {
        std::cerr << "a step process failed:\n" << result.output;
        return 1;
      }
    }
    our_steps.push_back(bench::last_number(results[0].output));
    original_steps.push_back(bench::last_number(results[1].output));
    ratios.push_back(original_steps.back() / our_steps.back());
    std::printf("round %d: ours %.3f s/step (%.0f MB), original %.3f s/step (%.0f MB), %.2fx\n",
                round + 1, our_steps.back(), results[0].peak_mb, original_steps.back(),
                results[1].peak_mb, ratios.back());
  }
  const double chunks = std::stod(batch);
  std::printf(
      "median: ours %.3f s/step = %.2f chunks/s, original %.3f s/step = %.2f chunks/s, "
      "ratio %.2fx\n",
      bench::median(our_steps), chunks / bench::median(our_steps), bench::median(original_steps),
      chunks / bench::median(original_steps), bench::median(ratios));
  return 0;
}
