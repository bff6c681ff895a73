#pragma once
/// @file
/// How many threads LibTorch computes with. The default is one OpenMP team as large as the
/// CPUs this process may use (shared between the ranks of a local distributed job), and BLAS
/// kept from starting a second team of its own on top of it: two teams on the same cores spin
/// and yield against each other instead of computing.
///
/// @code
///   set_compute_threads(0);  // every CPU this process may use
///   set_compute_threads(4);  // exactly 4
/// @endcode
namespace auralflow {

/// CPUs this process may run on: its affinity mask, at least 1.
int available_cpus();

/// The default thread count: available_cpus() divided among the processes of a local job
/// (LOCAL_WORLD_SIZE when set), at least 1.
int default_compute_threads();

/// Sets LibTorch's intra-op threads to `threads` (0: default_compute_threads()) and OpenBLAS,
/// when LibTorch uses it, to one thread: LibTorch calls BLAS from inside its own parallel
/// loops, where BLAS threads of their own would only compete for the same cores. Returns the
/// thread count set.
int set_compute_threads(int threads);

}  // namespace auralflow
