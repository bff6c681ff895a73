// evaluation_report_html(): the page's layout, tables and script.
#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "auralflow/error.hpp"
#include "auralflow/report.hpp"
#include "box_plot.hpp"
#include "html.hpp"
#include "track_media.hpp"

namespace auralflow {
namespace {

using metrics::Metric;
using report::decibels;
using report::escape;

const std::vector<Metric>& shown_metrics() {
  static const std::vector<Metric> shown = {Metric::Sdr, Metric::Sir,   Metric::Isr,
                                            Metric::Sar, Metric::SiSdr, Metric::GlobalSdr};
  return shown;
}

// Inline style and the table sorter: click a column heading to sort by it, again to reverse.
// The script logs "report ready" once it has run (the browser test looks for it).
constexpr const char* kStyle = R"(<style>
body { font: 14px/1.4 sans-serif; margin: 24px; color: #222; max-width: 1100px; }
table { border-collapse: collapse; margin: 8px 0 20px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child, th.name, td.name { text-align: left; }
table.sortable th { cursor: pointer; background: #f3f3f3; }
tr.delta td { font-weight: bold; } tr.oracle td { color: #777; }
td.better { color: #17803d; } td.worse { color: #b42318; }
svg.boxplot text { font: 12px sans-serif; fill: #444; }
section.track { border-top: 1px solid #ccc; margin-top: 16px; }
div.target { display: inline-block; vertical-align: top; margin: 0 16px 12px 0; }
figure.player { margin: 4px 0; } figure.player figcaption { font-size: 12px; color: #555; }
</style>
)";

constexpr const char* kScript = R"(<script>
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (heading, column) {
    heading.addEventListener("click", function () {
      var ascending = heading.getAttribute("data-order") !== "ascending";
      heading.setAttribute("data-order", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].textContent, y = b.cells[column].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var order = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
console.log("report ready");
</script>
)";

// The targets in the order the first evaluation lists them.
std::vector<std::string> targets_of(const ReportEvaluation& evaluation) {
  std::vector<std::string> targets;
  for (const auto& row : evaluation.rows)
    if (std::find(targets.begin(), targets.end(), row.target) == targets.end())
      targets.push_back(row.target);
  return targets;
}

const EvaluationRow* find_row(const ReportEvaluation& evaluation, const std::string& kind,
                              const std::string& target, const std::string& track = "") {
  for (const auto& row : evaluation.rows)
    if (row.row == kind && row.target == target && row.track == track) return &row;
  return nullptr;
}

double value_of(const EvaluationRow* row, Metric metric) {
  if (row == nullptr) return std::nan("");
  const auto found = row->values.find(metric);
  return found == row->values.end() ? std::nan("") : found->second;
}

std::string cells(const EvaluationRow* row) {
  std::string html;
  for (Metric metric : shown_metrics()) html += "<td>" + decibels(value_of(row, metric)) + "</td>";
  return html;
}

// A cell holding b - a, coloured by its sign.
std::string delta_cell(double a, double b) {
  const double delta = b - a;
  const char* tone = std::isnan(delta) || delta == 0 ? ""
                     : delta > 0                     ? " class=\"better\""
                                                     : " class=\"worse\"";
  return std::string("<td") + tone + ">" + (delta > 0 ? "+" : "") + decibels(delta) + "</td>";
}

std::string summary_table(const std::vector<ReportEvaluation>& evaluations,
                          const std::vector<std::string>& targets, const ReportOptions& options) {
  std::ostringstream html;
  html << "<table>\n<thead><tr><th>target</th><th class=\"name\">evaluation</th><th class=\"name\">statistic</th><th>tracks</th>";
  for (Metric metric : shown_metrics()) html << "<th>" << metrics::to_string(metric) << "</th>";
  html << "</tr></thead>\n<tbody>\n";
  for (const auto& target : targets) {
    for (const auto& evaluation : evaluations) {
      for (const char* statistic : {"median", "mean"}) {
        const auto* row = find_row(evaluation, statistic, target);
        html << "<tr><td>" << escape(target) << "</td><td class=\"name\">"
             << escape(evaluation.label) << "</td><td class=\"name\">" << statistic << "</td><td>"
             << (row != nullptr ? std::to_string(row->tracks) : "") << "</td>" << cells(row)
             << "</tr>\n";
      }
    }
    if (evaluations.size() == 2) {
      const auto* a = find_row(evaluations[0], "median", target);
      const auto* b = find_row(evaluations[1], "median", target);
      html << "<tr class=\"delta\"><td>" << escape(target) << "</td><td class=\"name\">"
           << escape(evaluations[1].label + " − " + evaluations[0].label)
           << "</td><td class=\"name\">median</td><td></td>";
      for (Metric metric : shown_metrics())
        html << delta_cell(value_of(a, metric), value_of(b, metric));
      html << "</tr>\n";
    }
    for (const auto& oracle : options.oracles) {
      const auto* row = find_row(oracle, "median", target);
      if (row == nullptr) continue;
      html << "<tr class=\"oracle\"><td>" << escape(target) << "</td><td class=\"name\">oracle "
           << escape(oracle.label) << "</td><td class=\"name\">median</td><td>" << row->tracks
           << "</td>" << cells(row) << "</tr>\n";
    }
  }
  html << "</tbody></table>\n";
  return html.str();
}

std::string track_table(const std::vector<ReportEvaluation>& evaluations) {
  const bool pair = evaluations.size() == 2;
  std::ostringstream html;
  html << "<table class=\"sortable\">\n<thead><tr><th>track</th><th class=\"name\">target</th>";
  for (Metric metric : shown_metrics()) html << "<th>" << metrics::to_string(metric) << "</th>";
  if (pair)
    html << "<th>SDR " << escape(evaluations[1].label) << "</th><th>Δ SDR</th><th>SI-SDR "
         << escape(evaluations[1].label) << "</th><th>Δ SI-SDR</th>";
  html << "</tr></thead>\n<tbody>\n";
  for (const auto& row : evaluations[0].rows) {
    if (row.row != "track") continue;
    html << "<tr><td>" << escape(row.track) << "</td><td class=\"name\">" << escape(row.target)
         << "</td>" << cells(&row);
    if (pair) {
      const auto* other = find_row(evaluations[1], "track", row.target, row.track);
      for (Metric metric : {Metric::Sdr, Metric::SiSdr})
        html << "<td>" << decibels(value_of(other, metric)) << "</td>"
             << delta_cell(value_of(&row, metric), value_of(other, metric));
    }
    html << "</tr>\n";
  }
  html << "</tbody></table>\n";
  return html.str();
}

report::BoxSeries sdr_series(const ReportEvaluation& evaluation) {
  report::BoxSeries series{evaluation.label, {}};
  for (const auto& row : evaluation.rows)
    if (row.row == "track") series.values[row.target].push_back(value_of(&row, Metric::Sdr));
  return series;
}

std::string media_sections(const ReportEvaluation& evaluation,
                           const std::vector<std::string>& targets, const ReportOptions& options) {
  EvaluationOptions listing;
  listing.split = options.split;
  std::map<std::string, Track> tracks;
  for (auto& track : evaluation_tracks(options.references, listing))
    tracks.emplace(track.name, std::move(track));
  std::vector<std::string> names;  // the evaluation's tracks, in its order
  for (const auto& row : evaluation.rows)
    if (row.row == "track" && std::find(names.begin(), names.end(), row.track) == names.end())
      names.push_back(row.track);
  std::string html;
  for (const auto& name : names) {
    const auto track = tracks.find(name);
    const auto folder = estimates_folder(options.estimates, options.split, name);
    if (track == tracks.end() || !folder) continue;
    html += report::track_media_html(track->second, *folder, targets, options);
  }
  return html;
}

}  // namespace

std::string evaluation_report_html(const std::vector<ReportEvaluation>& evaluations,
                                   const ReportOptions& options) {
  if (evaluations.empty() || evaluations.size() > 2)
    throw UsageError("a report shows one evaluation, or two side by side");
  if (options.estimates.empty() != options.references.empty())
    throw UsageError("per-track media need both the estimates and the references");
  const auto targets = targets_of(evaluations[0]);
  std::string title = "Evaluation: " + evaluations[0].label;
  if (evaluations.size() == 2) title += " vs " + evaluations[1].label;
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
       << escape(title) << "</title>\n"
       << kStyle << "</head><body>\n<h1>" << escape(title)
       << "</h1>\n<p>BSSEval v4 (museval) medians over 1-s frames per track, SI-SDR and global "
          "SDR, in dB; the summary rows are the median and mean over tracks.</p>\n"
       << "<h2>Summary</h2>\n"
       << summary_table(evaluations, targets, options) << "<h2>SDR per track</h2>\n";
  std::vector<report::BoxSeries> series;
  for (const auto& evaluation : evaluations) series.push_back(sdr_series(evaluation));
  html << report::box_plot_svg(targets, series, "SDR (dB)") << "\n<h2>Tracks</h2>\n"
       << "<p>Click a column heading to sort.</p>\n"
       << track_table(evaluations);
  if (!options.estimates.empty()) {
    html << "<h2>Spectrograms and audio of " << escape(evaluations[0].label)
         << "</h2>\n<p>Each image: mixture, estimate, reference (top to bottom), up to the first "
         << options.spectrogram_seconds << " s, one dB scale.</p>\n"
         << media_sections(evaluations[0], targets, options);
  }
  html << kScript << "</body></html>\n";
  return html.str();
}

}  // namespace auralflow
