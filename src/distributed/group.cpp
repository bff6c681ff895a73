// Group: TCPStore rendezvous and the Gloo (CPU) or NCCL (CUDA) process group.
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/comm.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include "auralflow/error.hpp"
#include "distributed/group_impl.hpp"

namespace auralflow::distributed {
namespace {

constexpr size_t kBroadcastBucketBytes = 256 * 1024 * 1024;

c10::intrusive_ptr<c10d::ProcessGroup> make_backend(const c10::intrusive_ptr<c10d::Store>& store,
                                                    const Rendezvous& rendezvous,
                                                    torch::Device device) {
  if (device.is_cuda()) {
#ifdef USE_C10D_NCCL
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = rendezvous.timeout;
    return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rendezvous.rank,
                                                       rendezvous.world_size, options);
#else
    throw Error("this LibTorch has no NCCL: distributed training on CUDA is not available");
#endif
  }
  auto options = c10d::ProcessGroupGloo::Options::create(rendezvous.timeout);
  options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  return c10::make_intrusive<c10d::ProcessGroupGloo>(store, rendezvous.rank, rendezvous.world_size,
                                                     options);
}

}  // namespace

void wait_for(const c10::intrusive_ptr<c10d::Work>& work, const std::string& what,
              std::chrono::milliseconds timeout) {
  try {
    work->wait(timeout);
  } catch (const std::exception& error) {
    throw Error("distributed " + what + " failed (did another rank stop?): " +
                std::string(error.what()).substr(0, std::string(error.what()).find('\n')));
  }
}

Group::Group(int rank, int world_size, std::unique_ptr<Impl> impl)
    : rank_(rank), world_size_(world_size), impl_(std::move(impl)) {}

Group::~Group() = default;

std::shared_ptr<Group> Group::connect(const Rendezvous& rendezvous, torch::Device device) {
  auto impl = std::make_unique<Impl>();
  impl->timeout = rendezvous.timeout;
  impl->device = device;
  const std::string where = rendezvous.master_addr + ":" + std::to_string(rendezvous.master_port);
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(rendezvous.master_port);
    options.isServer = rendezvous.rank == 0;
    options.numWorkers = static_cast<size_t>(rendezvous.world_size);
    options.waitWorkers = true;
    options.timeout = rendezvous.timeout;
    impl->store = c10::make_intrusive<c10d::TCPStore>(rendezvous.master_addr, options);
    impl->backend = make_backend(impl->store, rendezvous, device);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& error) {
    const std::string reason = error.what();
    throw Error("rank " + std::to_string(rendezvous.rank) + " of " +
                std::to_string(rendezvous.world_size) + " could not join the job at " + where +
                " within " + std::to_string(rendezvous.timeout.count() / 1000) +
                " s: " + reason.substr(0, reason.find('\n')));
  }
  return std::shared_ptr<Group>(new Group(rendezvous.rank, rendezvous.world_size, std::move(impl)));
}

void Group::broadcast_from_main(const std::vector<torch::Tensor>& tensors) {
  if (tensors.empty()) return;
  try {
    c10d::broadcast_coalesced(impl_->backend, tensors, kBroadcastBucketBytes, 0);
  } catch (const std::exception& error) {
    const std::string reason = error.what();
    throw Error("distributed broadcast failed (did another rank stop?): " +
                reason.substr(0, reason.find('\n')));
  }
}

double Group::sum(double value) {
  std::vector<torch::Tensor> tensors = {
      torch::tensor({value}, torch::dtype(torch::kFloat64).device(impl_->device))};
  wait_for(impl_->backend->allreduce(tensors), "sum", impl_->timeout);
  return tensors[0].cpu().item<double>();
}

bool Group::any(bool flag) { return sum(flag ? 1.0 : 0.0) > 0.0; }

}  // namespace auralflow::distributed
