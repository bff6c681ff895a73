#pragma once
// What Group holds: the c10d process group (and the store it rendezvoused through).
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include "auralflow/distributed.hpp"

namespace auralflow::distributed {

struct Group::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroup> backend;
  std::chrono::milliseconds timeout;
  torch::Device device = torch::kCPU;  // where collective tensors live
};

/// Waits for a collective; a failure or timeout (a rank died) becomes an auralflow::Error.
void wait_for(const c10::intrusive_ptr<c10d::Work>& work, const std::string& what,
              std::chrono::milliseconds timeout);

}  // namespace auralflow::distributed
