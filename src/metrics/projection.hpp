#pragma once
// Per-frame BSSEval decomposition (private; museval _bss_decomp_mtifilt and _bss_crit,
// docs/bsseval.md section 4): the whole-track distortion filters are applied to the
// frame-limited references, keeping the L - 1 sample convolution tail. The energies of the
// projections and error terms are taken in the frequency domain (Parseval), so no
// projection is ever transformed back to samples.
#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "auralflow/metrics.hpp"
#include "distortion_filters.hpp"
#include "signal_set.hpp"

namespace auralflow::metrics::detail {

/// Projects frames of one length with fixed filters. The filter spectra are computed once
/// here and reused for every frame.
class FrameProjector {
 public:
  FrameProjector(const DistortionFilters& filters, int64_t frame_length);

  /// Buffers of one thread, reused for every frame it projects.
  class Workspace {
   public:
    explicit Workspace(const FrameProjector& projector);

   private:
    friend class FrameProjector;
    torch::Tensor segments;  // (P + E, F) float64: frame of every reference, then estimate
    torch::Tensor spectra;   // (P + E, F/2 + 1) complex128
  };

  /// SDR, ISR, SIR, SAR of each stem over samples [frame.first, frame.second) (dB, +-inf
  /// possible). references, estimates: the J stems of the call; the frame must have the
  /// length given to the constructor.
  std::vector<BssEvalValues> frame_metrics(const SignalSet& references, const SignalSet& estimates,
                                           const FrameBounds& frame, Workspace& workspace) const;

 private:
  int64_t frame_length_;        // M
  int64_t fft_size_;            // F >= M + L - 1: the projections fit without wrap-around
  int64_t stems_;               // J
  int64_t channels_;            // C
  torch::Tensor full_spectra_;  // (P, E, F/2 + 1): rfft of DistortionFilters::full
  torch::Tensor own_spectra_;   // (J, C', C, F/2 + 1): rfft of DistortionFilters::own
};

}  // namespace auralflow::metrics::detail
