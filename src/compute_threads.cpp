#include "auralflow/compute_threads.hpp"

#include <dlfcn.h>
#include <sched.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "auralflow/error.hpp"

namespace auralflow {
namespace {

// OpenBLAS's thread setter, looked up at run time: LibTorch may use another BLAS.
void set_openblas_threads(int threads) {
  using Setter = void (*)(int);
  if (auto* setter = reinterpret_cast<Setter>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
    setter(threads);
  }
}

int local_world_size() {
  const char* value = std::getenv("LOCAL_WORLD_SIZE");
  if (value == nullptr) return 1;
  try {
    return std::max(1, std::stoi(value));
  } catch (const std::exception&) {
    return 1;
  }
}

}  // namespace

int available_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

int default_compute_threads() { return std::max(1, available_cpus() / local_world_size()); }

int set_compute_threads(int threads) {
  if (threads < 0) throw UsageError("threads must be >= 0, got " + std::to_string(threads));
  const int count = threads > 0 ? threads : default_compute_threads();
  torch::set_num_threads(count);
  set_openblas_threads(1);
  return count;
}

}  // namespace auralflow
