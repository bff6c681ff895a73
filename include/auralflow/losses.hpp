#pragma once
/// @file
/// Training losses for source separation, as differentiable functions on tensors, and a
/// Criterion that a training loop builds from a config name (make_criterion).
///
/// Shapes. Spectrogram losses take magnitudes `(batch, channels, bins, frames)`; audio losses
/// take `(batch, channels, samples)`. Several targets may be stacked on a new dim 1:
/// `(batch, targets, channels, ...)`. Arguments of one call must have the same shape (no
/// broadcasting: a mixture shared by several targets has to be expanded by the caller).
/// The component loss normalises per batch item over all other dims; SI-SDR scales per
/// channel and sums energies per batch item (see each function).
///
/// Precision. float16/bfloat16 inputs (autocast) are computed in float32, so sums over a
/// whole spectrogram cannot overflow; float32 and float64 stay as they are. The result has
/// that computation dtype.
///
/// Degenerate inputs. The original Auralflow returned NaN/inf for an all-zero residual or
/// mask (component loss) and for a silent target channel or an all-zero or perfect estimate
/// (SI-SDR). Here a denominator below kLossEpsilon is replaced by kLossEpsilon, so such
/// losses and their gradients stay finite. On any other input the values and gradients are
/// those of the original (tests/data/original/losses.pt).
#include <torch/arg.h>
#include <torch/types.h>

#include <functional>
#include <string>
#include <vector>

namespace auralflow {

/// Floor for the denominators of component_loss, si_sdr_loss and rmse_loss; only inputs
/// whose norm or energy is below it (silence) are affected.
inline constexpr double kLossEpsilon = 1e-8;

/// Elementwise distance used by the reconstruction terms.
enum class Distance {
  kL1,  ///< mean (or sum) of |a - b|
  kL2,  ///< mean (or sum) of (a - b)^2
};

/// "l1" or "l2"; anything else throws auralflow::Error naming the allowed values.
Distance distance_from_name(const std::string& name);

/// Weighted 2- or 3-component loss of a mask (Auralflow's ComponentLoss).
/// mask, mixture, target: magnitudes, same shape `(batch, ...)`; residual R = mixture - target
/// (it may be negative).
/// @verbatim
///   S = sum((mask·target - target)^2)                   separation quality
///   N = sum((mask·R)^2)                                 noise attenuation
///   Q = sum((mask·R / |mask·R| - R / |R|)^2)            noise quality, norms per batch item
///   loss = ((1 - alpha - beta)·S + alpha·N + beta·Q) / numel
/// @endverbatim
/// beta = 0 gives the 2-component loss. When alpha + beta > 1 both are divided by
/// alpha + beta + 1e-8 (as the original). The norms run over all non-batch dims, any rank
/// (the original crashed on 4-D input under torch 1.13). A norm below kLossEpsilon (an
/// all-zero residual or mask) is floored, so Q stays finite. alpha and beta must be >= 0.
torch::Tensor component_loss(const torch::Tensor& mask, const torch::Tensor& mixture,
                             const torch::Tensor& target, double alpha = 0.2, double beta = 0.8);

/// KL divergence of N(mu, sigma^2) from N(0, 1), averaged over all elements (not summed):
/// 0.5·mean(mu^2 + sigma^2 - log(sigma^2) - 1). mu, sigma: same shape `(batch, ...)`.
torch::Tensor kl_div_loss(const torch::Tensor& mu, const torch::Tensor& sigma);

/// Reconstruction distance (mean reduction) of estimate to target plus kl_div_loss(mu, sigma)
/// (Auralflow's KLDivergenceLoss for the VAE).
torch::Tensor kl_divergence_loss(const torch::Tensor& estimate, const torch::Tensor& target,
                                 const torch::Tensor& mu, const torch::Tensor& sigma,
                                 Distance distance);

/// Negative scale-invariant SDR in dB, averaged over the batch (Auralflow's si_sdr_loss).
/// estimate, target: `(batch, [targets,] channels, samples)`. As the original, there is no
/// zero-mean step, the target is scaled per channel (over samples) and the energies are
/// summed per batch item over all its other dims:
/// @verbatim
///   s = (<e, t> / <t, t>)·t per channel,  n = e - s,
///   sdr = 10·log10(|s|^2 / |n|^2) per item,  loss = -mean(sdr).
/// @endverbatim
/// <t, t>, |s|^2 and |n|^2 are floored at kLossEpsilon: a silent target gives
/// sdr = 10·log10(eps / |e|^2), an all-zero estimate 0 dB, a perfect one 10·log10(|t|^2 / eps).
/// best_perm: the smaller loss of the two argument orders (estimate, target) and
/// (target, estimate), as the original SISDRLoss(best_perm=True).
torch::Tensor si_sdr_loss(const torch::Tensor& estimate, const torch::Tensor& target,
                          bool best_perm = false);

/// Mean (or, with reduce_mean = false, sum) absolute error. Same shapes.
torch::Tensor l1_loss(const torch::Tensor& estimate, const torch::Tensor& target,
                      bool reduce_mean = true);

/// Mean (or sum) squared error. Same shapes.
torch::Tensor l2_loss(const torch::Tensor& estimate, const torch::Tensor& target,
                      bool reduce_mean = true);

/// sqrt(mean squared error) over all elements; the mean is floored at kLossEpsilon so a
/// perfect estimate has a finite (zero) gradient.
torch::Tensor rmse_loss(const torch::Tensor& estimate, const torch::Tensor& target);

/// Distance of a mask to the ideal ratio mask target / max(mixture, 1e-6) (Auralflow's
/// MaskLoss). The ideal mask is not clipped to 1, as the original.
torch::Tensor mask_loss(const torch::Tensor& mask, const torch::Tensor& mixture,
                        const torch::Tensor& target, Distance distance, bool reduce_mean = true);

/// What a training step hands to a Criterion. Fields a criterion does not need may stay
/// undefined; see make_criterion for which criterion needs which.
struct LossInputs {
  torch::Tensor mask;               ///< (batch, [targets,] channels, bins, frames), network output
  torch::Tensor mixture_magnitude;  ///< |X|, same shape as mask
  torch::Tensor target_magnitude;   ///< |Y|, same shape as mask
  torch::Tensor estimate_audio;     ///< (batch, [targets,] channels, samples)
  torch::Tensor target_audio;       ///< same shape as estimate_audio
  torch::Tensor mu;                 ///< (batch, ...) VAE latent mean
  torch::Tensor sigma;              ///< same shape as mu, VAE latent standard deviation
};

/// Names a field of LossInputs.
enum class LossInput {
  kMask,
  kMixtureMagnitude,
  kTargetMagnitude,
  kEstimateAudio,
  kTargetAudio,
  kMu,
  kSigma,
};

/// The LossInputs member name of `input`, e.g. "mixture_magnitude".
std::string loss_input_name(LossInput input);

/// A named loss over LossInputs that knows which fields it reads, so a training loop can
/// compute only those (e.g. the inverse STFT only when kEstimateAudio is required).
class Criterion {
 public:
  /// The loss itself: LossInputs in, scalar tensor out.
  using Function = std::function<torch::Tensor(const LossInputs&)>;

  /// A criterion called `name` that reads the fields `required` of its inputs.
  Criterion(std::string name, std::vector<LossInput> required, Function function);

  /// The scalar loss. Throws auralflow::Error naming the criterion and the field when a
  /// required field is undefined.
  torch::Tensor operator()(const LossInputs& inputs) const;

  /// Its name, e.g. "component_loss".
  const std::string& name() const { return name_; }
  /// The LossInputs fields it reads.
  const std::vector<LossInput>& required_inputs() const { return required_; }
  /// Whether it reads `input`.
  bool requires_input(LossInput input) const;

 private:
  std::string name_;
  std::vector<LossInput> required_;
  Function function_;
};

/// Settings of the criteria built by make_criterion (LibTorch-style chained setters).
struct CriterionOptions {
  /// component_loss weights.
  TORCH_ARG(double, alpha) = 0.2;
  /// component_loss: weight of the residual term (alpha weighs the target term).
  TORCH_ARG(double, beta) = 0.8;
  /// Reconstruction distance of kl_div_loss and mask_loss.
  TORCH_ARG(Distance, distance) = Distance::kL2;
  /// Mean (true) or sum reduction of l1, l2 and mask_loss.
  TORCH_ARG(bool, reduce_mean) = true;
  /// si_sdr_loss: the better of the two argument orders.
  TORCH_ARG(bool, best_perm) = false;
};

/// The criterion called `name`; with estimate = mask · mixture_magnitude:
/// @verbatim
///   component_loss  component_loss(mask, mixture_magnitude, target_magnitude, alpha, beta)
///                   needs mask, mixture_magnitude, target_magnitude
///   kl_div_loss     kl_divergence_loss(estimate, target_magnitude, mu, sigma, distance)
///                   needs mask, mixture_magnitude, target_magnitude, mu, sigma
///   si_sdr_loss     si_sdr_loss(estimate_audio, target_audio, best_perm)
///                   needs estimate_audio, target_audio
///   l1, l2, rmse    l1_loss / l2_loss (reduce_mean) / rmse_loss of estimate to target_magnitude
///                   need mask, mixture_magnitude, target_magnitude
///   mask_loss       mask_loss(mask, mixture_magnitude, target_magnitude, distance, reduce_mean)
///                   needs mask, mixture_magnitude, target_magnitude
/// @endverbatim
/// An unknown name throws auralflow::Error listing the allowed names.
Criterion make_criterion(const std::string& name, const CriterionOptions& options = {});

/// The names make_criterion accepts, in the order above.
const std::vector<std::string>& criterion_names();

}  // namespace auralflow
