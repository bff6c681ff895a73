#pragma once
// Enables CUDA autocast (float16) for a scope, on every LibTorch version we build with.
#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace auralflow::detail {

class CudaAutocastGuard {
 public:
  explicit CudaAutocastGuard(bool enabled) : enabled_(enabled) {
    if (enabled_) set(true);
  }
  ~CudaAutocastGuard() {
    if (enabled_) {
      set(false);
      at::autocast::clear_cache();
    }
  }
  CudaAutocastGuard(const CudaAutocastGuard&) = delete;
  CudaAutocastGuard& operator=(const CudaAutocastGuard&) = delete;

 private:
  static void set(bool on) {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(at::kCUDA, on);
#else
    at::autocast::set_enabled(on);
#endif
  }
  bool enabled_;
};

}  // namespace auralflow::detail
