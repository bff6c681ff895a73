#pragma once
// Scores of a model (or of any system's estimates) on a set of tracks, as a table:
// evaluation.csv and the summary printed by `auralflow evaluate`.
//
// evaluation.csv columns:
//   row,track,target,tracks,SDR,SIR,ISR,SAR,SI-SDR,SI-SDR_channel_mean,global_SDR
// `row` is "track" (one row per track and target, `tracks` = 1), then "median" and "mean"
// summary rows per target over the tracks (`track` empty, `tracks` = tracks with a value).
// The median over tracks of the track medians is museval's data-set score; the mean is
// the MDX-style score. Values in dB with 5 decimals; NaN as "nan", infinities as "inf"/"-inf".
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auralflow/metrics.hpp"
#include "auralflow/oracles.hpp"

namespace auralflow {

struct EvaluatedTrack {
  std::string name;
  metrics::TrackScores scores;
};

/// The CSV text described above.
std::string evaluation_csv(const std::vector<EvaluatedTrack>& tracks);

/// Writes evaluation_csv(tracks) to `file` atomically.
void write_evaluation_csv(const std::filesystem::path& file,
                          const std::vector<EvaluatedTrack>& tracks);

/// One row of an evaluation.csv as read back: `values` maps each metric column to its value.
struct EvaluationRow {
  std::string row;  // "track", "median" or "mean"
  std::string track;
  std::string target;
  int64_t tracks = 0;
  std::map<metrics::Metric, double> values;
};

/// The rows of an evaluation.csv (the format above; columns found by name, so files from
/// earlier versions with fewer metric columns read too). auralflow::Error naming the file and
/// line when it is not one.
std::vector<EvaluationRow> read_evaluation_csv(const std::filesystem::path& file);

/// A fixed-width text table of the per-target medians (and means) over the tracks, for
/// printing: one line per target, columns SDR SIR ISR SAR SI-SDR global_SDR.
std::string evaluation_summary(const std::vector<EvaluatedTrack>& tracks);

class Separator;

/// Which tracks to score and what to keep.
struct EvaluationOptions {
  std::string split = "test";
  int64_t max_tracks = 0;          // the first N tracks in name order; 0: all
  std::optional<double> duration;  // seconds from the start of each track; nullopt: whole
  /// The "valid" tracks of a data set with neither a val/ folder nor the MUSDB18 validation
  /// tracks in train/: this seeded fraction of train/, as DatasetOptions picks them (use the
  /// model's config values to score the tracks it held out).
  double val_split = 0.1;
  uint64_t seed = 0;
  /// evaluate_separator and evaluate_oracle: keep the estimates as save_dir/<track>/<target>.wav;
  /// empty: not kept.
  std::filesystem::path save_dir;
  /// One line per track as it is scored (and per skipped track); may be empty.
  std::function<void(const std::string&)> log;
  /// Score only the tracks of the split with these names (a shard's, less those done);
  /// nullopt: every track.
  std::optional<std::set<std::string>> only_tracks;
  /// Called with each track's scores as soon as it is scored (to save progress); may be empty.
  std::function<void(const EvaluatedTrack&)> scored;
};

struct Track;

/// The tracks of the dataset's split that evaluate_* score with these options, in their order
/// (split, max_tracks, val_split and seed apply; only_tracks does not).
std::vector<Track> evaluation_tracks(const std::filesystem::path& dataset,
                                     const EvaluationOptions& options);

/// Separates every track of the dataset's split with `separator` and scores its targets
/// against the references (BSSEval v4 with 1-second windows at the track's rate, SI-SDR,
/// global SDR). The dataset layouts are those of datasets.hpp.
std::vector<EvaluatedTrack> evaluate_separator(const Separator& separator,
                                               const std::filesystem::path& dataset,
                                               const EvaluationOptions& options = {});

/// Scores an oracle's estimates (oracles.hpp) of `targets` (each one of stem_names()) on every
/// track of the dataset's split, as evaluate_separator scores a model's: the floor (mixture)
/// and the ceilings of masking (irm, ibm) for the same table. The masks need all four stems of
/// every track.
std::vector<EvaluatedTrack> evaluate_oracle(Oracle oracle, const std::filesystem::path& dataset,
                                            const std::vector<std::string>& targets,
                                            const EvaluationOptions& options = {},
                                            const OracleOptions& oracle_options = {});

/// Where the estimates of `track` are: estimates/<track>, estimates/<split>/<track> or
/// estimates/separated_audio/<track> (the first that is a folder), or nullopt.
std::optional<std::filesystem::path> estimates_folder(const std::filesystem::path& estimates,
                                                      const std::string& split,
                                                      const std::string& track);

/// The first file folder/<stem>.* (e.g. vocals.wav) in directory order, or nullopt.
std::optional<std::filesystem::path> find_stem_file(const std::filesystem::path& folder,
                                                    const std::string& stem);

/// Scores another system's output: estimates/<track>/<target>.<ext> (also under
/// estimates/<split>/ or estimates/separated_audio/, as `auralflow separate` writes them) for
/// the dataset split's tracks. The targets are the stems (drums, bass, other, vocals) found
/// for the first track; a track without estimates is skipped with a log line, and no
/// estimates at all is an auralflow::Error.
std::vector<EvaluatedTrack> evaluate_estimates(const std::filesystem::path& estimates,
                                               const std::filesystem::path& dataset,
                                               const EvaluationOptions& options = {});

}  // namespace auralflow
