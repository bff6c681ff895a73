#include "auralflow/version.hpp"

#include <torch/cuda.h>
#include <torch/version.h>

namespace auralflow {

std::string version() { return AURALFLOW_VERSION; }

std::string build_info() {
  return "auralflow " + version() + " (LibTorch " + TORCH_VERSION + ", " +
         (torch::cuda::is_available() ? "CUDA available" : "CPU only") + ")";
}

}  // namespace auralflow
