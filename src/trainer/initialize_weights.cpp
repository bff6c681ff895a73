// Fine-tuning: a new model starts from the weights of a trained one of the same architecture.
#include <torch/torch.h>

#include <set>
#include <sstream>

#include "auralflow/error.hpp"
#include "auralflow/separator.hpp"
#include "auralflow/trainer.hpp"

namespace auralflow {
namespace {

std::string shape_of(const torch::Tensor& tensor) {
  std::ostringstream out;
  out << tensor.sizes();
  return out.str();
}

// Copies every tensor of `from` into the tensor of the same name in `to`; both must hold the
// same names with the same shapes. `what` is "parameter" or "buffer".
void copy_tensors(const torch::OrderedDict<std::string, torch::Tensor>& from,
                  const torch::OrderedDict<std::string, torch::Tensor>& to, const std::string& what,
                  const std::string& source) {
  for (const auto& item : to) {
    const torch::Tensor* found = from.find(item.key());
    if (found == nullptr)
      throw Error("cannot start from '" + source + "': it has no " + what + " '" + item.key() +
                  "' (its architecture differs from this model's config)");
    if (found->sizes() != item.value().sizes())
      throw Error("cannot start from '" + source + "': " + what + " '" + item.key() + "' is " +
                  shape_of(*found) + " there but " + shape_of(item.value()) +
                  " here (its config differs from this model's: same sizes needed)");
    item.value().copy_(*found);
  }
  if (from.size() != to.size())
    throw Error("cannot start from '" + source + "': it has " + std::to_string(from.size()) + " " +
                what + "s, this model " + std::to_string(to.size()) +
                " (its architecture differs from this model's config)");
}

}  // namespace

void initialize_weights(SeparationModel& model, const std::filesystem::path& source) {
  const std::shared_ptr<SeparationModel> trained = load_model(source, torch::kCPU);
  const std::string name = source.string();
  if (trained->network().type() != model.network().type())
    throw Error("cannot start from '" + name + "': it is a " + trained->network().type() +
                ", this model is a " + model.network().type());
  if (trained->targets() != model.targets())
    throw Error("cannot start from '" + name + "': it separates other targets (or another " +
                "order) than this model's config");
  torch::NoGradGuard no_grad;
  const torch::nn::Module& from = trained->network().module();
  torch::nn::Module& to = model.network().module();
  copy_tensors(from.named_parameters(), to.named_parameters(), "parameter", name);
  copy_tensors(from.named_buffers(), to.named_buffers(), "buffer", name);
}

}  // namespace auralflow
