// Shards (shard.hpp): K/N parsing, the cluster engines' environment, and the balanced split.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <initializer_list>
#include <numeric>
#include <set>

#include "auralflow/error.hpp"
#include "auralflow/shard.hpp"
#include "test_support.hpp"

using auralflow::resolve_shard;
using auralflow::Shard;
using auralflow::shard_members;
using auralflow::UsageError;

namespace {

// Sets environment variables for one test and removes them (and the engines' others) after.
class Environment {
 public:
  explicit Environment(std::initializer_list<std::pair<const char*, const char*>> variables) {
    clear();
    for (const auto& [name, value] : variables) setenv(name, value, 1);
  }
  ~Environment() { clear(); }
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

 private:
  static void clear() {
    for (const char* name :
         {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT",
          "SLURM_ARRAY_TASK_STEP", "JOB_COMPLETION_INDEX"})
      unsetenv(name);
  }
};

double total(const std::vector<double>& durations, const std::vector<size_t>& members) {
  double sum = 0.0;
  for (size_t member : members) sum += durations[member];
  return sum;
}

}  // namespace

TEST(Shard, ParsesKOverN) {
  const Shard shard = auralflow::parse_shard("2/3");
  EXPECT_EQ(shard.index, 2);
  EXPECT_EQ(shard.count, 3);
  EXPECT_EQ(shard.text(), "2/3");
  EXPECT_EQ(shard.file_tag(), "shard-2-of-3");
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "2/3x", "-1/3", "/3", "2/", " 2/3"})
    EXPECT_THROW(auralflow::parse_shard(bad), UsageError) << bad;
}

TEST(Shard, SlurmArrayTaskPicksTheShard) {
  {
    Environment environment({{"SLURM_ARRAY_TASK_ID", "7"},
                             {"SLURM_ARRAY_TASK_MIN", "5"},
                             {"SLURM_ARRAY_TASK_COUNT", "3"}});
    const auto shard = resolve_shard(std::nullopt, std::nullopt);
    ASSERT_TRUE(shard);
    EXPECT_EQ(shard->text(), "3/3");
    EXPECT_EQ(shard->source, "SLURM_ARRAY_TASK_ID=7");
  }
  {
    Environment environment({{"SLURM_ARRAY_TASK_ID", "4"},
                             {"SLURM_ARRAY_TASK_MIN", "0"},
                             {"SLURM_ARRAY_TASK_STEP", "2"},
                             {"SLURM_ARRAY_TASK_COUNT", "3"}});  // --array=0-4:2
    EXPECT_EQ(resolve_shard(std::nullopt, std::nullopt)->text(), "3/3");
    setenv("SLURM_ARRAY_TASK_ID", "3", 1);
    EXPECT_THROW(resolve_shard(std::nullopt, std::nullopt), UsageError);
  }
  {
    Environment environment({{"SLURM_ARRAY_TASK_ID", "2"}});
    const auto message =
        auralflow::testing::error_of([] { resolve_shard(std::nullopt, std::nullopt); });
    EXPECT_TRUE(auralflow::testing::contains(message, "SLURM_ARRAY_TASK_COUNT")) << message;
  }
}

TEST(Shard, IndexedJobNeedsTheCount) {
  Environment environment({{"JOB_COMPLETION_INDEX", "0"}});
  EXPECT_EQ(resolve_shard(std::nullopt, 4)->text(), "1/4");
  const auto message =
      auralflow::testing::error_of([] { resolve_shard(std::nullopt, std::nullopt); });
  EXPECT_TRUE(auralflow::testing::contains(message, "shard count")) << message;
  EXPECT_FALSE(auralflow::testing::contains(message, "--")) << message;  // no CLI flag
  const auto named = auralflow::testing::error_of([] {
    resolve_shard(std::nullopt, std::nullopt, {"--shard", "--shard-count"});
  });
  EXPECT_TRUE(auralflow::testing::contains(named, "--shard-count")) << named;
  setenv("JOB_COMPLETION_INDEX", "4", 1);
  EXPECT_THROW(resolve_shard(std::nullopt, 4), UsageError);  // indexes 0..3
  setenv("JOB_COMPLETION_INDEX", "x", 1);
  EXPECT_THROW(resolve_shard(std::nullopt, 4), UsageError);
}

TEST(Shard, GivenShardWinsAndNoneMeansAllTracks) {
  {
    Environment environment({{"JOB_COMPLETION_INDEX", "0"}});
    EXPECT_EQ(resolve_shard(std::string("2/2"), std::nullopt)->source, "shard");
    EXPECT_EQ(resolve_shard(std::string("2/2"), std::nullopt, {"--shard", "--shard-count"})->source,
              "--shard");
  }
  Environment none({});
  EXPECT_FALSE(resolve_shard(std::nullopt, std::nullopt));
  EXPECT_THROW(resolve_shard(std::nullopt, 3), UsageError);  // a count without an index
}

TEST(Shard, MembersAreDisjointCompleteAndBalancedByDuration) {
  torch::manual_seed(3);
  const auto random = (torch::rand({41}, torch::kDouble) * 300.0 + 20.0).contiguous();
  const std::vector<double> durations(random.data_ptr<double>(), random.data_ptr<double>() + 41);
  const double longest = *std::max_element(durations.begin(), durations.end());
  for (int64_t count : {1, 2, 3, 7}) {
    std::multiset<size_t> seen;
    std::vector<double> totals;
    for (int64_t index = 1; index <= count; ++index) {
      const auto members = shard_members(durations, {index, count, ""});
      EXPECT_TRUE(std::is_sorted(members.begin(), members.end()));
      EXPECT_EQ(members, shard_members(durations, {index, count, ""}));  // deterministic
      seen.insert(members.begin(), members.end());
      totals.push_back(total(durations, members));
    }
    EXPECT_EQ(seen.size(), durations.size()) << count;
    EXPECT_EQ(std::set<size_t>(seen.begin(), seen.end()).size(), durations.size()) << count;
    const auto [low, high] = std::minmax_element(totals.begin(), totals.end());
    EXPECT_LE(*high - *low, longest) << count;
  }
}

TEST(Shard, OneLongTrackIsAShardOfItsOwn) {
  const std::vector<double> durations = {1, 1, 1, 10, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(shard_members(durations, {1, 2, ""}), std::vector<size_t>({3}));
  EXPECT_EQ(shard_members(durations, {2, 2, ""}).size(), 9u);
  // Unknown durations count as 0; more shards than items leaves some empty.
  EXPECT_EQ(shard_members({NAN, 5.0}, {1, 2, ""}), std::vector<size_t>({1}));
  EXPECT_TRUE(shard_members({1.0, 2.0}, {3, 3, ""}).empty());
}
