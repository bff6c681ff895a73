#pragma once
// Linear systems with a symmetric block-Toeplitz matrix (private): the normal equations of
// the BSSEval distortion filters. Block Levinson (Whittle-Wiggins-Robinson) recursion,
// O(L^2 P^3 + L^2 P^2 K) operations and O(L P (P + K)) memory instead of a dense
// factorisation of the (L P)^2 matrix.
#include <cstdint>
#include <optional>
#include <vector>

namespace auralflow::metrics::detail {

/// T + diagonal * I, T with L x L blocks of size P x P: block (a, b) = R_{a-b},
/// R_{-k} = R_k^T.
struct BlockToeplitz {
  int64_t order = 0;  // L
  int64_t block = 0;  // P
  /// (L, P, P): [k][p][q] = (R_k)_pq
  std::vector<double> lags;
  double diagonal = 0.0;
};

/// Solves matrix * X = rhs. rhs: (L, P, K) -> X: (L, P, K). nullopt where a dense pivoted
/// solver is needed: when a prediction-error block of the recursion is (numerically)
/// singular, i.e. has a pivot below 1e-10 of R_0's largest diagonal entry (a silent channel,
/// identical or delayed copies of references), or when the residual of X is above rounding
/// level.
std::optional<std::vector<double>> solve_block_toeplitz(const BlockToeplitz& matrix,
                                                        const std::vector<double>& rhs,
                                                        int64_t columns);

/// matrix * x for x: (L, P, K) -> (L, P, K).
std::vector<double> multiply_block_toeplitz(const BlockToeplitz& matrix,
                                            const std::vector<double>& x, int64_t columns);

}  // namespace auralflow::metrics::detail
