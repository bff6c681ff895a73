#pragma once
// The multichannel Wiener filter with expectation-maximisation of Open-Unmix / norbert
// (Nugraha, Liutkus & Vincent, "Multichannel audio source separation with deep neural
// networks", 2016): each source j is a local Gaussian model with a power spectrogram v_j(f, t)
// and a spatial covariance R_j(f) (C × C). Each iteration re-estimates (v_j, R_j) from the
// current source STFTs and replaces them by their posterior means v_j R_j Cxx⁻¹ x, with
// Cxx = Σ_j v_j R_j + √eps·I. `separate --wiener N` runs N iterations on every chunk.
#include <torch/types.h>

#include <optional>

#include "auralflow/transforms.hpp"

namespace auralflow {

/// EM on STFTs. mixture: (B, F, T, C) complex; sources: the initial source estimates
/// (B, J, F, T, C) complex, J >= 1; returns the refined sources, (B, J, F, T, C). `eps`
/// regularises (√eps·I added to Cxx, eps to the power sums); nullopt: the machine epsilon of
/// the inputs' precision, as norbert.expectation_maximization. iterations >= 1; the 2 × 2
/// (stereo) inverse is in closed form.
torch::Tensor wiener_expectation_maximization(const torch::Tensor& mixture, torch::Tensor sources,
                                              int iterations,
                                              std::optional<double> eps = std::nullopt);

/// The filter on waveforms: mixture (B, C, L) and model estimates (B, K, C, L) -> refined
/// estimates (B, K, C, L), through `transform`'s STFT. The residual (mixture - sum of the
/// estimates) takes part as one more source, so a single-target model is filtered against
/// "everything else". Signals are scaled as norbert does (peak / 10 when above 10) so that the
/// regularisation stays small against them. iterations >= 1.
torch::Tensor wiener_filter(const AudioTransform& transform, const torch::Tensor& mixture,
                            const torch::Tensor& estimates, int iterations);

}  // namespace auralflow
