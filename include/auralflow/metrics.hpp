#pragma once
/// @file
/// Evaluation metrics of separated stems against their references:
///   - BSSEval v4 exactly as museval 0.4.1 computes it (`museval.evaluate`): framewise
///     SDR, ISR, SIR, SAR with time-invariant 512-tap distortion filters fitted once on
///     the whole track, museval's silent-frame rule and storage rule, median per track;
///   - SI-SDR (scale-invariant SDR, no mean removal), shared-scale and per channel;
///   - global SDR (MDX Challenge / Demucs "new SDR").
/// Definitions: docs/bsseval.md; user guide: docs/metrics.md.
///
/// Audio tensors are (channels, samples), float32 or float64, on any device; every
/// computation runs on the CPU in float64. Values are in dB. bss_eval_v4 and evaluate_track
/// also take Signals (signal.hpp), read a range at a time: with audio::open_signal a track is
/// scored from its files without holding them in memory.
#include <torch/arg.h>
#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "auralflow/signal.hpp"

namespace auralflow::metrics {

/// Framing of BSSEval v4 (museval's defaults at 44.1 kHz; evaluation uses 1 s at the track's
/// rate).
struct BssEvalOptions {
  /// Frame length in samples (museval: 1 s).
  TORCH_ARG(int64_t, window) = 44100;
  /// Frame hop in samples (museval: 1 s).
  TORCH_ARG(int64_t, hop) = 44100;
  /// Length L of the distortion filters (museval: 512).
  TORCH_ARG(int64_t, filter_taps) = 512;
};

/// A frame [begin, end) in samples.
using FrameBounds = std::pair<int64_t, int64_t>;

/// museval's frames for a track of `samples` samples: floor((N - W + H) / H) frames
/// [t*H, t*H + W) if W < N (a trailing partial window is not scored), else one frame [0, N).
std::vector<FrameBounds> bss_eval_frames(int64_t samples, const BssEvalOptions& options = {});

/// The four BSSEval values of one frame or one track (dB).
struct BssEvalValues {
  double sdr = 0.0;  ///< source-to-distortion ratio
  double isr = 0.0;  ///< source-image-to-spatial-distortion ratio
  double sir = 0.0;  ///< source-to-interference ratio
  double sar = 0.0;  ///< source-to-artefacts ratio
};

/// Raw result of one BSSEval v4 call (before museval's storage rule).
struct BssEvalResult {
  /// True when a reference or an estimate of some stem is silent over the whole track
  /// (museval raises ValueError there); all values are then NaN.
  bool refused = false;
  std::vector<FrameBounds> frame_bounds;  ///< the frames scored (bss_eval_frames)
  /// [stem][frame], stems in input order: NaN for silent frames, +-inf kept.
  std::vector<std::vector<BssEvalValues>> frames;
};

/// BSSEval v4 of all stems of one track in one call (they share the Gram matrix and the
/// silent-frame mask). references[j], estimates[j]: (channels, samples), all the same shape
/// (apply the length rule first, as evaluate_track does). Throws auralflow::Error on bad shapes.
BssEvalResult bss_eval_v4(const std::vector<torch::Tensor>& references,
                          const std::vector<torch::Tensor>& estimates,
                          const BssEvalOptions& options = {});

/// The same on Signals, all of the same channels and samples.
BssEvalResult bss_eval_v4(const std::vector<SignalPtr>& references,
                          const std::vector<SignalPtr>& estimates,
                          const BssEvalOptions& options = {});

/// SI-SDR = 10 log10(|a s|^2 / |s_hat - a s|^2), a = <s_hat, s> / |s|^2, with one scale `a`
/// for all channels (signals flattened). estimate, reference: same shape, e.g.
/// (channels, samples). +inf if the residual is exactly 0, -inf for an all-zero estimate,
/// NaN for an all-zero reference.
double si_sdr(const torch::Tensor& estimate, const torch::Tensor& reference);

/// SI-SDR of each channel with its own scale. estimate, reference: (channels, samples).
std::vector<double> si_sdr_per_channel(const torch::Tensor& estimate,
                                       const torch::Tensor& reference);

/// The MDX Challenge's delta of global_sdr (evaluate_track uses it).
constexpr double kGlobalSdrDelta = 1e-7;

/// 10 log10((|s|^2 + delta) / (|s - s_hat|^2 + delta)) over all samples and channels.
/// estimate, reference: same shape.
double global_sdr(const torch::Tensor& estimate, const torch::Tensor& reference,
                  double delta = kGlobalSdrDelta);

/// What the length rule did to an estimate (estimates are fitted to the reference length
/// at the END; references are never changed).
enum class EstimateAdjustment { None, ZeroPaddedAtEnd, CutAtEnd };

/// "none", "zero_padded_at_end", "cut_at_end".
std::string to_string(EstimateAdjustment adjustment);

/// Every score of one stem of one track.
struct TargetScores {
  /// Per frame, as museval stores them: rounded to 5 decimals (half even), NaN for silent
  /// frames and for +-inf.
  std::vector<BssEvalValues> frames;
  /// The same before that storage rule (+-inf kept), for debugging and finer comparisons.
  std::vector<BssEvalValues> frames_unrounded;
  /// Track values: median of the non-NaN stored frame values (NaN if none).
  BssEvalValues median;
  /// SI-SDR with one scale for all channels.
  double si_sdr = 0.0;
  /// Mean over channels of the per-channel SI-SDR.
  double si_sdr_channel_mean = 0.0;
  /// (channels) values.
  std::vector<double> si_sdr_per_channel;
  /// global SDR (MDX Challenge) over all samples and channels.
  double global_sdr = 0.0;
  /// What the length rule did to the estimate.
  EstimateAdjustment estimate_adjustment = EstimateAdjustment::None;
};

/// Every score of one track.
struct TrackScores {
  /// See BssEvalResult::refused. SI-SDR and global SDR are still computed.
  bool refused = false;
  std::vector<FrameBounds> frame_bounds;        ///< the frames scored (bss_eval_frames)
  std::map<std::string, TargetScores> targets;  ///< by target name
};

/// Evaluates all stems of one track in one BSSEval call. Stems are matched by name;
/// references: (channels, samples), all the same shape; estimates: (channels, any length),
/// zero-padded or cut at the end to the reference length. Throws auralflow::Error when the
/// names differ or shapes do not fit.
TrackScores evaluate_track(const std::map<std::string, torch::Tensor>& references,
                           const std::map<std::string, torch::Tensor>& estimates,
                           const BssEvalOptions& options = {});

/// The same on Signals: the same scores as the tensors they hold, read a range at a time.
TrackScores evaluate_track(const std::map<std::string, SignalPtr>& references,
                           const std::map<std::string, SignalPtr>& estimates,
                           const BssEvalOptions& options = {});

/// Track-level metrics that can be aggregated over tracks.
enum class Metric { Sdr, Isr, Sir, Sar, SiSdr, SiSdrChannelMean, GlobalSdr };

/// Every Metric, in the order above.
const std::vector<Metric>& all_metrics();

/// "SDR", "ISR", "SIR", "SAR", "SI-SDR", "SI-SDR_channel_mean", "global_SDR".
std::string to_string(Metric metric);

/// The track value of `metric` (BSSEval medians, SI-SDR, global SDR).
double track_value(const TargetScores& scores, Metric metric);

/// The same value, writable (to rebuild track values read from a file).
double& track_value(TargetScores& scores, Metric metric);

/// A metric over tracks; NaN track values are skipped (+-inf, possible for SI-SDR, are kept).
struct MetricSummary {
  double median = 0.0;  ///< museval's data-set score: median over tracks of the track values
  double mean = 0.0;    ///< MDX-style mean over tracks
  int64_t tracks = 0;   ///< tracks with a non-NaN value; median and mean are NaN if 0
};

/// target -> metric -> summary over every track that has the target.
std::map<std::string, std::map<Metric, MetricSummary>> aggregate(
    const std::vector<TrackScores>& tracks);

}  // namespace auralflow::metrics
