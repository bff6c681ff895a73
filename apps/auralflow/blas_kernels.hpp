#pragma once
// OpenBLAS kernels that fit the CPU, for the whole process.
//
// OpenBLAS chooses its kernels once, when it is loaded, from a table of CPU models. The
// OpenBLAS of Debian 12 (0.3.21) has no entry for CPUs newer than it (Intel Sapphire Rapids,
// for one) and falls back to its SSE3 "Prescott" kernels: float matrix products, which LibTorch
// hands to it for every linear and LSTM layer, then run 3-5x slower than with its AVX-512
// kernels (measured on this project's development VM: 12 vs 57 GFLOP/s, 2048² sgemm, 2 threads).
//
// OPENBLAS_CORETYPE names the kernels to use, but it is read before main() runs. So when
// OpenBLAS fell back to Prescott, the user did not set OPENBLAS_CORETYPE, and the CPU has
// AVX-512 (or AVX2 + FMA), the program restarts itself once, at the start of main(), with
// OPENBLAS_CORETYPE=SkylakeX (or Haswell). Set OPENBLAS_CORETYPE yourself to choose otherwise.

namespace auralflow::cli {

/// Restarts the program (execv of /proc/self/exe with the same arguments) when the rule above
/// says so; otherwise returns. A failed restart returns too (the program runs, only slower).
void use_blas_kernels_for_this_cpu(char** argv);

}  // namespace auralflow::cli
