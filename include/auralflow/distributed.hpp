#pragma once
/// @file
/// Data-parallel training on c10d, the engine of torch.distributed: ProcessGroupGloo on CPU,
/// ProcessGroupNCCL on CUDA (when LibTorch has it). Every process (rank) holds the whole model;
/// each trains on its share of every batch, and the gradients are averaged across ranks during
/// backward by c10d's Reducer (the bucketed all-reduce behind PyTorch's DistributedDataParallel),
/// so all ranks take the same optimizer step.
///
/// @code
///   auto group = distributed::Group::connect(*distributed::Rendezvous::from_environment(),
///                                            torch::kCPU);
///   Trainer trainer(folder, dataset, TrainerOptions().group(group));
/// @endcode
///
/// Rendezvous follows torchrun: MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK, LOCAL_RANK; rank 0
/// hosts a c10d TCPStore there. AURALFLOW_DIST_TIMEOUT (seconds, default 120) bounds the wait
/// for the others to connect and for every collective, so a dead or missing rank ends the job
/// with an error instead of a hang.
#include <torch/nn/module.h>
#include <torch/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace auralflow::distributed {

/// Where and how the ranks of a job meet (torchrun's variables).
struct Rendezvous {
  std::string master_addr = "127.0.0.1";  ///< host of rank 0's TCPStore (MASTER_ADDR)
  int master_port = 29500;                ///< its port (MASTER_PORT)
  int world_size = 1;                     ///< number of ranks (WORLD_SIZE)
  int rank = 0;                           ///< this process's rank, 0 ≤ rank < world_size (RANK)
  int local_rank = 0;  ///< its rank on this machine, e.g. the CUDA device index (LOCAL_RANK)
  std::chrono::milliseconds timeout{
      120000};  ///< wait bound for connecting and every collective (AURALFLOW_DIST_TIMEOUT)

  /// From the torchrun variables; nullopt when WORLD_SIZE is unset. A missing or malformed
  /// variable is an auralflow::UsageError naming it.
  static std::optional<Rendezvous> from_environment();
};

/// The ranks of one job and their collectives.
class Group {
 public:
  /// Joins the job (rank 0 hosts the store and waits for the others): Gloo for a CPU device,
  /// NCCL for CUDA. auralflow::Error naming the address when the others do not show up
  /// within the timeout.
  static std::shared_ptr<Group> connect(const Rendezvous& rendezvous, torch::Device device);
  ~Group();

  /// This process's rank.
  int rank() const { return rank_; }
  /// Number of ranks in the job.
  int world_size() const { return world_size_; }
  /// Rank 0: the one that writes files.
  bool is_main() const { return rank_ == 0; }

  /// Overwrites `tensors` on every rank with rank 0's values.
  void broadcast_from_main(const std::vector<torch::Tensor>& tensors);
  /// The sum of `value` over all ranks.
  double sum(double value);
  /// True on every rank when `flag` is true on any.
  bool any(bool flag);

  /// The c10d objects behind the group (private to the library).
  struct Impl;
  /// The c10d objects, for the library's own use (GradientSync).
  Impl& impl() { return *impl_; }

 private:
  Group(int rank, int world_size, std::unique_ptr<Impl> impl);
  int rank_;
  int world_size_;
  std::unique_ptr<Impl> impl_;
};

/// Averages a module's gradients across the group during backward (buckets of about 25 MB,
/// each all-reduced as soon as its gradients are ready), and keeps buffers (BatchNorm running
/// statistics) equal to rank 0's. Parameters and buffers are broadcast from rank 0 when it is
/// made. Every parameter must receive a gradient in every step.
class GradientSync {
 public:
  /// Registers `module`'s parameters with c10d's Reducer on `group` and broadcasts its
  /// parameters and buffers from rank 0. `module` must outlive this object.
  GradientSync(std::shared_ptr<Group> group, torch::nn::Module& module);
  ~GradientSync();

  /// Before each training forward: rank 0's buffers to all ranks, bucket bookkeeping.
  void before_forward();
  /// After the forward, before backward(): arms the all-reduce hooks for this step.
  void before_backward();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace auralflow::distributed
