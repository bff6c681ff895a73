#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "auralflow/atomic_file.hpp"
#include "auralflow/error.hpp"
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

// The fields of one CSV line (quoted fields as csv_field() writes them).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

double parse_value(const std::string& text) {
  if (text == "nan") return std::nan("");
  if (text == "inf" || text == "-inf") return text == "inf" ? INFINITY : -INFINITY;
  size_t used = 0;
  const double value = std::stod(text, &used);
  if (used != text.size()) throw std::invalid_argument(text);
  return value;
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

std::vector<EvaluationRow> read_evaluation_csv(const std::filesystem::path& file) {
  std::ifstream stream(file);
  if (!stream) throw Error(file_message(file.string(), "cannot open the evaluation file"));
  std::string line;
  std::getline(stream, line);
  const auto header = csv_fields(line);
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  for (const char* needed : {"row", "track", "target", "tracks", "SDR"})
    if (column.count(needed) == 0)
      throw Error(file_message(file.string(), std::string("not an evaluation.csv (no '") + needed +
                                                  "' column in its first line)"));
  std::vector<EvaluationRow> rows;
  for (int line_number = 2; std::getline(stream, line); ++line_number) {
    if (line.empty()) continue;
    const auto fields = csv_fields(line);
    if (fields.size() != header.size())
      throw Error(file_message(file.string(), "line " + std::to_string(line_number) + " has " +
                                                  std::to_string(fields.size()) + " fields, not " +
                                                  std::to_string(header.size())));
    EvaluationRow row{
        fields[column["row"]], fields[column["track"]], fields[column["target"]], 0, {}};
    try {
      row.tracks = std::stoll(fields[column["tracks"]]);
      for (Metric metric : csv_metrics())
        if (const auto found = column.find(metrics::to_string(metric)); found != column.end())
          row.values[metric] = parse_value(fields[found->second]);
    } catch (const std::logic_error&) {  // stoll / stod / parse_value
      throw Error(file_message(file.string(),
                               "line " + std::to_string(line_number) + " has a non-number value"));
    }
    rows.push_back(std::move(row));
  }
  return rows;
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
