// `auralflow report` (report.hpp): the page's content, read back from evaluation.csv files, and
// the page rendered by a real browser (headless Chromium) without console errors.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "auralflow/evaluation.hpp"
#include "png_decode.hpp"
#include "test_datasets_support.hpp"
#include "test_support.hpp"

using auralflow::testing::contains;
using auralflow::testing::read_bytes;
using auralflow::testing::run_cli;
using auralflow::testing::TempDir;

namespace {

namespace fs = std::filesystem;

// dir/data/test (two 1-s stereo tracks), the mixture oracle's scores and estimates in floor/
// and the ideal ratio mask's in irm/.
void write_evaluations(const TempDir& dir) {
  auralflow::testing::write_tracks(dir / "data/test", 2, {1.0, 8000, 2, {}});
  for (const char* oracle : {"mixture", "irm"}) {
    const std::string folder = std::string(oracle) == "mixture" ? "floor" : "irm";
    const auto result = run_cli("evaluate --oracle " + std::string(oracle) +
                                    " data --num-fft 512 --hop-length "
                                    "128 --save " +
                                    folder + "/estimates --output " + folder + "/evaluation.csv",
                                dir.path());
    ASSERT_EQ(result.exit_code, 0) << result.output;
  }
}

size_t count_of(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// The value of `metric` in the row whose first four fields start with `prefix` ("median,,vocals"),
// read from the CSV text independently of read_evaluation_csv.
std::string csv_value(const fs::path& csv, const std::string& prefix, int column) {
  std::istringstream lines(read_bytes(csv));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix + ",", 0) != 0) continue;
    std::stringstream fields(line);
    std::string field;
    for (int i = 0; i < column; ++i) std::getline(fields, field, ',');
    return field;
  }
  return "";
}

std::string two_decimals(const std::string& value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f", std::stod(value));
  return text;
}

std::string chromium() {
  for (const char* name : {"chromium", "chromium-browser"}) {
    const std::string command = std::string("command -v ") + name + " > /dev/null 2>&1";
    if (std::system(command.c_str()) == 0) return name;
  }
  return "";
}

}  // namespace

TEST(EvaluationCsv, ReadsBackWhatItWrites) {
  TempDir dir;
  auralflow::metrics::TargetScores scores;
  scores.median = {1.234567, 2.5, -3.25, NAN};
  scores.si_sdr = INFINITY;
  scores.si_sdr_channel_mean = -4.0;
  scores.global_sdr = 0.5;
  const std::vector<auralflow::EvaluatedTrack> tracks = {
      {"Artist, \"The\" - Song", {false, {}, {{"vocals", scores}}}}};
  auralflow::write_evaluation_csv(dir / "evaluation.csv", tracks);
  const auto rows = auralflow::read_evaluation_csv(dir / "evaluation.csv");
  ASSERT_EQ(rows.size(), 3u);  // the track, the median, the mean
  EXPECT_EQ(rows[0].row, "track");
  EXPECT_EQ(rows[0].track, "Artist, \"The\" - Song");
  EXPECT_EQ(rows[0].target, "vocals");
  using auralflow::metrics::Metric;
  EXPECT_DOUBLE_EQ(rows[0].values.at(Metric::Sdr), 1.23457);  // 5 decimals in the file
  EXPECT_DOUBLE_EQ(rows[0].values.at(Metric::Sir), -3.25);
  EXPECT_TRUE(std::isnan(rows[0].values.at(Metric::Sar)));
  EXPECT_EQ(rows[0].values.at(Metric::SiSdr), INFINITY);
  EXPECT_EQ(rows[1].row, "median");
  EXPECT_EQ(rows[1].tracks, 1);

  auralflow::testing::write_bytes(dir / "bad.csv", "row,track,target\ntrack,a,b\n");
  const auto message =
      auralflow::testing::error_of([&] { auralflow::read_evaluation_csv(dir / "bad.csv"); });
  EXPECT_TRUE(contains(message, "not an evaluation.csv")) << message;
}

TEST(ReportCli, PageShowsBothEvaluationsTheirDeltasAndEachTracksMedia) {
  TempDir dir;
  write_evaluations(dir);
  const auto result = run_cli(
      "report floor irm --label floor --label ideal --oracle irm=irm/evaluation.csv "
      "--estimates floor/estimates --references data --output pages/report.html",
      dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const std::string page = read_bytes(dir / "pages/report.html");
  ASSERT_FALSE(page.empty());
  // The summary shows each file's medians; the delta row is B - A.
  for (const char* target : {"vocals", "drums", "bass", "other"}) {
    const std::string a =
        csv_value(dir / "floor/evaluation.csv", std::string("median,,") + target, 5);
    const std::string b =
        csv_value(dir / "irm/evaluation.csv", std::string("median,,") + target, 5);
    ASSERT_FALSE(a.empty());
    EXPECT_TRUE(contains(page, "<td>" + two_decimals(a) + "</td>")) << target;
    const double delta = std::stod(b) - std::stod(a);
    char text[32];
    std::snprintf(text, sizeof(text), delta > 0 ? "%+.2f" : "%.2f", delta);
    EXPECT_TRUE(contains(page, std::string(">") + text + "</td>")) << target << " " << text;
  }
  EXPECT_TRUE(contains(page, "oracle irm"));
  // One sortable row per track and target, one box per evaluation and target, one spectrogram
  // per track and target, and players that link to files that exist.
  const auto table = page.substr(page.find("<table class=\"sortable\">"));
  EXPECT_EQ(count_of(table.substr(0, table.find("</table>")), "<tr>"), 1u + 2u * 4u);
  EXPECT_EQ(count_of(page, "<rect x=") - 2u, 2u * 4u);  // less the legend's two swatches
  EXPECT_EQ(count_of(page, "src=\"data:image/png;base64,"), 2u * 4u);
  const std::regex link("<audio controls preload=\"none\" src=\"([^\"]+)\"");
  size_t players = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), link); it != std::sregex_iterator();
       ++it, ++players)
    EXPECT_TRUE(fs::exists(dir / "pages" / (*it)[1].str())) << (*it)[1];
  EXPECT_EQ(players, 2u * 4u * 2u);  // estimate and reference
  // Self-contained: nothing fetched from elsewhere (the SVG namespace is a name, not a fetch).
  const std::string fetched =
      std::regex_replace(page, std::regex("xmlns=\"http://www.w3.org/2000/svg\""), "");
  for (const char* external : {"http:", "https:", "<link", "<script src", "url("})
    EXPECT_FALSE(contains(fetched, external)) << external;
}

TEST(ReportCli, BadInputIsOneLine) {
  TempDir dir;
  auralflow::testing::write_bytes(dir / "notes.csv", "hello\n");
  const auto result = run_cli("report notes.csv", dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.output, "notes.csv': not an evaluation.csv")) << result.output;
  EXPECT_EQ(count_of(result.output, "\n"), 1u) << result.output;
  const auto missing = run_cli("report nowhere.csv", dir.path());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.output, "nowhere.csv': cannot open")) << missing.output;
  EXPECT_FALSE(fs::exists(dir / "notes.html"));
}

// The page in a real browser: headless Chromium renders it to a PNG, its script runs ("report
// ready" on the console) and the console shows no error.
TEST(ReportBrowser, RendersInChromiumWithoutConsoleErrors) {
  const std::string browser = chromium();
  if (browser.empty()) GTEST_SKIP() << "Chromium is not installed (.ci/run installs it)";
  TempDir dir;
  write_evaluations(dir);
  ASSERT_EQ(run_cli("report floor irm --estimates floor/estimates --references data "
                    "--output report.html",
                    dir.path())
                .exit_code,
            0);
  const std::string command =
      "cd '" + dir.path().string() + "' && timeout 120 " + browser +
      " --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1400"
      " --screenshot=shot.png --enable-logging=stderr --v=0 file://" +
      (dir / "report.html").string() + " > browser.log 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << read_bytes(dir / "browser.log");
  const std::string log = read_bytes(dir / "browser.log");
  EXPECT_TRUE(contains(log, "\"report ready\"")) << log;
  for (const char* error : {"Uncaught", "Not allowed to load", "Failed to load", ":ERROR:CONSOLE"})
    EXPECT_FALSE(contains(log, error)) << log;
  const auto shot = auralflow::testing::decode_png(read_bytes(dir / "shot.png"));
  EXPECT_EQ(shot.width, 1100u);
  EXPECT_EQ(shot.height, 1400u);
  // Not a blank page: the heading's dark text is drawn near the top left.
  bool dark = false;
  for (uint32_t y = 10; y < 80 && !dark; ++y)
    for (uint32_t x = 10; x < 400 && !dark; ++x) dark = shot.pixel(y, x)[0] < 80;
  EXPECT_TRUE(dark);
}
