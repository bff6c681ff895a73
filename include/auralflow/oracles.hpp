#pragma once
/// @file
/// Oracle estimates: what a separator would output if it knew the true stems. Scored like a
/// model (evaluate_oracle in evaluation.hpp), they give every score table its floor and its
/// ceiling for masking:
/// @verbatim
///   mixture  the mixture itself as the estimate of every target (the floor: no separation);
///   irm      ideal ratio mask: M_j = |S_j| / sum_k |S_k| per channel, frequency bin and frame
///            (0 where every stem is silent), applied to the complex STFT of the mixture
///            (sigsep's oracle IRM with alpha = 1, the magnitude ratio);
///   ibm      ideal binary mask: M_j = 1 where |S_j| is the largest of the |S_k| (the target
///            dominates the bin; ties go to the first stem in drums, bass, other, vocals order)
///            and 0 elsewhere, also 0 where every stem is silent; applied to the mixture STFT.
/// @endverbatim
/// S_k are the STFTs of all four stems (drums, bass, other, vocals), whatever the targets, so
/// the masks of the four stems sum to 1 in every bin where some stem is not silent. The STFT is
/// AudioTransform's (periodic Hann window of num_fft samples, centred), by default Open-Unmix's
/// 4096/1024; the masked mixture is inverted with the same STFT to the mixture's length.
#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace auralflow {

/// The oracles of the file comment: mixture, irm, ibm.
enum class Oracle { Mixture, IdealRatioMask, IdealBinaryMask };

/// "mixture", "irm", "ibm".
std::string to_string(Oracle oracle);

/// The oracle named `name` (see to_string); auralflow::UsageError naming the choices otherwise.
Oracle parse_oracle(const std::string& name);

/// Every oracle, in the order above.
const std::vector<Oracle>& all_oracles();

/// The STFT the masks are computed in.
struct OracleOptions {
  int64_t num_fft = 4096;     ///< STFT size (and window length) of the masks
  int64_t hop_length = 1024;  ///< STFT hop

  /// auralflow::UsageError naming the first invalid setting.
  void validate() const;
};

/// auralflow::UsageError when `targets` is empty, repeats a stem or names one that is not in
/// stem_names().
void check_oracle_targets(const std::vector<std::string>& targets);

/// The estimates of `targets` by `oracle`: target -> (C, N) float32 on the CPU, N the length
/// of the shortest input. mixture: (C, N); stems: every one of stem_names() -> (C, N) (the
/// mixture oracle needs none). Inputs of different lengths are cut to the shortest; a channel
/// mismatch, a missing stem or a track shorter than num_fft / 2 samples is an auralflow::Error.
std::map<std::string, torch::Tensor> oracle_estimates(
    Oracle oracle, const torch::Tensor& mixture, const std::map<std::string, torch::Tensor>& stems,
    const std::vector<std::string>& targets, const OracleOptions& options = {});

}  // namespace auralflow
