// BSSEval v4 of one call (museval.metrics.bss_eval with compute_permutation=False,
// framewise_filters=False, bsseval_sources_version=False).
#include <limits>

#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"
#include "distortion_filters.hpp"
#include "numerics.hpp"
#include "projection.hpp"
#include "silence.hpp"

namespace auralflow::metrics {
namespace {

void check_inputs(const std::vector<torch::Tensor>& references,
                  const std::vector<torch::Tensor>& estimates, const BssEvalOptions& options) {
  if (references.empty() || references.size() != estimates.size()) {
    throw Error("bss_eval_v4: expected the same number (>= 1) of references and estimates, got " +
                std::to_string(references.size()) + " and " + std::to_string(estimates.size()));
  }
  if (options.filter_taps() < 1) throw Error("bss_eval_v4: filter_taps must be >= 1");
  const auto& first = references.front();
  if (first.dim() != 2 || first.size(0) < 1 || first.size(1) < 1) {
    throw Error("bss_eval_v4: reference 0 must be (channels, samples), got shape " +
                c10::str(first.sizes()));
  }
  const auto check = [&first](const torch::Tensor& tensor, const std::string& name) {
    if (!tensor.is_floating_point()) {
      throw Error("bss_eval_v4: " + name + " must be a floating-point tensor");
    }
    if (tensor.sizes() != first.sizes()) {
      throw Error("bss_eval_v4: " + name + " has shape " + c10::str(tensor.sizes()) +
                  ", expected " + c10::str(first.sizes()));
    }
  };
  for (size_t j = 0; j < references.size(); ++j) {
    check(references[j], "reference " + std::to_string(j));
    check(estimates[j], "estimate " + std::to_string(j));
  }
}

/// (J, C, M) float64: samples [begin, end) of every signal.
torch::Tensor frame_of(const std::vector<torch::Tensor>& signals, const FrameBounds& frame) {
  std::vector<torch::Tensor> parts;
  parts.reserve(signals.size());
  for (const auto& signal : signals) {
    parts.push_back(detail::to_double(signal.narrow(1, frame.first, frame.second - frame.first)));
  }
  return torch::stack(parts);
}

}  // namespace

BssEvalResult bss_eval_v4(const std::vector<torch::Tensor>& references,
                          const std::vector<torch::Tensor>& estimates,
                          const BssEvalOptions& options) {
  check_inputs(references, estimates, options);
  BssEvalResult result;
  result.frame_bounds = bss_eval_frames(references.front().size(1), options);
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  result.frames.assign(references.size(),
                       std::vector<BssEvalValues>(result.frame_bounds.size(),
                                                  BssEvalValues{kNaN, kNaN, kNaN, kNaN}));

  std::vector<torch::Tensor> signals = references;
  signals.insert(signals.end(), estimates.begin(), estimates.end());
  const detail::SilenceMask silence(signals);
  // museval's whole-track check (validate) raises here; we report it instead.
  result.refused = silence.any_silent(0, references.front().size(1));
  if (result.refused) return result;

  const auto filters = detail::fit_distortion_filters(references, estimates, options.filter_taps());
  const auto& first_frame = result.frame_bounds.front();
  const detail::FrameProjector projector(filters, first_frame.second - first_frame.first);
  for (size_t t = 0; t < result.frame_bounds.size(); ++t) {
    const auto& frame = result.frame_bounds[t];
    if (silence.any_silent(frame.first, frame.second)) continue;
    const auto metrics =
        projector.frame_metrics(frame_of(references, frame), frame_of(estimates, frame));
    for (size_t j = 0; j < metrics.size(); ++j) result.frames[j][t] = metrics[j];
  }
  return result;
}

}  // namespace auralflow::metrics
