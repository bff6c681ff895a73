#pragma once
/// @file
/// Shards: N processes (a Slurm job array, a Kubernetes Indexed Job, or N shells) each take one
/// disjoint part of a sorted track list, together all of it. The split depends only on the list
/// and the tracks' durations, so every process computes the same one. See docs/cluster.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace auralflow {

/// Shard `index` of `count`, 1-based (1 <= index <= count).
struct Shard {
  int64_t index = 1;  ///< this shard, 1..count
  int64_t count = 1;  ///< shards in all
  /// Where the shard came from, for the output: "shard" (or the caller's name for the setting,
  /// e.g. the CLI's "--shard"), "SLURM_ARRAY_TASK_ID=5", ...
  std::string source;

  /// "2/3".
  std::string text() const;
  /// "shard-2-of-3", for file names.
  std::string file_tag() const;
};

/// What the caller calls the two settings, in messages and Shard::source (the CLI passes its
/// flags, "--shard" and "--shard-count").
struct ShardSettingNames {
  std::string shard = "shard";        ///< the setting holding "K/N"
  std::string count = "shard count";  ///< the setting holding N for an Indexed Job
};

/// "K/N" (e.g. "2/3"); auralflow::UsageError for anything else or K outside 1..N. `source`
/// names the setting the text came from (Shard::source, messages).
Shard parse_shard(const std::string& text, const std::string& source = ShardSettingNames{}.shard);

/// The shard a cluster engine assigns to this process, when `given` (a shard "K/N") is empty:
///  - Slurm job arrays: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT and
///    SLURM_ARRAY_TASK_STEP (default 1): index (ID - MIN) / STEP + 1 of COUNT;
///  - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX (0-based) + 1 of `count` (the Job's
///    completions), which must then be given.
/// `given` wins over the environment; nullopt when neither names a shard. UsageError for a
/// count without an index, an index without a count, or values that do not fit.
std::optional<Shard> resolve_shard(const std::optional<std::string>& given,
                                   std::optional<int64_t> count,
                                   const ShardSettingNames& names = {});

/// The positions (ascending) of the items of `shard` among items with these durations
/// (seconds; any order, e.g. tracks by name; NaN for unknown counts as 0). Balanced by
/// duration: longest first, each to the shard with the least total so far (the lowest index on
/// ties), so the shards' totals differ by at most the longest item. Deterministic: equal
/// inputs give equal shards on every machine.
std::vector<size_t> shard_members(const std::vector<double>& durations, const Shard& shard);

}  // namespace auralflow
