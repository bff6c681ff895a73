#pragma once
// BSSEval v4 distortion filters (private): time-invariant FIR filters fitted once per call
// on the whole track by least squares (museval _compute_reference_correlations and
// _compute_projection_filters, docs/bsseval.md section 3).
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace auralflow::metrics::detail {

/// Filters of J stems with C channels; P = J*C basis channels p = j*C + c.
struct DistortionFilters {
  /// (J, P, C, L): tap a of the FIR from basis channel p to output channel c that projects
  /// estimate j on all references of the call.
  torch::Tensor full;
  /// (J, C, C, L): [j][c'][c][a], tap a from channel c' of reference j to output channel c
  /// that projects estimate j on reference j only.
  torch::Tensor own;
};

/// references[j], estimates[j]: (C, N), the same shape; taps = L.
DistortionFilters fit_distortion_filters(const std::vector<torch::Tensor>& references,
                                         const std::vector<torch::Tensor>& estimates, int64_t taps);

/// Solves (gram + eps I) x = rhs, eps = 2^-52, by LU with partial pivoting (LAPACK gesv, as
/// numpy.linalg.solve); if a pivot is exactly 0, falls back to the minimum-norm least-squares
/// solution of gram x = rhs (as museval). gram: (n, n) float64, rhs: (n, k) -> (n, k).
torch::Tensor solve_regularized(const torch::Tensor& gram, const torch::Tensor& rhs);

}  // namespace auralflow::metrics::detail
