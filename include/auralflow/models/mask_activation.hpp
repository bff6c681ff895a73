#pragma once
/// @file
/// The last step of every SpectrogramNet: a nonlinearity that turns the decoder output into a
/// multiplicative soft mask, then clamp(0, 1).
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

namespace auralflow::models {

/// Mask nonlinearity by name, followed by clamp(0, 1):
/// @verbatim
///   relu, hardtanh (range 0..1), tanh, softmax, prelu (one learnt slope, init 0.25, key
///   `weight` as the original's nn.PReLU), selu, elu, sigmoid.
/// @endverbatim
/// softmax: with several targets (K > 1) it runs over the targets, so the masks sum to one
/// across sources. With one target it keeps the original's behaviour, a softmax over the
/// channels (the original's nn.Softmax() without dim resolves to dim 1 of (B, C, F, T)); for
/// mono that mask is all ones, which is what the original computed.
/// An unknown name throws auralflow::Error listing the allowed ones (the original silently fell
/// back to sigmoid).
class MaskActivationImpl : public torch::nn::Module {
 public:
  /// The activation called `name` (one of names()).
  explicit MaskActivationImpl(const std::string& name);
  /// (B, K, C, F, T) → (B, K, C, F, T), values in [0, 1]
  torch::Tensor forward(const torch::Tensor& x);

  /// The accepted names, in the order above.
  static const std::vector<std::string>& names();

  /// The PReLU slope (shape [1]); undefined for the other activations.
  torch::Tensor weight;

 private:
  enum class Kind { kRelu, kHardtanh, kTanh, kSoftmax, kPrelu, kSelu, kElu, kSigmoid };
  Kind kind_;
};
TORCH_MODULE(MaskActivation);

}  // namespace auralflow::models
