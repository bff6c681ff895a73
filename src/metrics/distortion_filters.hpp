#pragma once
// BSSEval v4 distortion filters (private): time-invariant FIR filters fitted once per call
// on the whole track by least squares (museval _compute_reference_correlations and
// _compute_projection_filters, docs/bsseval.md section 3).
#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "block_toeplitz.hpp"
#include "signal_set.hpp"

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

/// references, estimates: J stems each, (C, N); taps = L. One Gram matrix (of all
/// references) serves every estimate, one of reference j the own projection of estimate j.
DistortionFilters fit_distortion_filters(const SignalSet& references, const SignalSet& estimates,
                                         int64_t taps);

/// Solves (gram + eps I) x = rhs, eps = 2^-52, by LU with partial pivoting (LAPACK gesv, as
/// numpy.linalg.solve); if a pivot is exactly 0, falls back to the minimum-norm least-squares
/// solution of gram x = rhs (as museval). gram: (n, n) float64, rhs: (n, k) -> (n, k).
torch::Tensor solve_regularized(const torch::Tensor& gram, const torch::Tensor& rhs);

/// A block-Toeplitz gram as a dense (P*L, P*L) matrix in museval's order: row (p, a) =
/// p * L + a, G[(p, a), (q, b)] = R_{a-b}[p][q].
torch::Tensor dense_gram(const BlockToeplitz& gram);

/// The same system for a block-Toeplitz gram (lags of a BlockToeplitz with diagonal 0):
/// the block Levinson recursion, or solve_regularized on the dense matrix where the
/// recursion fails (singular or nearly singular Gram matrices: a silent channel of a
/// reference, identical or delayed copies of references). rhs: (L, P, K) -> (L, P, K).
std::vector<double> solve_gram(const BlockToeplitz& gram, const std::vector<double>& rhs,
                               int64_t columns);

}  // namespace auralflow::metrics::detail
