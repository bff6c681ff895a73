#include "distortion_filters.hpp"

#include <torch/linalg.h>

#include <limits>

#include "correlations.hpp"

namespace auralflow::metrics::detail {
namespace {

/// Rows and columns `first`..`first + count - 1` of every block of `lags` (L, P, P), and of
/// the rows of `rhs` (L, P, K) and its columns [column, column + count).
std::pair<BlockToeplitz, std::vector<double>> sub_system(const BlockToeplitz& gram,
                                                         const std::vector<double>& rhs,
                                                         int64_t columns, int64_t first,
                                                         int64_t count, int64_t column) {
  BlockToeplitz sub{gram.order, count, {}, gram.diagonal};
  std::vector<double> sub_rhs;
  for (int64_t k = 0; k < gram.order; ++k) {
    for (int64_t p = first; p < first + count; ++p) {
      for (int64_t q = first; q < first + count; ++q) {
        sub.lags.push_back(gram.lags[(k * gram.block + p) * gram.block + q]);
      }
      for (int64_t e = column; e < column + count; ++e) {
        sub_rhs.push_back(rhs[(k * gram.block + p) * columns + e]);
      }
    }
  }
  return {sub, sub_rhs};
}

}  // namespace

torch::Tensor dense_gram(const BlockToeplitz& gram) {
  const int64_t taps = gram.order;
  const int64_t basis = gram.block;
  auto dense = torch::empty({basis * taps, basis * taps}, torch::kFloat64);
  auto out = dense.accessor<double, 2>();
  for (int64_t p = 0; p < basis; ++p) {
    for (int64_t a = 0; a < taps; ++a) {
      for (int64_t q = 0; q < basis; ++q) {
        for (int64_t b = 0; b < taps; ++b) {
          out[p * taps + a][q * taps + b] = a >= b ? gram.lags[((a - b) * basis + p) * basis + q]
                                                   : gram.lags[((b - a) * basis + q) * basis + p];
        }
      }
    }
  }
  return dense;
}

torch::Tensor solve_regularized(const torch::Tensor& gram, const torch::Tensor& rhs) {
  auto loaded = gram.clone();
  loaded.diagonal().add_(std::numeric_limits<double>::epsilon());
  auto [solution, info] = torch::linalg_solve_ex(loaded, rhs);
  if (info.item<int64_t>() == 0) return solution;
  return std::get<0>(torch::linalg_lstsq(gram, rhs, /*rcond=*/{}, "gelsd"));
}

std::vector<double> solve_gram(const BlockToeplitz& gram, const std::vector<double>& rhs,
                               int64_t columns) {
  BlockToeplitz loaded = gram;
  loaded.diagonal = std::numeric_limits<double>::epsilon();
  if (auto solution = solve_block_toeplitz(loaded, rhs, columns)) return *solution;
  const int64_t taps = gram.order;
  const int64_t basis = gram.block;
  // (L, P, K) -> (P, L, K) -> (P*L, K) and back
  const auto dense_rhs =
      torch::from_blob(const_cast<double*>(rhs.data()), {taps, basis, columns}, torch::kFloat64)
          .permute({1, 0, 2})
          .reshape({basis * taps, columns});
  const auto solution = solve_regularized(dense_gram(gram), dense_rhs)
                            .view({basis, taps, columns})
                            .permute({1, 0, 2})
                            .contiguous();
  return {solution.data_ptr<double>(), solution.data_ptr<double>() + solution.numel()};
}

DistortionFilters fit_distortion_filters(const SignalSet& references, const SignalSet& estimates,
                                         int64_t taps) {
  const int64_t stems = references.count();
  const int64_t channels = references.channels();
  const int64_t basis = stems * channels;
  auto correlations = correlate_track(references, estimates, taps);
  const BlockToeplitz gram{taps, basis, std::move(correlations.reference_lags), 0.0};
  const auto& rhs = correlations.estimate_lags;  // (L, P, E)

  DistortionFilters filters;
  auto full = solve_gram(gram, rhs, basis);  // (L, P, E): [a][p][j*C + c]
  // (L, P, J, C) -> (J, P, C, L)
  filters.full = torch::from_blob(full.data(), {taps, basis, stems, channels}, torch::kFloat64)
                     .permute({2, 1, 3, 0})
                     .contiguous();
  filters.own = torch::empty({stems, channels, channels, taps}, torch::kFloat64);
  for (int64_t j = 0; j < stems; ++j) {
    const auto [own_gram, own_rhs] =
        sub_system(gram, rhs, basis, j * channels, channels, j * channels);
    auto own = solve_gram(own_gram, own_rhs, channels);  // (L, C', C)
    // (L, C', C) -> (C', C, L)
    filters.own[j].copy_(torch::from_blob(own.data(), {taps, channels, channels}, torch::kFloat64)
                             .permute({1, 2, 0}));
  }
  return filters;
}

}  // namespace auralflow::metrics::detail
