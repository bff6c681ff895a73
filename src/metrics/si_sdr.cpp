// SI-SDR (Le Roux et al., ICASSP 2019; no mean removal, no epsilon) and global SDR
// (MDX Challenge 2021), docs/bsseval.md sections 5 and 6. Sums run over the samples in
// float64, read a chunk at a time, so no whole-track copy is made.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"
#include "numerics.hpp"
#include "signal_ratios.hpp"

namespace auralflow::metrics {
namespace detail {
namespace {

constexpr int64_t kChunk = 4096;

/// Calls visit(channel, estimate, reference, count) on consecutive float64 chunks of every
/// channel of the pair, channels in order.
template <typename Visit>
void for_each_chunk(const SignalSet& pair, Visit visit) {
  std::array<double, kChunk> estimate{};
  std::array<double, kChunk> reference{};
  for (int64_t c = 0; c < pair.channels(); ++c) {
    for (int64_t begin = 0; begin < pair.samples(); begin += kChunk) {
      const int64_t end = std::min(pair.samples(), begin + kChunk);
      pair.read(0, c, begin, end, estimate.data());
      pair.read(1, c, begin, end, reference.data());
      visit(c, estimate.data(), reference.data(), end - begin);
    }
  }
}

/// The sums of one SI-SDR: <s_hat, s> and |s|^2, then |a s|^2 and |s_hat - a s|^2.
struct ScaleSums {
  double reference_energy = 0.0;
  double product = 0.0;
  double target_energy = 0.0;
  double residual_energy = 0.0;

  double alpha() const { return product / reference_energy; }
  void add_projection(double estimate, double reference, double alpha) {
    const double target = alpha * reference;
    target_energy += target * target;
    residual_energy += (estimate - target) * (estimate - target);
  }
  // <s_hat, s> and |s|^2 are summed the same way, so a bit-exact copy gets alpha = 1 and +inf.
  double si_sdr() const {
    if (reference_energy == 0.0) return std::numeric_limits<double>::quiet_NaN();
    // all-zero estimate: 0/0, reported as -inf (worst possible)
    if (target_energy == 0.0 && residual_energy == 0.0) {
      return -std::numeric_limits<double>::infinity();
    }
    return safe_db(target_energy, residual_energy);
  }
};

}  // namespace

SignalRatios signal_ratios(const SignalSet& pair, double delta) {
  // Each sum runs over its samples in order (channel by channel for the shared ones), the
  // order the single-metric definitions imply.
  ScaleSums shared;
  std::vector<ScaleSums> channels(static_cast<size_t>(pair.channels()));
  double error_energy = 0.0;
  for_each_chunk(pair,
                 [&](int64_t c, const double* estimate, const double* reference, int64_t count) {
                   auto& own = channels[static_cast<size_t>(c)];
                   for (int64_t n = 0; n < count; ++n) {
                     const double energy = reference[n] * reference[n];
                     const double product = estimate[n] * reference[n];
                     shared.reference_energy += energy;
                     shared.product += product;
                     own.reference_energy += energy;
                     own.product += product;
                     error_energy += (reference[n] - estimate[n]) * (reference[n] - estimate[n]);
                   }
                 });
  const double shared_alpha = shared.alpha();
  for_each_chunk(pair,
                 [&](int64_t c, const double* estimate, const double* reference, int64_t count) {
                   auto& own = channels[static_cast<size_t>(c)];
                   const double own_alpha = own.alpha();
                   for (int64_t n = 0; n < count; ++n) {
                     shared.add_projection(estimate[n], reference[n], shared_alpha);
                     own.add_projection(estimate[n], reference[n], own_alpha);
                   }
                 });
  SignalRatios ratios;
  ratios.si_sdr = shared.si_sdr();
  for (const auto& own : channels) ratios.si_sdr_per_channel.push_back(own.si_sdr());
  ratios.global_sdr = 10.0 * std::log10((shared.reference_energy + delta) / (error_energy + delta));
  return ratios;
}

}  // namespace detail

namespace {

using detail::SignalSet;

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
  if (by_channel) return SignalSet({tensor_signal(estimate), tensor_signal(reference)});
  return SignalSet(
      {tensor_signal(estimate.reshape({1, -1})), tensor_signal(reference.reshape({1, -1}))});
}

}  // namespace

double si_sdr(const torch::Tensor& estimate, const torch::Tensor& reference) {
  return detail::signal_ratios(prepare(estimate, reference, "si_sdr"), kGlobalSdrDelta).si_sdr;
}

std::vector<double> si_sdr_per_channel(const torch::Tensor& estimate,
                                       const torch::Tensor& reference) {
  if (reference.dim() != 2) throw Error("si_sdr_per_channel: expected (channels, samples)");
  const auto pair = prepare(estimate, reference, "si_sdr_per_channel", true);
  return detail::signal_ratios(pair, kGlobalSdrDelta).si_sdr_per_channel;
}

double global_sdr(const torch::Tensor& estimate, const torch::Tensor& reference, double delta) {
  return detail::signal_ratios(prepare(estimate, reference, "global_sdr"), delta).global_sdr;
}

}  // namespace auralflow::metrics
