#pragma once
// SI-SDR and global SDR of an (estimate, reference) pair of Signals (private): the sums behind
// the public si_sdr, si_sdr_per_channel and global_sdr (si_sdr.cpp) and evaluate_track, all
// taken in two passes over the samples.
#include <vector>

#include "signal_set.hpp"

namespace auralflow::metrics::detail {

/// The sample-sum metrics of one pair.
struct SignalRatios {
  double si_sdr = 0.0;                     ///< one scale over every channel
  std::vector<double> si_sdr_per_channel;  ///< a scale per channel
  double global_sdr = 0.0;                 ///< over every channel, with `delta`
};

/// pair = {estimate, reference}, (channels, samples) each.
SignalRatios signal_ratios(const SignalSet& pair, double delta);

}  // namespace auralflow::metrics::detail
