// evaluation.csv and the printed summary: per-track rows, then median/mean rows per target.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "auralflow/evaluation.hpp"
#include "test_support.hpp"

using auralflow::EvaluatedTrack;
using auralflow::metrics::TargetScores;

namespace {

// A track whose every metric of `target` is `value`.
EvaluatedTrack track(const std::string& name, const std::string& target, double value) {
  TargetScores scores;
  scores.median = {value, value, value, value};
  scores.si_sdr = scores.si_sdr_channel_mean = scores.global_sdr = value;
  EvaluatedTrack result{name, {}};
  result.scores.targets[target] = scores;
  return result;
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.push_back(field);
        field.clear();
      } else {
        field += c;
      }
    }
    fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

}  // namespace

TEST(EvaluationCsv, TrackRowsThenMedianAndMeanPerTarget) {
  const std::vector<EvaluatedTrack> tracks = {track("a", "vocals", 1.0), track("b", "vocals", 2.0),
                                              track("c", "vocals", 10.0)};
  const auto rows = parse_csv(auralflow::evaluation_csv(tracks));
  ASSERT_EQ(rows.size(), 6u);  // header, 3 tracks, median, mean
  EXPECT_EQ(rows[0][0], "row");
  EXPECT_EQ(rows[0][4], "SDR");
  EXPECT_EQ(rows[0].size(), 11u);
  EXPECT_EQ(rows[1][1], "a");
  EXPECT_EQ(std::stod(rows[3][4]), 10.0);
  EXPECT_EQ(rows[4][0], "median");
  EXPECT_EQ(rows[4][3], "3");
  EXPECT_DOUBLE_EQ(std::stod(rows[4][4]), 2.0);
  EXPECT_EQ(rows[5][0], "mean");
  EXPECT_NEAR(std::stod(rows[5][10]), 13.0 / 3.0, 1e-5);
}

TEST(EvaluationCsv, NanValuesAreSkippedInSummariesAndNamesAreQuoted) {
  std::vector<EvaluatedTrack> tracks = {track("Artist, The - Song \"1\"", "bass", 4.0),
                                        track("silent", "bass", std::nan(""))};
  const auto rows = parse_csv(auralflow::evaluation_csv(tracks));
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1][1], "Artist, The - Song \"1\"");
  EXPECT_EQ(rows[2][4], "nan");
  EXPECT_EQ(rows[3][3], "1");  // one track with a value
  EXPECT_DOUBLE_EQ(std::stod(rows[3][4]), 4.0);
}

TEST(EvaluationCsv, WrittenFileEqualsTheTextAndSummaryNamesEveryTarget) {
  auralflow::testing::TempDir dir;
  std::vector<EvaluatedTrack> tracks = {track("a", "vocals", 3.0)};
  tracks[0].scores.targets["drums"] = track("a", "drums", -1.5).scores.targets["drums"];
  auralflow::write_evaluation_csv(dir / "evaluation.csv", tracks);
  std::ifstream file(dir / "evaluation.csv");
  std::stringstream contents;
  contents << file.rdbuf();
  EXPECT_EQ(contents.str(), auralflow::evaluation_csv(tracks));
  const auto summary = auralflow::evaluation_summary(tracks);
  EXPECT_NE(summary.find("vocals"), std::string::npos);
  EXPECT_NE(summary.find("drums"), std::string::npos);
  EXPECT_NE(summary.find("-1.50"), std::string::npos) << summary;
}
