#include "block_toeplitz.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace auralflow::metrics::detail {
namespace {

/// Largest accepted |matrix * X - rhs|_F / (|matrix|_F |X|_F + |rhs|_F). A backward-stable
/// dense solver reaches ~1e-16 on these systems; the recursion does too unless the matrix is
/// (numerically) singular, where it is orders of magnitude off.
constexpr double kResidualTolerance = 1e-12;

/// Smallest accepted pivot of the prediction-error blocks E_f, E_b, relative to the largest
/// diagonal entry of R_0. A smaller one means a (numerically) singular leading section:
/// the recursion may still reach a small residual there, but its solution then differs
/// from the dense pivoted one by more than rounding, in the projections too (a reference
/// that is a delayed copy of another, `12_delayed_reference`: 1e-3 dB, with pivots of
/// 2e-14). Well-posed Gram matrices of 16-bit audio stay above 1e-9.
constexpr double kPivotFloor = 1e-10;

/// sum_i a[i] b[i], in four interleaved partial sums (which the compiler can vectorise;
/// one running sum it may not reorder).
double dot(const double* a, const double* b, int64_t size) {
  double sums[4] = {0.0, 0.0, 0.0, 0.0};
  int64_t i = 0;
  for (; i + 4 <= size; i += 4) {
    for (int64_t lane = 0; lane < 4; ++lane) sums[lane] += a[i + lane] * b[i + lane];
  }
  for (; i < size; ++i) sums[0] += a[i] * b[i];
  return (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

/// y += alpha * x
void axpy(double alpha, const double* x, double* y, int64_t size) {
  for (int64_t i = 0; i < size; ++i) y[i] += alpha * x[i];
}

/// The blocks of a BlockToeplitz laid out so that every sum over blocks in the recursion is
/// one dot product of contiguous rows of width L*P:
///   reversed[p][m*P + r] = R_{L-1-m}[p][r],  transposed[p][m*P + r] = R_m[r][p].
/// A block vector v (L, P, K) is held the same way, as K rows: v[k][(i, r)].
class LagRows {
 public:
  explicit LagRows(const BlockToeplitz& matrix)
      : order_(matrix.order),
        size_(matrix.block),
        reversed_(size_ * width()),
        transposed_(size_ * width()) {
    for (int64_t m = 0; m < order_; ++m) {
      const double* lag = matrix.lags.data() + m * size_ * size_;
      const double* mirrored = matrix.lags.data() + (order_ - 1 - m) * size_ * size_;
      for (int64_t p = 0; p < size_; ++p) {
        for (int64_t r = 0; r < size_; ++r) {
          reversed_[p * width() + m * size_ + r] = mirrored[p * size_ + r];
          transposed_[p * width() + m * size_ + r] = lag[r * size_ + p];
        }
      }
    }
  }

  int64_t width() const { return order_ * size_; }

  /// sum_{i < count} sum_r R_{top-i}[p][r] row[(i, r)]
  double down_from(int64_t top, int64_t p, const double* row, int64_t count) const {
    return dot(reversed_.data() + p * width() + (order_ - 1 - top) * size_, row, count * size_);
  }

  /// sum_{i < count} sum_r R_{first+i}[r][p] row[(i, r)], i.e. with R^T
  double transposed_up_from(int64_t first, int64_t p, const double* row, int64_t count) const {
    return dot(transposed_.data() + p * width() + first * size_, row, count * size_);
  }

 private:
  int64_t order_;
  int64_t size_;
  std::vector<double> reversed_;
  std::vector<double> transposed_;
};

/// (L, P, K) -> K rows of width L*P, and back.
std::vector<double> to_rows(const std::vector<double>& blocks, int64_t columns) {
  const auto width = static_cast<int64_t>(blocks.size()) / columns;
  std::vector<double> rows(blocks.size());
  for (int64_t i = 0; i < width; ++i) {
    for (int64_t k = 0; k < columns; ++k) rows[k * width + i] = blocks[i * columns + k];
  }
  return rows;
}

std::vector<double> from_rows(const std::vector<double>& rows, int64_t columns) {
  const auto width = static_cast<int64_t>(rows.size()) / columns;
  std::vector<double> blocks(rows.size());
  for (int64_t i = 0; i < width; ++i) {
    for (int64_t k = 0; k < columns; ++k) blocks[i * columns + k] = rows[k * width + i];
  }
  return blocks;
}

/// (matrix x) as K rows, x as K rows (see LagRows).
std::vector<double> multiply_rows(const BlockToeplitz& matrix, const LagRows& lags,
                                  const std::vector<double>& x, int64_t columns) {
  const int64_t order = matrix.order;
  const int64_t size = matrix.block;
  const int64_t width = lags.width();
  std::vector<double> out(x.size());
  for (int64_t k = 0; k < columns; ++k) {
    const double* row = x.data() + k * width;
    for (int64_t a = 0; a < order; ++a) {
      for (int64_t p = 0; p < size; ++p) {
        // blocks b <= a: R_{a-b}; blocks b > a: R_{b-a}^T
        out[k * width + a * size + p] =
            lags.down_from(a, p, row, a + 1) +
            lags.transposed_up_from(1, p, row + (a + 1) * size, order - 1 - a) +
            matrix.diagonal * row[a * size + p];
      }
    }
  }
  return out;
}

/// LU factorisation with partial pivoting of a P x P matrix, to solve with it repeatedly.
class SmallLu {
 public:
  /// False when a pivot is at most `floor` in magnitude.
  bool factor(const double* matrix, int64_t size, double floor) {
    size_ = size;
    lu_.assign(matrix, matrix + size * size);
    pivots_.resize(size);
    for (int64_t i = 0; i < size; ++i) {
      int64_t best = i;
      for (int64_t r = i + 1; r < size; ++r) {
        if (std::abs(lu_[r * size + i]) > std::abs(lu_[best * size + i])) best = r;
      }
      pivots_[i] = best;
      if (best != i) {
        std::swap_ranges(lu_.begin() + i * size, lu_.begin() + (i + 1) * size,
                         lu_.begin() + best * size);
      }
      const double pivot = lu_[i * size + i];
      if (!(std::abs(pivot) > floor)) return false;

      for (int64_t r = i + 1; r < size; ++r) {
        const double factor = lu_[r * size + i] / pivot;
        lu_[r * size + i] = factor;
        for (int64_t c = i + 1; c < size; ++c) lu_[r * size + c] -= factor * lu_[i * size + c];
      }
    }
    return true;
  }

  /// out (P, K) = matrix^-1 * rhs (P, K).
  void solve(const double* rhs, double* out, int64_t columns) const {
    std::copy(rhs, rhs + size_ * columns, out);
    // the row swaps moved the stored multipliers too: apply them all before eliminating
    for (int64_t i = 0; i < size_; ++i) {
      if (pivots_[i] != i) {
        std::swap_ranges(out + i * columns, out + (i + 1) * columns, out + pivots_[i] * columns);
      }
    }
    for (int64_t i = 0; i < size_; ++i) {
      for (int64_t r = i + 1; r < size_; ++r) {
        const double factor = lu_[r * size_ + i];
        for (int64_t k = 0; k < columns; ++k) out[r * columns + k] -= factor * out[i * columns + k];
      }
    }
    for (int64_t i = size_ - 1; i >= 0; --i) {
      for (int64_t c = i + 1; c < size_; ++c) {
        const double factor = lu_[i * size_ + c];
        for (int64_t k = 0; k < columns; ++k) out[i * columns + k] -= factor * out[c * columns + k];
      }
      const double pivot = lu_[i * size_ + i];
      for (int64_t k = 0; k < columns; ++k) out[i * columns + k] /= pivot;
    }
  }

 private:
  int64_t size_ = 0;
  std::vector<double> lu_;
  std::vector<int64_t> pivots_;
};

double squared_norm(const std::vector<double>& values) {
  return std::inner_product(values.begin(), values.end(), values.begin(), 0.0);
}

/// |matrix|_F: every R_k (k != 0) appears L - |k| times above and as many times below the
/// diagonal.
double frobenius_norm(const BlockToeplitz& matrix) {
  const int64_t size = matrix.block * matrix.block;
  double sum = 0.0;
  for (int64_t k = 0; k < matrix.order; ++k) {
    const double* lag = matrix.lags.data() + k * size;
    double block = 0.0;
    for (int64_t i = 0; i < size; ++i) {
      const bool diagonal = k == 0 && i % (matrix.block + 1) == 0;
      const double value = lag[i] + (diagonal ? matrix.diagonal : 0.0);
      block += value * value;
    }
    sum += static_cast<double>(matrix.order - k) * block * (k == 0 ? 1.0 : 2.0);
  }
  return std::sqrt(sum);
}

}  // namespace

std::vector<double> multiply_block_toeplitz(const BlockToeplitz& matrix,
                                            const std::vector<double>& x, int64_t columns) {
  return from_rows(multiply_rows(matrix, LagRows(matrix), to_rows(x, columns), columns), columns);
}

std::optional<std::vector<double>> solve_block_toeplitz(const BlockToeplitz& matrix,
                                                        const std::vector<double>& rhs,
                                                        int64_t columns) {
  const int64_t order = matrix.order;
  const int64_t size = matrix.block;
  const int64_t square = size * size;
  const LagRows lags(matrix);
  const int64_t width = lags.width();

  // Forward predictor F (blocks F_0 = I, F_1..F_n) and backward predictor B (B_0..B_n = I)
  // of the leading n + 1 block rows, T_{n+1} F = [E_f; 0; ...], T_{n+1} B = [...; 0; E_b],
  // held as P rows each (F^T, B^T: forward[q][(i, r)] = F_i[r][q]); the solution x likewise.
  std::vector<double> forward(size * width, 0.0), next_forward(size * width, 0.0);
  std::vector<double> backward(size * width, 0.0), next_backward(size * width, 0.0);
  std::vector<double> forward_error(matrix.lags.begin(), matrix.lags.begin() + square);
  for (int64_t p = 0; p < size; ++p) {
    forward[p * width + p] = 1.0;
    backward[p * width + p] = 1.0;
    forward_error[p * size + p] += matrix.diagonal;
  }
  std::vector<double> backward_error = forward_error;
  double largest = 0.0;
  for (int64_t p = 0; p < size; ++p) largest = std::max(largest, forward_error[p * size + p]);
  const double floor = kPivotFloor * largest;
  SmallLu forward_lu;
  SmallLu backward_lu;
  if (!backward_lu.factor(backward_error.data(), size, floor)) return std::nullopt;

  const auto y = to_rows(rhs, columns);
  std::vector<double> x(columns * width, 0.0);
  std::vector<double> delta_f(square), delta_b(square), gain_f(square), gain_b(square);
  std::vector<double> mismatch(size * columns), weight(size * columns);
  const auto solve_block = [&](int64_t n) {
    // x += B E_b^-1 (y_n - sum_{i<n} R_{n-i} x_i)
    for (int64_t p = 0; p < size; ++p) {
      for (int64_t k = 0; k < columns; ++k) {
        mismatch[p * columns + k] =
            y[k * width + n * size + p] - lags.down_from(n, p, x.data() + k * width, n);
      }
    }
    backward_lu.solve(mismatch.data(), weight.data(), columns);
    for (int64_t k = 0; k < columns; ++k) {
      for (int64_t s = 0; s < size; ++s) {
        axpy(weight[s * columns + k], backward.data() + s * width, x.data() + k * width,
             (n + 1) * size);
      }
    }
  };
  solve_block(0);
  for (int64_t n = 1; n < order; ++n) {
    // delta_f = sum_{i<n} R_{n-i} F_i, delta_b = sum_{i<n} R_{i+1}^T B_i
    for (int64_t p = 0; p < size; ++p) {
      for (int64_t q = 0; q < size; ++q) {
        delta_f[p * size + q] = lags.down_from(n, p, forward.data() + q * width, n);
        delta_b[p * size + q] = lags.transposed_up_from(1, p, backward.data() + q * width, n);
      }
    }
    if (!forward_lu.factor(forward_error.data(), size, floor)) return std::nullopt;
    backward_lu.solve(delta_f.data(), gain_f.data(), size);  // E_b^-1 delta_f
    forward_lu.solve(delta_b.data(), gain_b.data(), size);   // E_f^-1 delta_b
    // F_i -= B_{i-1} gain_f (i = 1..n), B_i = B_{i-1} - F_i gain_b (i = 0..n, B_{-1} = 0)
    for (int64_t q = 0; q < size; ++q) {
      double* f = next_forward.data() + q * width;
      double* b = next_backward.data() + q * width;
      std::copy(forward.begin() + q * width, forward.begin() + q * width + (n + 1) * size, f);
      std::fill(b, b + size, 0.0);
      std::copy(backward.begin() + q * width, backward.begin() + q * width + n * size, b + size);
      for (int64_t s = 0; s < size; ++s) {
        axpy(-gain_f[s * size + q], backward.data() + s * width, f + size, n * size);
        axpy(-gain_b[s * size + q], forward.data() + s * width, b, (n + 1) * size);
      }
    }
    forward.swap(next_forward);
    backward.swap(next_backward);
    // E_f -= delta_b gain_f, E_b -= delta_f gain_b
    for (int64_t p = 0; p < size; ++p) {
      for (int64_t q = 0; q < size; ++q) {
        for (int64_t s = 0; s < size; ++s) {
          forward_error[p * size + q] -= delta_b[p * size + s] * gain_f[s * size + q];
          backward_error[p * size + q] -= delta_f[p * size + s] * gain_b[s * size + q];
        }
      }
    }
    if (!backward_lu.factor(backward_error.data(), size, floor)) return std::nullopt;
    solve_block(n);
  }

  auto residual = multiply_rows(matrix, lags, x, columns);
  for (size_t i = 0; i < residual.size(); ++i) residual[i] -= y[i];
  const double scale =
      frobenius_norm(matrix) * std::sqrt(squared_norm(x)) + std::sqrt(squared_norm(y));
  const double error = std::sqrt(squared_norm(residual));
  if (!(error <= kResidualTolerance * scale)) return std::nullopt;
  return from_rows(x, columns);
}

}  // namespace auralflow::metrics::detail
