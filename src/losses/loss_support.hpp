#pragma once
// Helpers shared by the loss implementations (private to src/losses).
#include "auralflow/losses.hpp"

namespace auralflow::losses_detail {

/// `x` itself, or `x` in float32 when it is float16/bfloat16 (see losses.hpp, Precision).
torch::Tensor full_precision(const torch::Tensor& x);

/// Throws auralflow::Error "<loss>: <name_a> has shape [..] but <name_b> has [..]" unless
/// `a` and `b` are defined and have the same sizes.
void check_same_shape(const std::string& loss, const std::string& name_a, const torch::Tensor& a,
                      const std::string& name_b, const torch::Tensor& b);

/// Throws auralflow::Error unless `x` has a batch dim and at least one more.
void check_batched(const std::string& loss, const torch::Tensor& x);

/// l1_loss or l2_loss, chosen by `distance`.
torch::Tensor distance_loss(Distance distance, const torch::Tensor& estimate,
                            const torch::Tensor& target, bool reduce_mean);

}  // namespace auralflow::losses_detail
