#pragma once
// `auralflow report`: one self-contained HTML page about one evaluation, or two side by side
// (A vs B with per-target deltas): the summary per target with the oracles' rows, a per-track
// table that sorts by any column, a box plot of SDR per target (inline SVG) and, when the
// estimates and references are at hand, mixture / estimate / reference spectrograms (embedded
// PNGs) and audio players for each track. No network, no external scripts or styles; the audio
// players link to the WAV files where they are, relative to the page.
#include <filesystem>
#include <string>
#include <vector>

#include "auralflow/evaluation.hpp"

namespace auralflow {

/// An evaluation.csv read back (read_evaluation_csv), with the name the page shows for it.
struct ReportEvaluation {
  std::string label;
  std::vector<EvaluationRow> rows;
};

struct ReportOptions {
  /// Oracle evaluations (e.g. "mixture" and "irm" from `evaluate --oracle`): their median rows
  /// join the summary as the floor and the ceiling.
  std::vector<ReportEvaluation> oracles;
  /// The first evaluation's estimates (<track>/<target>.wav, as evaluate --save or separate
  /// write them) and the data set with the references; both empty: no per-track media.
  std::filesystem::path estimates;
  std::filesystem::path references;
  std::string split = "test";
  /// The folder the page is written to: audio links are relative to it.
  std::filesystem::path page_folder;
  /// Seconds of each track drawn in the spectrograms (from the start).
  double spectrogram_seconds = 20.0;
};

/// The HTML page for `evaluations` (one or two). auralflow::Error when there are none or more
/// than two, or when the estimates or references cannot be read.
std::string evaluation_report_html(const std::vector<ReportEvaluation>& evaluations,
                                   const ReportOptions& options = {});

}  // namespace auralflow
