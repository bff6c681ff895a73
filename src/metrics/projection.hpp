#pragma once
// Per-frame BSSEval decomposition (private; museval _bss_decomp_mtifilt and _bss_crit,
// docs/bsseval.md section 4): the whole-track distortion filters are applied to the
// frame-limited references, keeping the L - 1 sample convolution tail.
#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "auralflow/metrics.hpp"
#include "distortion_filters.hpp"

namespace auralflow::metrics::detail {

/// Projects frames of one length with fixed filters. The filter spectra are computed once
/// here and reused for every frame.
class FrameProjector {
 public:
  FrameProjector(const DistortionFilters& filters, int64_t frame_length);

  /// SDR, ISR, SIR, SAR of each stem of one frame (dB, +-inf possible).
  /// references, estimates: (J, C, M) float64 frames.
  std::vector<BssEvalValues> frame_metrics(const torch::Tensor& references,
                                           const torch::Tensor& estimates) const;

 private:
  /// (rows, M) -> (rows, M + L - 1): FFT convolution with the filter spectra, block by block
  /// (overlap-add) so that long frames need no huge FFTs. spectra: (rows, K, F) products.
  torch::Tensor overlap_add(const torch::Tensor& spectra) const;

  int64_t frame_length_;        // M
  int64_t taps_;                // L
  int64_t fft_size_;            // per block
  int64_t block_;               // input samples per block: fft_size - L + 1
  int64_t blocks_;              // K = ceil(M / block)
  torch::Tensor full_spectra_;  // (P, J*C, F): rfft of DistortionFilters::full
  torch::Tensor own_spectra_;   // (C', J, C, F): rfft of DistortionFilters::own
};

}  // namespace auralflow::metrics::detail
