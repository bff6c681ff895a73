#pragma once
// Whole-track correlations of the BSSEval v4 least-squares fit (private): the lags of the
// reference auto-/cross-correlations (the Gram matrix of the delayed references, block
// Toeplitz) and of the reference-estimate cross-correlations (its right-hand sides),
// museval _compute_reference_correlations and _compute_projection_filters. They are computed
// block by block with short FFTs (overlap-save), so memory does not grow with the track.
#include <cstdint>
#include <vector>

#include "signal_set.hpp"

namespace auralflow::metrics::detail {

/// Correlations of P = J*C reference channels x_p and E = J*C estimate channels s_hat_e,
/// p = j*C + c, at lags 0..L-1 (the negative lags follow: r_pq(-k) = r_qp(k)).
struct TrackCorrelations {
  int64_t taps = 0;     // L
  int64_t basis = 0;    // P
  int64_t outputs = 0;  // E
  /// (L, P, P): [k][p][q] = sum_n x_p[n] x_q[n + k]
  std::vector<double> reference_lags;
  /// (L, P, E): [a][p][e] = sum_n x_p[n] s_hat_e[n + a]
  std::vector<double> estimate_lags;
};

/// references, estimates: J signals each, (C, N). Uses LibTorch's intra-op threads.
TrackCorrelations correlate_track(const SignalSet& references, const SignalSet& estimates,
                                  int64_t taps);

}  // namespace auralflow::metrics::detail
