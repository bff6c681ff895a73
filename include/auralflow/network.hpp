#pragma once
/// @file
/// Any of the networks (model_types()) behind one interface, built from a Config.
/// @verbatim
///   spectrogram nets: |X| (batch, channels, bins, frames) -> masks (batch, targets, channels,
///   bins, frames) waveform and hybrid nets: audio (batch, channels, samples) -> (batch, targets,
///   channels, samples)
/// @endverbatim
#include <torch/nn/module.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auralflow/config.hpp"

namespace auralflow {

/// What a network takes as input: magnitude spectrograms (masks out) or waveforms (the
/// estimates out; HybridNet counts as Waveform).
enum class Domain { Spectrogram, Waveform };

/// One forward pass: the estimate (masks or waveforms) and, for VAEs, the latent Gaussian.
struct NetworkOutput {
  torch::Tensor estimate;  ///< masks or waveforms, shapes as in the file comment
  torch::Tensor mu;        ///< undefined unless the network is a VAE
  torch::Tensor sigma;     ///< same shape as mu
};

/// A network of any type: its torch::nn::Module (for parameters, train/eval, to(device),
/// state dicts) and a type-erased forward. Copies share the module.
class Network {
 public:
  /// The module's forward, returning a NetworkOutput.
  using Forward = std::function<NetworkOutput(const torch::Tensor&)>;

  /// Wraps `module` of model type `type`; `forward` runs it.
  Network(std::string type, Domain domain, std::shared_ptr<torch::nn::Module> module,
          Forward forward)
      : type_(std::move(type)),
        domain_(domain),
        module_(std::move(module)),
        forward_(std::move(forward)) {}

  /// Runs the forward on `input` (shapes in the file comment).
  NetworkOutput operator()(const torch::Tensor& input) const { return forward_(input); }

  const std::string& type() const { return type_; }  ///< model type, e.g. "SpectrogramNetSimple"
  Domain domain() const { return domain_; }          ///< what it takes as input
  /// The module (its parameters, train/eval mode, device).
  torch::nn::Module& module() { return *module_; }
  /// The module, read-only (a const Network's weights do not change through it).
  const torch::nn::Module& module() const { return *module_; }
  /// The module's shared pointer (for holders such as FoldedSpectrogramNet).
  const std::shared_ptr<torch::nn::Module>& module_ptr() { return module_; }

 private:
  std::string type_;
  Domain domain_;
  std::shared_ptr<torch::nn::Module> module_;
  Forward forward_;
};

/// A network type: its name (a config's model_type), its domain, and how it is built from a
/// config (fresh weights). network_types() is the one list of them.
struct NetworkType {
  std::string name;                            ///< the config's model_type
  Domain domain;                               ///< what the network reads and writes
  std::function<Network(const Config&)> make;  ///< a fresh network from a config
};

/// Every network type, in the order `auralflow config` lists them (model_types() are their
/// names).
const std::vector<NetworkType>& network_types();

/// The type named `name`; auralflow::Error naming the known ones otherwise.
const NetworkType& find_network_type(const std::string& name);

/// Builds the network that `config`'s model_params describe (fresh weights, seeded by
/// training_params.seed).
Network make_network(const Config& config);

/// Parameters of `module` that belong to recurrent layers (names containing "lstm"),
/// and all the others: the optimizer gives the former lr_lstm.
std::pair<std::vector<torch::Tensor>, std::vector<torch::Tensor>> split_recurrent_parameters(
    const torch::nn::Module& module);

}  // namespace auralflow
