#include "blas_kernels.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace auralflow::cli {
namespace {

// The kernels OpenBLAS uses, when the BLAS loaded is OpenBLAS; nullptr otherwise.
const char* openblas_core_name() {
  using CoreName = char* (*)();
  const auto get = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  return get == nullptr ? nullptr : get();
}

// The OpenBLAS core type for this CPU's vector instructions; nullptr when SSE is all it has.
const char* core_type_for_this_cpu() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
  return nullptr;
}

}  // namespace

void use_blas_kernels_for_this_cpu(char** argv) {
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return;  // the user's (or our own) choice
  const char* core = openblas_core_name();
  if (core == nullptr || std::strcmp(core, "Prescott") != 0) return;
  const char* better = core_type_for_this_cpu();
  if (better == nullptr) return;
  setenv("OPENBLAS_CORETYPE", better, 1);
  execv("/proc/self/exe", argv);
}

}  // namespace auralflow::cli
