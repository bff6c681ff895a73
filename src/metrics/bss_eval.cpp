// BSSEval v4 of one call (museval.metrics.bss_eval with compute_permutation=False,
// framewise_filters=False, bsseval_sources_version=False).
#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <limits>

#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"
#include "distortion_filters.hpp"
#include "projection.hpp"
#include "signal_set.hpp"
#include "silence.hpp"

namespace auralflow::metrics {
namespace {

using detail::any_silent;
using detail::shape_of;
using detail::SignalSet;

void check_inputs(const std::vector<torch::Tensor>& references,
                  const std::vector<torch::Tensor>& estimates) {
  const auto check = [](const torch::Tensor& tensor, const std::string& name) {
    if (!tensor.is_floating_point() || tensor.dim() != 2) {
      throw Error("bss_eval_v4: " + name +
                  " must be a floating-point (channels, samples) tensor, got shape " +
                  c10::str(tensor.sizes()));
    }
  };
  for (size_t j = 0; j < references.size(); ++j)
    check(references[j], "reference " + std::to_string(j));
  for (size_t j = 0; j < estimates.size(); ++j)
    check(estimates[j], "estimate " + std::to_string(j));
}

std::vector<SignalPtr> signals_of(const std::vector<torch::Tensor>& tensors) {
  std::vector<SignalPtr> signals;
  for (const auto& tensor : tensors) signals.push_back(tensor_signal(tensor));
  return signals;
}

void check_inputs(const std::vector<SignalPtr>& references, const std::vector<SignalPtr>& estimates,
                  const BssEvalOptions& options) {
  if (references.empty() || references.size() != estimates.size()) {
    throw Error("bss_eval_v4: expected the same number (>= 1) of references and estimates, got " +
                std::to_string(references.size()) + " and " + std::to_string(estimates.size()));
  }
  if (options.filter_taps() < 1) throw Error("bss_eval_v4: filter_taps must be >= 1");
  const auto& first = *references.front();
  if (first.channels() < 1 || first.samples() < 1) {
    throw Error("bss_eval_v4: reference 0 must be (channels, samples), got shape " +
                shape_of(first));
  }
  const auto check = [&first](const Signal& signal, const std::string& name) {
    if (signal.channels() != first.channels() || signal.samples() != first.samples()) {
      throw Error("bss_eval_v4: " + name + " has shape " + shape_of(signal) + ", expected " +
                  shape_of(first));
    }
  };
  for (size_t j = 0; j < references.size(); ++j) {
    check(*references[j], "reference " + std::to_string(j));
    check(*estimates[j], "estimate " + std::to_string(j));
  }
}

}  // namespace

BssEvalResult bss_eval_v4(const std::vector<torch::Tensor>& references,
                          const std::vector<torch::Tensor>& estimates,
                          const BssEvalOptions& options) {
  check_inputs(references, estimates);
  return bss_eval_v4(signals_of(references), signals_of(estimates), options);
}

BssEvalResult bss_eval_v4(const std::vector<SignalPtr>& references,
                          const std::vector<SignalPtr>& estimates, const BssEvalOptions& options) {
  check_inputs(references, estimates, options);
  BssEvalResult result;
  result.frame_bounds = bss_eval_frames(references.front()->samples(), options);
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  result.frames.assign(references.size(),
                       std::vector<BssEvalValues>(result.frame_bounds.size(),
                                                  BssEvalValues{kNaN, kNaN, kNaN, kNaN}));

  const SignalSet reference_set(references);
  const SignalSet estimate_set(estimates);
  // museval's whole-track check (validate) raises here; we report it instead.
  const int64_t samples = reference_set.samples();
  result.refused = any_silent(reference_set, 0, samples) || any_silent(estimate_set, 0, samples);
  if (result.refused) return result;

  const auto filters =
      detail::fit_distortion_filters(reference_set, estimate_set, options.filter_taps());
  const auto& first_frame = result.frame_bounds.front();
  const detail::FrameProjector projector(filters, first_frame.second - first_frame.first);
  // Frames handed out one at a time (cores are shared with other work: a static split would
  // wait for the slowest thread).
  const auto frames = static_cast<int64_t>(result.frame_bounds.size());
  std::atomic<int64_t> next_frame{0};
  const int64_t workers = std::min<int64_t>(at::get_num_threads(), frames);
  at::parallel_for(0, workers, 1, [&](int64_t, int64_t) {
    detail::FrameProjector::Workspace workspace(projector);
    for (int64_t t = next_frame++; t < frames; t = next_frame++) {
      const auto& frame = result.frame_bounds[t];
      if (any_silent(reference_set, frame.first, frame.second) ||
          any_silent(estimate_set, frame.first, frame.second)) {
        continue;
      }
      const auto metrics = projector.frame_metrics(reference_set, estimate_set, frame, workspace);
      for (size_t j = 0; j < metrics.size(); ++j) result.frames[j][t] = metrics[j];
    }
  });
  return result;
}

}  // namespace auralflow::metrics
