#pragma once
// Loudness of the stems: each stem to its own level, the mixture to a loudness drawn per
// track, then one common gain so no stem and no mixture sample exceeds the peak. Plain loops
// in double precision, so the result does not depend on LibTorch's thread count.
#include <torch/types.h>

#include <vector>

namespace auralflow::synth::detail {

inline constexpr double kPeak = 0.95;

/// Power (mean square) over the 4096-sample blocks of (channels, samples) audio that are not
/// near-silent (block RMS above -80 dBFS); 0 when every block is.
double active_power(const torch::Tensor& audio);

/// Scales `stems` (stems, channels, samples) float32 in place: stem k to an active-block level
/// of `stem_db[k]` dBFS (silent stems stay silent), then all stems by one gain that puts the
/// mixture at `mixture_db` dBFS, lowered where needed so every stem and the mixture peak at
/// or below kPeak.
void balance(torch::Tensor& stems, const std::vector<double>& stem_db, double mixture_db);

}  // namespace auralflow::synth::detail
