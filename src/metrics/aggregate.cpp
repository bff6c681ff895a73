// Data-set scores over tracks (museval EvalStore: median over tracks of the track medians;
// MDX: mean over tracks).
#include <cmath>

#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"
#include "numerics.hpp"

namespace auralflow::metrics {

const std::vector<Metric>& all_metrics() {
  static const std::vector<Metric> metrics = {Metric::Sdr,      Metric::Isr,
                                              Metric::Sir,      Metric::Sar,
                                              Metric::SiSdr,    Metric::SiSdrChannelMean,
                                              Metric::GlobalSdr};
  return metrics;
}

std::string to_string(Metric metric) {
  switch (metric) {
    case Metric::Sdr:
      return "SDR";
    case Metric::Isr:
      return "ISR";
    case Metric::Sir:
      return "SIR";
    case Metric::Sar:
      return "SAR";
    case Metric::SiSdr:
      return "SI-SDR";
    case Metric::SiSdrChannelMean:
      return "SI-SDR_channel_mean";
    case Metric::GlobalSdr:
      return "global_SDR";
  }
  throw Error("to_string: unknown Metric");
}

double& track_value(TargetScores& scores, Metric metric) {
  switch (metric) {
    case Metric::Sdr:
      return scores.median.sdr;
    case Metric::Isr:
      return scores.median.isr;
    case Metric::Sir:
      return scores.median.sir;
    case Metric::Sar:
      return scores.median.sar;
    case Metric::SiSdr:
      return scores.si_sdr;
    case Metric::SiSdrChannelMean:
      return scores.si_sdr_channel_mean;
    case Metric::GlobalSdr:
      return scores.global_sdr;
  }
  throw Error("track_value: unknown Metric");
}

double track_value(const TargetScores& scores, Metric metric) {
  return track_value(const_cast<TargetScores&>(scores), metric);  // only read here
}

std::map<std::string, std::map<Metric, MetricSummary>> aggregate(
    const std::vector<TrackScores>& tracks) {
  // target -> metric -> one value per track that has the target
  std::map<std::string, std::map<Metric, std::vector<double>>> values;
  for (const auto& track : tracks) {
    for (const auto& [target, scores] : track.targets) {
      for (Metric metric : all_metrics()) {
        values[target][metric].push_back(track_value(scores, metric));
      }
    }
  }
  std::map<std::string, std::map<Metric, MetricSummary>> summaries;
  for (const auto& [target, by_metric] : values) {
    for (const auto& [metric, track_values] : by_metric) {
      auto& summary = summaries[target][metric];
      summary.median = detail::nan_median(track_values);
      summary.mean = detail::nan_mean(track_values);
      for (double value : track_values) summary.tracks += std::isnan(value) ? 0 : 1;
    }
  }
  return summaries;
}

}  // namespace auralflow::metrics
