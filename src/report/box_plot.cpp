#include "box_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "html.hpp"

namespace auralflow::report {
namespace {

constexpr double kWidth = 760, kHeight = 300;
constexpr double kLeft = 50, kRight = 10, kTop = 30, kBottom = 40;  // margins around the plot
const char* const kColours[] = {"#3b6fb6", "#e07b39"};

std::vector<double> finite_sorted(const std::vector<double>& values) {
  std::vector<double> finite;
  for (double value : values)
    if (std::isfinite(value)) finite.push_back(value);
  std::sort(finite.begin(), finite.end());
  return finite;
}

// The q-quantile (0..1) of sorted, non-empty values, interpolated linearly.
double quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f", value);
  return text;
}

}  // namespace

std::string box_plot_svg(const std::vector<std::string>& targets,
                         const std::vector<BoxSeries>& series, const std::string& unit) {
  double low = INFINITY, high = -INFINITY;
  for (const auto& one : series)
    for (const auto& [target, values] : one.values)
      for (double value : finite_sorted(values))
        low = std::min(low, value), high = std::max(high, value);
  if (!(low <= high)) low = -1.0, high = 1.0;  // nothing finite to draw
  const double step = high - low > 40 ? 10.0 : high - low > 16 ? 5.0 : high - low > 6 ? 2.0 : 1.0;
  low = std::floor(low / step) * step;
  high = std::max(low + step, std::ceil(high / step) * step);
  const auto y = [&](double value) {
    return kTop + (high - value) / (high - low) * (kHeight - kTop - kBottom);
  };
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"boxplot\" width=\"" << kWidth
      << "\" height=\"" << kHeight << "\" viewBox=\"0 0 " << kWidth << ' ' << kHeight << "\">\n";
  for (double tick = low; tick <= high + 1e-9; tick += step) {
    svg << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\"" << y(tick)
        << "\" y2=\"" << y(tick) << "\" stroke=\"#ddd\"/><text x=\"" << kLeft - 6 << "\" y=\""
        << y(tick) + 4 << "\" text-anchor=\"end\">" << number(tick) << "</text>\n";
  }
  svg << "<text x=\"12\" y=\"" << kTop - 12 << "\">" << escape(unit) << "</text>\n";
  const double group = (kWidth - kLeft - kRight) / std::max<double>(1.0, targets.size());
  const double box = std::min(40.0, group * 0.7 / std::max<double>(1.0, series.size()));
  for (size_t t = 0; t < targets.size(); ++t) {
    const double centre = kLeft + group * (static_cast<double>(t) + 0.5);
    svg << "<text x=\"" << centre << "\" y=\"" << kHeight - kBottom + 18
        << "\" text-anchor=\"middle\">" << escape(targets[t]) << "</text>\n";
    for (size_t s = 0; s < series.size(); ++s) {
      const auto found = series[s].values.find(targets[t]);
      if (found == series[s].values.end()) continue;
      const auto sorted = finite_sorted(found->second);
      if (sorted.empty()) continue;
      const double x = centre + (static_cast<double>(s) - 0.5 * (series.size() - 1)) * box * 1.2;
      const char* colour = kColours[s % 2];
      const double q1 = quantile(sorted, 0.25), q2 = quantile(sorted, 0.5),
                   q3 = quantile(sorted, 0.75);
      svg << "<g><title>" << escape(series[s].label + " " + targets[t]) << ": median " << number(q2)
          << ", quartiles " << number(q1) << " to " << number(q3) << ", " << sorted.size()
          << " tracks</title>"
          << "<line x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << y(sorted.back()) << "\" y2=\""
          << y(sorted.front()) << "\" stroke=\"" << colour << "\"/>"
          << "<rect x=\"" << x - box / 2 << "\" y=\"" << y(q3) << "\" width=\"" << box
          << "\" height=\"" << std::max(1.0, y(q1) - y(q3)) << "\" fill=\"" << colour
          << "\" fill-opacity=\"0.35\" stroke=\"" << colour << "\"/>"
          << "<line x1=\"" << x - box / 2 << "\" x2=\"" << x + box / 2 << "\" y1=\"" << y(q2)
          << "\" y2=\"" << y(q2) << "\" stroke=\"" << colour << "\" stroke-width=\"2\"/></g>\n";
    }
  }
  for (size_t s = 0; s < series.size(); ++s) {
    const double x = kLeft + 10 + 160 * static_cast<double>(s);
    svg << "<rect x=\"" << x << "\" y=\"" << kHeight - 14 << "\" width=\"12\" height=\"10\" fill=\""
        << kColours[s % 2] << "\"/><text x=\"" << x + 16 << "\" y=\"" << kHeight - 5 << "\">"
        << escape(series[s].label) << "</text>\n";
  }
  svg << "</svg>";
  return svg.str();
}

}  // namespace auralflow::report
