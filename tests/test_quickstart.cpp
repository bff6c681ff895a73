// README command (1), fast: scripts/demo.sh renders a short demo song, separates it with the
// default bundled model and scores the stems against the truth.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "auralflow/pretrained.hpp"
#include "test_support.hpp"

using auralflow::testing::contains;
using auralflow::testing::TempDir;

TEST(Quickstart, DemoSeparatesTheDemoSongAndScoresEveryStem) {
  TempDir dir;
  const std::string command = "DEMO_OUT='" + dir.path().string() +
                              "' DEMO_DURATION=6 AURALFLOW='" AURALFLOW_CLI_PATH
                              "' bash '" AURALFLOW_SOURCE_DIR "/scripts/demo.sh' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char chunk[4096];
  for (size_t count; (count = fread(chunk, 1, sizeof(chunk), pipe)) > 0;)
    output.append(chunk, count);
  ASSERT_EQ(pclose(pipe), 0) << output;

  EXPECT_TRUE(contains(output, "SI-SDR")) << output;
  EXPECT_TRUE(contains(output, "demo: the stems are in " + dir.path().string())) << output;
  const auto scores = auralflow::pretrained::read_median_scores(dir / "evaluation.csv");
  ASSERT_EQ(scores.size(), 4u);
  for (const auto& [target, value] : scores) {
    EXPECT_TRUE(std::isfinite(value.si_sdr)) << target;
    EXPECT_TRUE(contains(output, target)) << output;
  }
  int stems = 0;
  for (const auto& track : std::filesystem::directory_iterator(dir / "separated_audio"))
    for (const char* stem : {"vocals", "drums", "bass", "other"})
      stems += std::filesystem::exists(track.path() / (std::string(stem) + ".wav"));
  EXPECT_EQ(stems, 4);
}
