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

/// c (P, K) += a (P, P) * b (P, K), or a^T * b when `transpose_a`.
void multiply_add(const double* a, const double* b, double* c, int64_t size, int64_t columns,
                  bool transpose_a = false, double scale = 1.0) {
  for (int64_t p = 0; p < size; ++p) {
    for (int64_t r = 0; r < size; ++r) {
      const double factor = scale * (transpose_a ? a[r * size + p] : a[p * size + r]);
      const double* row = b + r * columns;
      double* out = c + p * columns;
      for (int64_t k = 0; k < columns; ++k) out[k] += factor * row[k];
    }
  }
}

/// LU factorisation with partial pivoting of a P x P matrix, to solve with it repeatedly.
class SmallLu {
 public:
  /// False when a pivot is exactly 0.
  bool factor(const double* matrix, int64_t size) {
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
      if (pivot == 0.0) return false;
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
    for (int64_t i = 0; i < size_; ++i) {
      if (pivots_[i] != i) {
        std::swap_ranges(out + i * columns, out + (i + 1) * columns, out + pivots_[i] * columns);
      }
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
  const int64_t size = matrix.block;
  const int64_t stride = size * columns;
  std::vector<double> out(x.size(), 0.0);
  for (int64_t a = 0; a < matrix.order; ++a) {
    double* row = out.data() + a * stride;
    for (int64_t b = 0; b < matrix.order; ++b) {
      const bool lower = b <= a;
      multiply_add(matrix.lags.data() + (lower ? a - b : b - a) * size * size,
                   x.data() + b * stride, row, size, columns, !lower);
    }
    for (int64_t i = 0; i < stride; ++i) row[i] += matrix.diagonal * x[a * stride + i];
  }
  return out;
}

std::optional<std::vector<double>> solve_block_toeplitz(const BlockToeplitz& matrix,
                                                        const std::vector<double>& rhs,
                                                        int64_t columns) {
  const int64_t order = matrix.order;
  const int64_t size = matrix.block;
  const int64_t square = size * size;
  const int64_t stride = size * columns;
  const auto lag = [&](int64_t k) { return matrix.lags.data() + k * square; };

  // Forward predictor F (blocks F_0 = I, F_1..F_n) and backward predictor B (B_0..B_n = I)
  // of the leading n + 1 block rows: T_{n+1} F = [E_f; 0; ...], T_{n+1} B = [...; 0; E_b].
  std::vector<double> forward(order * square, 0.0);
  std::vector<double> backward(order * square, 0.0);
  std::vector<double> forward_error(lag(0), lag(0) + square);
  for (int64_t p = 0; p < size; ++p) {
    forward[p * size + p] = 1.0;
    backward[p * size + p] = 1.0;
    forward_error[p * size + p] += matrix.diagonal;
  }
  std::vector<double> backward_error = forward_error;
  SmallLu forward_lu;
  SmallLu backward_lu;
  if (!backward_lu.factor(backward_error.data(), size)) return std::nullopt;

  std::vector<double> x(order * stride, 0.0);
  backward_lu.solve(rhs.data(), x.data(), columns);
  std::vector<double> delta_f(square), delta_b(square), gain_f(square), gain_b(square);
  std::vector<double> mismatch(stride), weight(stride), next(square);
  for (int64_t n = 1; n < order; ++n) {
    // delta_f = sum_i R_{n-i} F_i, delta_b = sum_i R_{i+1}^T B_i
    std::fill(delta_f.begin(), delta_f.end(), 0.0);
    std::fill(delta_b.begin(), delta_b.end(), 0.0);
    for (int64_t i = 0; i < n; ++i) {
      multiply_add(lag(n - i), forward.data() + i * square, delta_f.data(), size, size);
      multiply_add(lag(i + 1), backward.data() + i * square, delta_b.data(), size, size, true);
    }
    if (!forward_lu.factor(forward_error.data(), size)) return std::nullopt;
    backward_lu.solve(delta_f.data(), gain_f.data(), size);  // E_b^-1 delta_f
    forward_lu.solve(delta_b.data(), gain_b.data(), size);   // E_f^-1 delta_b
    // F_i -= B_{i-1} gain_f, B_i = B_{i-1} - F_i gain_b, from the top so that the old
    // values are read before they are replaced.
    std::fill(forward.begin() + n * square, forward.begin() + (n + 1) * square, 0.0);
    multiply_add(backward.data() + (n - 1) * square, gain_f.data(), forward.data() + n * square,
                 size, size, false, -1.0);
    for (int64_t i = n; i >= 1; --i) {
      double* b = backward.data() + i * square;
      std::copy(b - square, b, next.begin());  // B_{i-1}
      if (i < n) {
        multiply_add(forward.data() + i * square, gain_b.data(), next.data(), size, size, false,
                     -1.0);
        multiply_add(b - square, gain_f.data(), forward.data() + i * square, size, size, false,
                     -1.0);
      }
      std::copy(next.begin(), next.end(), b);
    }
    std::fill(backward.begin(), backward.begin() + square, 0.0);
    multiply_add(gain_b.data(), forward.data(), backward.data(), size, size, false, -1.0);
    // E_f -= delta_b gain_f, E_b -= delta_f gain_b
    multiply_add(delta_b.data(), gain_f.data(), forward_error.data(), size, size, false, -1.0);
    multiply_add(delta_f.data(), gain_b.data(), backward_error.data(), size, size, false, -1.0);
    if (!backward_lu.factor(backward_error.data(), size)) return std::nullopt;

    // x += B E_b^-1 (y_n - sum_i R_{n-i} x_i)
    std::copy(rhs.begin() + n * stride, rhs.begin() + (n + 1) * stride, mismatch.begin());
    for (int64_t i = 0; i < n; ++i) {
      multiply_add(lag(n - i), x.data() + i * stride, mismatch.data(), size, columns, false, -1.0);
    }
    backward_lu.solve(mismatch.data(), weight.data(), columns);
    for (int64_t i = 0; i <= n; ++i) {
      multiply_add(backward.data() + i * square, weight.data(), x.data() + i * stride, size,
                   columns);
    }
  }

  auto residual = multiply_block_toeplitz(matrix, x, columns);
  for (size_t i = 0; i < residual.size(); ++i) residual[i] -= rhs[i];
  const double scale =
      frobenius_norm(matrix) * std::sqrt(squared_norm(x)) + std::sqrt(squared_norm(rhs));
  const double error = std::sqrt(squared_norm(residual));
  if (!(error <= kResidualTolerance * scale)) return std::nullopt;
  return x;
}

}  // namespace auralflow::metrics::detail
