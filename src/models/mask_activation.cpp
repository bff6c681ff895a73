#include "auralflow/models/mask_activation.hpp"

#include "auralflow/error.hpp"

#include <algorithm>

namespace auralflow::models {

const std::vector<std::string>& MaskActivationImpl::names() {
  // Same order as Kind.
  static const std::vector<std::string> kNames{"relu",  "hardtanh", "tanh", "softmax",
                                               "prelu", "selu",     "elu",  "sigmoid"};
  return kNames;
}

MaskActivationImpl::MaskActivationImpl(const std::string& name) {
  const auto& all = names();
  const auto found = std::find(all.begin(), all.end(), name);
  if (found == all.end()) {
    std::string allowed;
    for (const auto& candidate : all) allowed += (allowed.empty() ? "" : ", ") + candidate;
    throw Error("mask_activation: unknown activation '" + name + "' (allowed: " + allowed + ")");
  }
  kind_ = static_cast<Kind>(found - all.begin());
  if (kind_ == Kind::kPrelu) weight = register_parameter("weight", torch::full({1}, 0.25));
}

torch::Tensor MaskActivationImpl::forward(const torch::Tensor& x) {
  torch::Tensor y;
  switch (kind_) {
    case Kind::kRelu:
      y = torch::relu(x);
      break;
    case Kind::kHardtanh:
      y = torch::hardtanh(x, 0.0, 1.0);
      break;
    case Kind::kTanh:
      y = torch::tanh(x);
      break;
    case Kind::kSoftmax:  // over the targets when several, else over the channels (original)
      y = torch::softmax(x, x.size(1) > 1 ? 1 : 2);
      break;
    case Kind::kPrelu:
      y = torch::prelu(x, weight);
      break;
    case Kind::kSelu:
      y = torch::selu(x);
      break;
    case Kind::kElu:
      y = torch::elu(x);
      break;
    case Kind::kSigmoid:
      y = torch::sigmoid(x);
      break;
  }
  return torch::clamp(y, 0.0, 1.0);
}

}  // namespace auralflow::models
