#include "loss_support.hpp"

#include <sstream>

#include "auralflow/error.hpp"

namespace auralflow::losses_detail {

torch::Tensor full_precision(const torch::Tensor& x) {
  const auto dtype = x.scalar_type();
  return dtype == torch::kHalf || dtype == torch::kBFloat16 ? x.to(torch::kFloat32) : x;
}

void check_same_shape(const std::string& loss, const std::string& name_a, const torch::Tensor& a,
                      const std::string& name_b, const torch::Tensor& b) {
  if (!a.defined() || !b.defined()) {
    throw Error(loss + ": " + (a.defined() ? name_b : name_a) + " is undefined");
  }
  if (a.sizes() != b.sizes()) {
    std::ostringstream message;
    message << loss << ": " << name_a << " has shape " << a.sizes() << " but " << name_b << " has "
            << b.sizes();
    throw Error(message.str());
  }
}

void check_batched(const std::string& loss, const torch::Tensor& x) {
  if (x.dim() < 2) {
    throw Error(loss + ": inputs need a batch dim and at least one more, got " +
                std::to_string(x.dim()) + " dim(s)");
  }
}

torch::Tensor distance_loss(Distance distance, const torch::Tensor& estimate,
                            const torch::Tensor& target, bool reduce_mean) {
  return distance == Distance::kL1 ? auralflow::l1_loss(estimate, target, reduce_mean)
                                   : auralflow::l2_loss(estimate, target, reduce_mean);
}

}  // namespace auralflow::losses_detail
