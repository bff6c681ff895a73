#include <cmath>
#include <cstdio>
#include <sstream>

#include "auralflow/atomic_file.hpp"
#include "auralflow/evaluation.hpp"

namespace auralflow {
namespace {

using metrics::Metric;

// The columns of the CSV, in order (all_metrics() order differs: SIR before ISR here, as museval).
const std::vector<Metric>& csv_metrics() {
  static const std::vector<Metric> order = {Metric::Sdr,      Metric::Sir,
                                            Metric::Isr,      Metric::Sar,
                                            Metric::SiSdr,    Metric::SiSdrChannelMean,
                                            Metric::GlobalSdr};
  return order;
}

std::string format_value(double value, int decimals) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::vector<metrics::TrackScores> scores_of(const std::vector<EvaluatedTrack>& tracks) {
  std::vector<metrics::TrackScores> scores;
  for (const auto& track : tracks) scores.push_back(track.scores);
  return scores;
}

}  // namespace

std::string evaluation_csv(const std::vector<EvaluatedTrack>& tracks) {
  std::ostringstream csv;
  csv << "row,track,target,tracks";
  for (Metric metric : csv_metrics()) csv << ',' << metrics::to_string(metric);
  csv << '\n';
  for (const auto& track : tracks) {
    for (const auto& [target, scores] : track.scores.targets) {
      csv << "track," << csv_field(track.name) << ',' << csv_field(target) << ",1";
      for (Metric metric : csv_metrics())
        csv << ',' << format_value(metrics::track_value(scores, metric), 5);
      csv << '\n';
    }
  }
  const auto summaries = metrics::aggregate(scores_of(tracks));
  for (const char* statistic : {"median", "mean"}) {
    for (const auto& [target, by_metric] : summaries) {
      const bool median = std::string(statistic) == "median";
      csv << statistic << ",," << csv_field(target) << ',' << by_metric.at(Metric::Sdr).tracks;
      for (Metric metric : csv_metrics()) {
        const auto& summary = by_metric.at(metric);
        csv << ',' << format_value(median ? summary.median : summary.mean, 5);
      }
      csv << '\n';
    }
  }
  return csv.str();
}

void write_evaluation_csv(const std::filesystem::path& file,
                          const std::vector<EvaluatedTrack>& tracks) {
  write_text_atomically(file, evaluation_csv(tracks));
}

std::string evaluation_summary(const std::vector<EvaluatedTrack>& tracks) {
  const std::vector<Metric> shown = {Metric::Sdr, Metric::Sir,   Metric::Isr,
                                     Metric::Sar, Metric::SiSdr, Metric::GlobalSdr};
  std::ostringstream table;
  char cell[64];
  std::snprintf(cell, sizeof(cell), "%-10s %-6s %6s", "target", "stat", "tracks");
  table << cell;
  for (Metric metric : shown) {
    std::snprintf(cell, sizeof(cell), " %10s", metrics::to_string(metric).c_str());
    table << cell;
  }
  table << '\n';
  for (const auto& [target, by_metric] : metrics::aggregate(scores_of(tracks))) {
    for (const char* statistic : {"median", "mean"}) {
      const bool median = std::string(statistic) == "median";
      std::snprintf(cell, sizeof(cell), "%-10s %-6s %6lld", target.c_str(), statistic,
                    static_cast<long long>(by_metric.at(Metric::Sdr).tracks));
      table << cell;
      for (Metric metric : shown) {
        const auto& summary = by_metric.at(metric);
        std::snprintf(cell, sizeof(cell), " %10s",
                      format_value(median ? summary.median : summary.mean, 2).c_str());
        table << cell;
      }
      table << '\n';
    }
  }
  return table.str();
}

}  // namespace auralflow
