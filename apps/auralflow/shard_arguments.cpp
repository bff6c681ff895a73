#include "shard_arguments.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <numeric>

namespace auralflow::cli {

void add_shard_options(CLI::App& command, ShardArguments& arguments) {
  command.add_option("--shard", arguments.shard,
                     "do shard K of N (K/N, 1-based) of the sorted tracks, balanced by duration; "
                     "default: from SLURM_ARRAY_TASK_ID/_COUNT/_MIN, or JOB_COMPLETION_INDEX with "
                     "--shard-count");
  command
      .add_option("--shard-count", arguments.count,
                  "number of shards when JOB_COMPLETION_INDEX (Kubernetes Indexed Job) picks one")
      ->check(CLI::PositiveNumber);
}

std::optional<Shard> resolve_shard(const ShardArguments& arguments) {
  return auralflow::resolve_shard(arguments.shard, arguments.count, {"--shard", "--shard-count"});
}

std::vector<size_t> shard_tracks(const std::optional<Shard>& shard,
                                 const std::vector<double>& durations) {
  if (!shard) {
    std::vector<size_t> all(durations.size());
    std::iota(all.begin(), all.end(), size_t{0});
    return all;
  }
  const auto members = shard_members(durations, *shard);
  double seconds = 0.0;
  for (size_t member : members) seconds += std::isfinite(durations[member]) ? durations[member] : 0;
  char audio[64];
  std::snprintf(audio, sizeof(audio), "%.1f min of audio", seconds / 60.0);
  std::cerr << "shard " << shard->text() << " (from " << shard->source << "): " << members.size()
            << " of " << durations.size() << " tracks, " << audio << "\n";
  return members;
}

}  // namespace auralflow::cli
