// Scores of one track: museval's length rule, one BSSEval call for all stems, museval's
// storage rule and track medians, plus SI-SDR and global SDR per stem.
#include <algorithm>
#include <numeric>

#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"
#include "numerics.hpp"
#include "signal_ratios.hpp"
#include "signal_set.hpp"

namespace auralflow::metrics {
namespace {

/// museval's pad_or_truncate: an estimate read as `samples` long, zero-padded or cut at the end.
class FittedSignal : public Signal {
 public:
  FittedSignal(SignalPtr signal, int64_t samples) : signal_(std::move(signal)), samples_(samples) {}

  int64_t channels() const override { return signal_->channels(); }
  int64_t samples() const override { return samples_; }

  void read(int64_t channel, int64_t begin, int64_t count, double* out) const override {
    const int64_t stored = std::clamp(signal_->samples() - begin, int64_t{0}, count);
    if (stored > 0) signal_->read(channel, begin, stored, out);
    std::fill(out + stored, out + count, 0.0);
  }

 private:
  SignalPtr signal_;
  int64_t samples_;
};

std::pair<SignalPtr, EstimateAdjustment> fit_length(const SignalPtr& estimate, int64_t samples) {
  const int64_t length = estimate->samples();
  if (length == samples) return {estimate, EstimateAdjustment::None};
  return {std::make_shared<FittedSignal>(estimate, samples),
          length > samples ? EstimateAdjustment::CutAtEnd : EstimateAdjustment::ZeroPaddedAtEnd};
}

template <typename Audio>
std::string names_of(const std::map<std::string, Audio>& stems) {
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
  const auto signals = [](const std::map<std::string, torch::Tensor>& stems, const char* kind) {
    std::map<std::string, SignalPtr> result;
    for (const auto& [name, tensor] : stems) {
      if (tensor.dim() != 2 || !tensor.is_floating_point()) {
        throw Error("evaluate_track: " + std::string(kind) + " '" + name +
                    "' must be a floating-point (channels, samples) tensor, got shape " +
                    c10::str(tensor.sizes()));
      }
      result[name] = tensor_signal(tensor);
    }
    return result;
  };
  return evaluate_track(signals(references, "reference"), signals(estimates, "estimate"), options);
}

TrackScores evaluate_track(const std::map<std::string, SignalPtr>& references,
                           const std::map<std::string, SignalPtr>& estimates,
                           const BssEvalOptions& options) {
  bool same_names = references.size() == estimates.size();
  for (const auto& [name, reference] : references) same_names &= estimates.count(name) == 1;
  if (references.empty() || !same_names) {
    throw Error("evaluate_track: references " + names_of(references) + " and estimates " +
                names_of(estimates) + " must name the same, non-empty set of stems");
  }
  const auto& first = *references.begin()->second;

  std::vector<SignalPtr> reference_list;
  std::vector<SignalPtr> estimate_list;
  TrackScores scores;
  for (const auto& [name, reference] : references) {
    const auto& estimate = estimates.at(name);
    if (reference->channels() != first.channels() || reference->samples() != first.samples()) {
      throw Error("evaluate_track: reference '" + name + "' has shape " +
                  detail::shape_of(*reference) + ", expected " + detail::shape_of(first));
    }
    if (estimate->channels() != first.channels()) {
      throw Error("evaluate_track: estimate '" + name + "' has shape " +
                  detail::shape_of(*estimate) + ", expected (" + std::to_string(first.channels()) +
                  " channels, samples)");
    }
    auto [fitted, adjustment] = fit_length(estimate, first.samples());
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
    auto ratios = detail::signal_ratios(detail::SignalSet({estimate_list[j], reference_list[j]}),
                                        kGlobalSdrDelta);
    target.si_sdr = ratios.si_sdr;
    target.si_sdr_per_channel = std::move(ratios.si_sdr_per_channel);
    target.si_sdr_channel_mean =
        std::accumulate(target.si_sdr_per_channel.begin(), target.si_sdr_per_channel.end(), 0.0) /
        static_cast<double>(target.si_sdr_per_channel.size());
    target.global_sdr = ratios.global_sdr;
    ++j;
  }
  return scores;
}

}  // namespace auralflow::metrics
