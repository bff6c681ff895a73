// GradientSync: c10d's Reducer (DistributedDataParallel's gradient bucketing and all-reduce,
// overlapped with backward) driven the way torch.nn.parallel.DistributedDataParallel does.
#include <torch/csrc/distributed/c10d/reducer.hpp>

#include <limits>

#include "auralflow/error.hpp"
#include "distributed/group_impl.hpp"

namespace auralflow::distributed {
namespace {

constexpr int64_t kBucketBytes = 25 * 1024 * 1024;
constexpr int64_t kFirstBucketBytes = 1024 * 1024;

}  // namespace

struct GradientSync::Impl {
  std::shared_ptr<Group> group;
  std::vector<torch::Tensor> buffers;
  std::unique_ptr<c10d::Reducer> reducer;
};

GradientSync::GradientSync(std::shared_ptr<Group> group, torch::nn::Module& module)
    : impl_(std::make_unique<Impl>()) {
  impl_->group = std::move(group);
  std::vector<torch::Tensor> parameters;
  std::unordered_map<size_t, std::string> names;
  for (const auto& item : module.named_parameters()) {
    if (!item.value().requires_grad()) continue;
    names[parameters.size()] = item.key();
    parameters.push_back(item.value());
  }
  for (const auto& buffer : module.buffers()) impl_->buffers.push_back(buffer);

  // Same start on every rank: rank 0's weights and buffers.
  std::vector<torch::Tensor> state = parameters;
  state.insert(state.end(), impl_->buffers.begin(), impl_->buffers.end());
  {
    torch::NoGradGuard no_grad;
    impl_->group->broadcast_from_main(state);
  }

  // As DistributedDataParallel without unused parameters: one bucket at first; after the
  // first step the Reducer rebuilds 25 MB buckets in the order the gradients became ready.
  const std::vector<bool> sparse(parameters.size(), false);
  auto [buckets, limits] = c10d::compute_bucket_assignment_by_size(
      parameters, {std::numeric_limits<size_t>::max()}, sparse);
  std::reverse(buckets.begin(), buckets.end());
  std::reverse(limits.begin(), limits.end());
  impl_->reducer = std::make_unique<c10d::Reducer>(
      parameters, std::move(buckets), std::move(limits), impl_->group->impl().backend, sparse,
      kBucketBytes, /*find_unused_parameters=*/false, /*gradient_as_bucket_view=*/false,
      std::move(names), kFirstBucketBytes);
}

GradientSync::~GradientSync() = default;

void GradientSync::before_forward() {
  impl_->reducer->rebuild_buckets();
  impl_->reducer->prepare_for_forward();
  torch::NoGradGuard no_grad;
  impl_->group->broadcast_from_main(impl_->buffers);
}

void GradientSync::before_backward() { impl_->reducer->prepare_for_backward({}); }

}  // namespace auralflow::distributed
