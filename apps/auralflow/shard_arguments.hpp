#pragma once
// The options `separate` and `evaluate` share to run one shard of a track list (shard.hpp).
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "auralflow/shard.hpp"

namespace auralflow::cli {

struct ShardArguments {
  std::optional<std::string> shard;  // "K/N"
  std::optional<int64_t> count;      // with JOB_COMPLETION_INDEX
};

/// Adds --shard K/N and --shard-count N to `command`.
void add_shard_options(CLI::App& command, ShardArguments& arguments);

/// This process's shard (from --shard or the cluster's environment), nullopt: all tracks.
std::optional<Shard> resolve_shard(const ShardArguments& arguments);

/// The positions of the shard's tracks among tracks of these durations (all of them without a
/// shard), after printing on stderr which shard this is and what it holds.
std::vector<size_t> shard_tracks(const std::optional<Shard>& shard,
                                 const std::vector<double>& durations);

}  // namespace auralflow::cli
