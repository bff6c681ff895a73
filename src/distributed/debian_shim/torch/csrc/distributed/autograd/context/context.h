#pragma once
// Stand-in for a LibTorch header that Debian's libtorch-dev 1.13 does not ship but c10d's
// reducer.hpp includes. It declares only the two names reducer.hpp uses, with the same
// definitions as PyTorch (a std::function alias and a shared_ptr alias), so the Reducer's layout
// is unchanged. Searched after the system include paths (-idirafter): LibTorch builds that have
// the real header use it instead.
#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>

namespace torch::distributed::autograd {

class DistAutogradContext {
 public:
  using GradCallback = std::function<bool(at::Tensor&)>;
};

using ContextPtr = std::shared_ptr<DistAutogradContext>;

}  // namespace torch::distributed::autograd
