// Criterion: a named loss over LossInputs, and the factory from config names.
#include <algorithm>

#include "auralflow/error.hpp"
#include "loss_support.hpp"

namespace auralflow {

namespace {

const torch::Tensor& field(const LossInputs& inputs, LossInput input) {
  switch (input) {
    case LossInput::kMask:
      return inputs.mask;
    case LossInput::kMixtureMagnitude:
      return inputs.mixture_magnitude;
    case LossInput::kTargetMagnitude:
      return inputs.target_magnitude;
    case LossInput::kEstimateAudio:
      return inputs.estimate_audio;
    case LossInput::kTargetAudio:
      return inputs.target_audio;
    case LossInput::kMu:
      return inputs.mu;
    case LossInput::kSigma:
      return inputs.sigma;
  }
  throw Error("invalid LossInput");
}

// (batch, ..., bins, frames): the masked mixture magnitude.
torch::Tensor masked_mixture(const LossInputs& in) { return in.mask * in.mixture_magnitude; }

// A criterion make_criterion knows: its name, the fields it reads, and its loss.
struct Entry {
  std::string name;
  std::vector<LossInput> required;
  std::function<torch::Tensor(const CriterionOptions&, const LossInputs&)> loss;
};

// In the order criterion_names() lists them.
const std::vector<Entry>& entries() {
  static const std::vector<Entry> table = [] {
    const std::vector<LossInput> mask_inputs = {LossInput::kMask, LossInput::kMixtureMagnitude,
                                                LossInput::kTargetMagnitude};
    const std::vector<LossInput> vae_inputs = {LossInput::kMask, LossInput::kMixtureMagnitude,
                                               LossInput::kTargetMagnitude, LossInput::kMu,
                                               LossInput::kSigma};
    const std::vector<LossInput> audio_inputs = {LossInput::kEstimateAudio,
                                                 LossInput::kTargetAudio};

    return std::vector<Entry>{
        {"component_loss", mask_inputs,
         [](const CriterionOptions& o, const LossInputs& in) {
           return component_loss(in.mask, in.mixture_magnitude, in.target_magnitude, o.alpha(),
                                 o.beta());
         }},
        {"kl_div_loss", vae_inputs,
         [](const CriterionOptions& o, const LossInputs& in) {
           return kl_divergence_loss(masked_mixture(in), in.target_magnitude, in.mu, in.sigma,
                                     o.distance());
         }},
        {"si_sdr_loss", audio_inputs,
         [](const CriterionOptions& o, const LossInputs& in) {
           return si_sdr_loss(in.estimate_audio, in.target_audio, o.best_perm());
         }},
        {"l1", mask_inputs,
         [](const CriterionOptions& o, const LossInputs& in) {
           return auralflow::l1_loss(masked_mixture(in), in.target_magnitude, o.reduce_mean());
         }},
        {"l2", mask_inputs,
         [](const CriterionOptions& o, const LossInputs& in) {
           return auralflow::l2_loss(masked_mixture(in), in.target_magnitude, o.reduce_mean());
         }},
        {"mask_loss", mask_inputs,
         [](const CriterionOptions& o, const LossInputs& in) {
           return mask_loss(in.mask, in.mixture_magnitude, in.target_magnitude, o.distance(),
                            o.reduce_mean());
         }},
        {"rmse", mask_inputs,
         [](const CriterionOptions&, const LossInputs& in) {
           return rmse_loss(masked_mixture(in), in.target_magnitude);
         }},
    };
  }();
  return table;
}

}  // namespace

std::string loss_input_name(LossInput input) {
  switch (input) {
    case LossInput::kMask:
      return "mask";
    case LossInput::kMixtureMagnitude:
      return "mixture_magnitude";
    case LossInput::kTargetMagnitude:
      return "target_magnitude";
    case LossInput::kEstimateAudio:
      return "estimate_audio";
    case LossInput::kTargetAudio:
      return "target_audio";
    case LossInput::kMu:
      return "mu";
    case LossInput::kSigma:
      return "sigma";
  }
  throw Error("invalid LossInput");
}

Criterion::Criterion(std::string name, std::vector<LossInput> required, Function function)
    : name_(std::move(name)), required_(std::move(required)), function_(std::move(function)) {}

torch::Tensor Criterion::operator()(const LossInputs& inputs) const {
  for (LossInput input : required_) {
    if (!field(inputs, input).defined()) {
      throw Error("criterion " + name_ + " needs LossInputs::" + loss_input_name(input) +
                  ", which is undefined");
    }
  }
  return function_(inputs);
}

bool Criterion::requires_input(LossInput input) const {
  return std::find(required_.begin(), required_.end(), input) != required_.end();
}

const std::vector<std::string>& criterion_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const Entry& entry : entries()) result.push_back(entry.name);
    return result;
  }();
  return names;
}

Criterion make_criterion(const std::string& name, const CriterionOptions& options) {
  for (const Entry& entry : entries()) {
    if (entry.name == name) {
      return Criterion(name, entry.required, [options, loss = entry.loss](const LossInputs& in) {
        return loss(options, in);
      });
    }
  }
  std::string allowed;
  for (const std::string& known : criterion_names()) {
    allowed += (allowed.empty() ? "" : ", ") + known;
  }
  throw Error("unknown criterion '" + name + "' (allowed: " + allowed + ")");
}

}  // namespace auralflow
