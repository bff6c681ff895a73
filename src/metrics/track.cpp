// Scores of one track: museval's length rule, one BSSEval call for all stems, museval's
// storage rule and track medians, plus SI-SDR and global SDR per stem.
#include <numeric>

#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"
#include "numerics.hpp"

namespace auralflow::metrics {
namespace {

/// museval's pad_or_truncate: estimate (C, S) -> (C, samples), zero-padded or cut at the end.
std::pair<torch::Tensor, EstimateAdjustment> fit_length(const torch::Tensor& estimate,
                                                        int64_t samples) {
  const int64_t length = estimate.size(1);
  if (length > samples) return {estimate.narrow(1, 0, samples), EstimateAdjustment::CutAtEnd};
  if (length < samples) {
    return {torch::constant_pad_nd(estimate, {0, samples - length}),
            EstimateAdjustment::ZeroPaddedAtEnd};
  }
  return {estimate, EstimateAdjustment::None};
}

std::string names_of(const std::map<std::string, torch::Tensor>& stems) {
  std::string names;
  for (const auto& [name, tensor] : stems) names += (names.empty() ? "" : ", ") + name;
  return "{" + names + "}";
}

/// Median over frames of each metric.
BssEvalValues medians(const std::vector<BssEvalValues>& frames) {
  const auto median_of = [&frames](double BssEvalValues::*metric) {
    std::vector<double> values;
    for (const auto& frame : frames) values.push_back(frame.*metric);
    return detail::nan_median(values);
  };
  return {median_of(&BssEvalValues::sdr), median_of(&BssEvalValues::isr),
          median_of(&BssEvalValues::sir), median_of(&BssEvalValues::sar)};
}

}  // namespace

std::string to_string(EstimateAdjustment adjustment) {
  switch (adjustment) {
    case EstimateAdjustment::None:
      return "none";
    case EstimateAdjustment::ZeroPaddedAtEnd:
      return "zero_padded_at_end";
    case EstimateAdjustment::CutAtEnd:
      return "cut_at_end";
  }
  throw Error("to_string: unknown EstimateAdjustment");
}

TrackScores evaluate_track(const std::map<std::string, torch::Tensor>& references,
                           const std::map<std::string, torch::Tensor>& estimates,
                           const BssEvalOptions& options) {
  bool same_names = references.size() == estimates.size();
  for (const auto& [name, reference] : references) same_names &= estimates.count(name) == 1;
  if (references.empty() || !same_names) {
    throw Error("evaluate_track: references " + names_of(references) + " and estimates " +
                names_of(estimates) + " must name the same, non-empty set of stems");
  }
  const auto& first = references.begin()->second;
  if (first.dim() != 2) {
    throw Error("evaluate_track: references must be (channels, samples), got shape " +
                c10::str(first.sizes()));
  }

  std::vector<torch::Tensor> reference_list;
  std::vector<torch::Tensor> estimate_list;
  TrackScores scores;
  for (const auto& [name, reference] : references) {
    const auto& estimate = estimates.at(name);
    if (reference.sizes() != first.sizes()) {
      throw Error("evaluate_track: reference '" + name + "' has shape " +
                  c10::str(reference.sizes()) + ", expected " + c10::str(first.sizes()));
    }
    if (estimate.dim() != 2 || estimate.size(0) != first.size(0)) {
      throw Error("evaluate_track: estimate '" + name + "' has shape " +
                  c10::str(estimate.sizes()) + ", expected (" + std::to_string(first.size(0)) +
                  " channels, samples)");
    }
    auto [fitted, adjustment] = fit_length(estimate, first.size(1));
    scores.targets[name].estimate_adjustment = adjustment;
    reference_list.push_back(reference);
    estimate_list.push_back(fitted);
  }

  const auto bss = bss_eval_v4(reference_list, estimate_list, options);
  scores.refused = bss.refused;
  scores.frame_bounds = bss.frame_bounds;
  size_t j = 0;
  for (auto& [name, target] : scores.targets) {
    target.frames_unrounded = bss.frames[j];
    for (const auto& raw : bss.frames[j]) {
      target.frames.push_back(BssEvalValues{detail::quantize(raw.sdr), detail::quantize(raw.isr),
                                            detail::quantize(raw.sir), detail::quantize(raw.sar)});
    }
    target.median = medians(target.frames);
    target.si_sdr = si_sdr(estimate_list[j], reference_list[j]);
    target.si_sdr_per_channel = si_sdr_per_channel(estimate_list[j], reference_list[j]);
    target.si_sdr_channel_mean =
        std::accumulate(target.si_sdr_per_channel.begin(), target.si_sdr_per_channel.end(), 0.0) /
        static_cast<double>(target.si_sdr_per_channel.size());
    target.global_sdr = global_sdr(estimate_list[j], reference_list[j]);
    ++j;
  }
  return scores;
}

}  // namespace auralflow::metrics
