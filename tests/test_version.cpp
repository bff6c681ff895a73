#include <gtest/gtest.h>

#include "auralflow/version.hpp"
#include "test_support.hpp"

using auralflow::testing::run_cli;

TEST(Cli, VersionPrintsLibraryVersion) {
  const auto result = run_cli("--version");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.output.find("auralflow " + auralflow::version()), std::string::npos)
      << result.output;
}

TEST(Cli, HelpListsEverySubcommand) {
  const auto result = run_cli("--help");
  EXPECT_EQ(result.exit_code, 0);
  for (const char* name : {"config", "train", "separate", "evaluate"})
    EXPECT_NE(result.output.find(name), std::string::npos) << name;
}

TEST(Cli, UnknownSubcommandIsUsageErrorOnOneLine) {
  const auto result = run_cli("separat x y");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.output.rfind("auralflow: error: ", 0), 0u) << result.output;
}
