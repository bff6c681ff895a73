#pragma once
// Private to src/separator: the multichannel Wiener filter with expectation-maximisation
// of open-unmix / norbert (Nugraha, Liutkus & Vincent 2016): each source j is a local
// Gaussian model with a power spectrogram v_j(f, t) and a spatial covariance R_j(f)
// (C × C); each iteration re-estimates (v_j, R_j) from the current source STFTs and
// replaces them by their posterior means v_j R_j Cxx⁻¹ x, Cxx = Σ_j v_j R_j.
#include <torch/types.h>

#include "auralflow/transforms.hpp"

namespace auralflow::detail {

/// mixture (B, C, L) and model estimates (B, K, C, L) -> refined estimates (B, K, C, L).
/// The residual (mixture - sum of the estimates) takes part as one more source, so a
/// single-target model is filtered against "everything else". iterations >= 1.
torch::Tensor wiener_filter(const AudioTransform& transform, const torch::Tensor& mixture,
                            const torch::Tensor& estimates, int iterations);

}  // namespace auralflow::detail
