#pragma once
/// @file
/// One shard's share of an evaluation (`auralflow evaluate --shard K/N`), and the merge of all
/// shards into the evaluation.csv a single run writes (`auralflow evaluate --merge`).
///
/// A part is `<csv stem>.shard-K-of-N.json` next to the CSV the single run would write:
/// @verbatim
///   {"format": "auralflow evaluation part", "version": 1,
///    "output": "<that CSV>",
///    "scored": {what was scored and how: model or estimates, dataset, split, settings},
///    "shard": {"index": K, "count": N},
///    "split_tracks": [every track of the split, in scoring order],
///    "shard_tracks": [the tracks of this shard],
///    "results": [{"track": "<name>", "targets": {"vocals": {"SDR": 4.2, ...}, ...}}, ...]}
/// @endverbatim
/// Track values are kept at full precision ("nan", "inf", "-inf" as strings), so the merged
/// medians and means equal a single run's to the last digit.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "auralflow/evaluation.hpp"
#include "auralflow/shard.hpp"

namespace auralflow {

/// One shard's part file (the JSON of the file comment), read or to write.
struct EvaluationPart {
  std::filesystem::path output;  ///< the evaluation.csv of the whole run
  /// What was scored (data set, model, settings): field -> its value as JSON text; parts
  /// merge only when theirs are equal.
  std::map<std::string, std::string> scored;
  Shard shard;                            ///< which shard this part is
  std::vector<std::string> split_tracks;  ///< every track of the split, in scoring order
  std::vector<std::string> shard_tracks;  ///< the tracks of this shard
  std::vector<EvaluatedTrack> results;    ///< track values only (no per-frame scores)
};

/// "dir/evaluation.shard-2-of-3.json" for csv "dir/evaluation.csv".
std::filesystem::path evaluation_part_file(const std::filesystem::path& csv, const Shard& shard);

/// Writes the part as JSON, atomically.
void write_evaluation_part(const std::filesystem::path& file, const EvaluationPart& part);

/// Reads a part; auralflow::Error naming the file when it is not one.
EvaluationPart read_evaluation_part(const std::filesystem::path& file);

/// The part files among `paths`: each a part file, or a folder whose *.shard-*-of-*.json
/// files are taken (in name order).
std::vector<std::filesystem::path> find_evaluation_parts(
    const std::vector<std::filesystem::path>& paths);

/// Every part's results in split order, as one run over the whole split returns them.
/// auralflow::Error when the parts' "scored" differ (naming the field), when shards are missing
/// or given twice, and when a track of the split is in no part's results (missing: naming them
/// and their shard) or in two (doubled).
std::vector<EvaluatedTrack> merge_evaluation_parts(const std::vector<EvaluationPart>& parts);

}  // namespace auralflow
