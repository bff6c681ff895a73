// The median rows of evaluation.csv (see evaluation_csv()) as registry scores.
#include <fstream>
#include <sstream>

#include "auralflow/error.hpp"
#include "auralflow/pretrained.hpp"

namespace auralflow::pretrained {
namespace {

// Splits one CSV line; quoted fields (track names) may hold commas and doubled quotes.
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

size_t column(const std::vector<std::string>& header, const std::string& name,
              const std::filesystem::path& csv) {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  throw Error(file_message(csv.string(), "no " + name + " column (not an evaluation.csv?)"));
}

}  // namespace

std::map<std::string, TargetScores> read_median_scores(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  if (!in) throw Error(file_message(csv.string(), "no such evaluation file"));
  std::string line;
  std::getline(in, line);
  const auto header = csv_fields(line);
  const size_t row = column(header, "row", csv), target = column(header, "target", csv);
  const size_t si_sdr = column(header, "SI-SDR", csv), sdr = column(header, "SDR", csv);
  std::map<std::string, TargetScores> scores;
  while (std::getline(in, line)) {
    const auto fields = csv_fields(line);
    if (fields.size() != header.size() || fields[row] != "median") continue;
    scores[fields[target]] = TargetScores{std::stod(fields[si_sdr]), std::stod(fields[sdr])};
  }
  if (scores.empty()) throw Error(file_message(csv.string(), "no median rows"));
  return scores;
}

}  // namespace auralflow::pretrained
