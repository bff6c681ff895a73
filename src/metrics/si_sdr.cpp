// SI-SDR (Le Roux et al., ICASSP 2019; no mean removal, no epsilon) and global SDR
// (MDX Challenge 2021), docs/bsseval.md sections 5 and 6. Sums run over the samples in
// float64, read a chunk at a time, so no whole-track copy is made.
#include <array>
#include <cmath>
#include <limits>

#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"
#include "numerics.hpp"
#include "signal_set.hpp"

namespace auralflow::metrics {
namespace {

using detail::SignalSet;

constexpr int64_t kChunk = 4096;

/// Signal 0: the estimate, signal 1: the reference, both (channels, samples): a 1-D pair
/// becomes one channel, other shapes are flattened to one channel.
SignalSet prepare(const torch::Tensor& estimate, const torch::Tensor& reference,
                  const char* function, bool by_channel = false) {
  if (estimate.sizes() != reference.sizes()) {
    throw Error(std::string(function) + ": estimate and reference must have the same shape");
  }
  if (!estimate.is_floating_point() || !reference.is_floating_point()) {
    throw Error(std::string(function) + ": expected floating-point tensors");
  }
  if (by_channel) return SignalSet({estimate, reference});
  return SignalSet({estimate.reshape({1, -1}), reference.reshape({1, -1})});
}

/// Calls visit(estimate, reference, count) on consecutive float64 chunks of channels
/// [first, last) of the pair.
template <typename Visit>
void for_each_chunk(const SignalSet& pair, int64_t first, int64_t last, Visit visit) {
  std::array<double, kChunk> estimate{};
  std::array<double, kChunk> reference{};
  for (int64_t c = first; c < last; ++c) {
    for (int64_t begin = 0; begin < pair.samples(); begin += kChunk) {
      const int64_t end = std::min(pair.samples(), begin + kChunk);
      pair.read(0, c, begin, end, estimate.data());
      pair.read(1, c, begin, end, reference.data());
      visit(estimate.data(), reference.data(), end - begin);
    }
  }
}

/// SI-SDR over channels [first, last) with one scale. <s_hat, s> and |s|^2 are summed the
/// same way, so a bit-exact copy gets alpha = 1 and +inf.
double si_sdr_of(const SignalSet& pair, int64_t first, int64_t last) {
  double reference_energy = 0.0;
  double product = 0.0;
  for_each_chunk(pair, first, last,
                 [&](const double* estimate, const double* reference, int64_t count) {
                   for (int64_t n = 0; n < count; ++n) {
                     reference_energy += reference[n] * reference[n];
                     product += estimate[n] * reference[n];
                   }
                 });
  if (reference_energy == 0.0) return std::numeric_limits<double>::quiet_NaN();
  const double alpha = product / reference_energy;
  double target_energy = 0.0;
  double residual_energy = 0.0;
  for_each_chunk(pair, first, last,
                 [&](const double* estimate, const double* reference, int64_t count) {
                   for (int64_t n = 0; n < count; ++n) {
                     const double target = alpha * reference[n];
                     target_energy += target * target;
                     residual_energy += (estimate[n] - target) * (estimate[n] - target);
                   }
                 });
  // all-zero estimate: 0/0, reported as -inf (worst possible)
  if (target_energy == 0.0 && residual_energy == 0.0) {
    return -std::numeric_limits<double>::infinity();
  }
  return detail::safe_db(target_energy, residual_energy);
}

}  // namespace

double si_sdr(const torch::Tensor& estimate, const torch::Tensor& reference) {
  return si_sdr_of(prepare(estimate, reference, "si_sdr"), 0, 1);
}

std::vector<double> si_sdr_per_channel(const torch::Tensor& estimate,
                                       const torch::Tensor& reference) {
  if (reference.dim() != 2) throw Error("si_sdr_per_channel: expected (channels, samples)");
  const auto pair = prepare(estimate, reference, "si_sdr_per_channel", true);
  std::vector<double> values;
  for (int64_t c = 0; c < pair.channels(); ++c) values.push_back(si_sdr_of(pair, c, c + 1));
  return values;
}

double global_sdr(const torch::Tensor& estimate, const torch::Tensor& reference, double delta) {
  const auto pair = prepare(estimate, reference, "global_sdr");
  double reference_energy = 0.0;
  double error_energy = 0.0;
  for_each_chunk(pair, 0, 1, [&](const double* estimate, const double* reference, int64_t count) {
    for (int64_t n = 0; n < count; ++n) {
      reference_energy += reference[n] * reference[n];
      error_energy += (reference[n] - estimate[n]) * (reference[n] - estimate[n]);
    }
  });
  return 10.0 * std::log10((reference_energy + delta) / (error_energy + delta));
}

}  // namespace auralflow::metrics
