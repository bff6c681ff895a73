#pragma once
// Any of the networks (model_types()) behind one interface, built from a Config.
//   spectrogram nets: |X| (batch, channels, bins, frames) -> masks (batch, targets, channels, bins,
//   frames) waveform and hybrid nets: audio (batch, channels, samples) -> (batch, targets,
//   channels, samples)
#include <torch/nn/module.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auralflow/config.hpp"

namespace auralflow {

enum class Domain { Spectrogram, Waveform };

/// One forward pass: the estimate (masks or waveforms) and, for VAEs, the latent Gaussian.
struct NetworkOutput {
  torch::Tensor estimate;
  torch::Tensor mu;     // undefined unless the network is a VAE
  torch::Tensor sigma;  // same shape as mu
};

class Network {
 public:
  using Forward = std::function<NetworkOutput(const torch::Tensor&)>;

  Network(std::string type, Domain domain, std::shared_ptr<torch::nn::Module> module,
          Forward forward)
      : type_(std::move(type)),
        domain_(domain),
        module_(std::move(module)),
        forward_(std::move(forward)) {}

  NetworkOutput operator()(const torch::Tensor& input) const { return forward_(input); }

  const std::string& type() const { return type_; }
  Domain domain() const { return domain_; }
  torch::nn::Module& module() const { return *module_; }
  const std::shared_ptr<torch::nn::Module>& module_ptr() const { return module_; }

 private:
  std::string type_;
  Domain domain_;
  std::shared_ptr<torch::nn::Module> module_;
  Forward forward_;
};

/// A network type: its name (a config's model_type), its domain, and how it is built from a
/// config (fresh weights). network_types() is the one list of them.
struct NetworkType {
  std::string name;
  Domain domain;
  std::function<Network(const Config&)> make;
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
