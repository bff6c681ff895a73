// Gradient all-reduce per training step between 2 ranks on 127.0.0.1 (c10d Gloo through
// GradientSync, as `auralflow train --nproc 2` does). The process forks its rank 1; both run
// the same steps on a module of N float parameters, and rank 0 reports the wall time of a step
// (forward, backward with the bucketed all-reduce) minus the same step without the group.
//
//   ./build/bench/bench_distributed [iterations]
// Not a Google Benchmark: both ranks must run exactly the same number of collectives.
#include <sys/wait.h>
#include <torch/torch.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "auralflow/distributed.hpp"

namespace distributed = auralflow::distributed;

namespace {

// One flat parameter of `size` floats, so the step's cost is the gradient's all-reduce.
struct Flat : torch::nn::Module {
  explicit Flat(int64_t size) : weight(register_parameter("weight", torch::zeros({size}))) {}
  torch::Tensor weight;
};

// Mean seconds of one step, with `group` (gradients averaged) or without (nullptr).
double step_seconds(int64_t size, int iterations,
                    const std::shared_ptr<distributed::Group>& group) {
  Flat module(size);
  std::unique_ptr<distributed::GradientSync> sync;
  if (group) sync = std::make_unique<distributed::GradientSync>(group, module);
  const auto input = torch::ones({size});
  double total = 0.0;
  for (int i = -2; i < iterations; ++i) {  // two warm-up steps (the Reducer rebuilds buckets)
    module.zero_grad();
    const auto start = std::chrono::steady_clock::now();
    if (sync) sync->before_forward();
    const auto loss = (module.weight * input).sum();
    if (sync) sync->before_backward();
    loss.backward();
    if (i >= 0)
      total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return total / iterations;
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 10;
  torch::set_num_threads(1);
  distributed::Rendezvous rendezvous;
  rendezvous.world_size = 2;
  rendezvous.master_port = 20000 + getpid() % 20000;
  const pid_t child = fork();
  rendezvous.rank = child == 0 ? 1 : 0;
  const auto group = distributed::Group::connect(rendezvous, torch::kCPU);
  if (group->is_main())
    std::printf("%-28s %12s %14s %14s %10s\n", "gradient", "MB", "step alone ms", "step 2 ranks ms",
                "all-reduce ms");
  // 1 M; the bundled synth-simple (3.9 M); the default SpectrogramNetSimple (15.4 M).
  for (const int64_t size : {int64_t{1'000'000}, int64_t{3'870'000}, int64_t{15'380'000}}) {
    const double alone = group->is_main() ? step_seconds(size, iterations, nullptr) : 0.0;
    const double synced = step_seconds(size, iterations, group);
    if (group->is_main())
      std::printf("%-28lld %12.1f %14.2f %14.2f %10.2f\n", static_cast<long long>(size),
                  static_cast<double>(size) * 4 / 1e6, alone * 1e3, synced * 1e3,
                  (synced - alone) * 1e3);
  }
  if (child != 0) waitpid(child, nullptr, 0);
  return 0;
}
