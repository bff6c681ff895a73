#pragma once
// The report's box plot, drawn as inline SVG.
#include <map>
#include <string>
#include <vector>

namespace auralflow::report {

/// One evaluation's values per target (e.g. the tracks' SDR), drawn as one box per target.
struct BoxSeries {
  std::string label;
  std::map<std::string, std::vector<double>> values;  // target -> values (NaN/inf ignored)
};

/// An SVG element: a group per target (in `targets` order) with a box per series side by side:
/// quartiles (linear interpolation, as numpy), the median as a line, whiskers to the smallest
/// and largest value; a dB axis with grid lines, and a legend naming the series.
std::string box_plot_svg(const std::vector<std::string>& targets,
                         const std::vector<BoxSeries>& series, const std::string& unit);

}  // namespace auralflow::report
