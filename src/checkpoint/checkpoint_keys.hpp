#pragma once
// The checkpoint file format (docs/checkpoints.md): every key of a checkpoint archive, and its
// version. SeparationModel::save writes the top level, CheckpointReader reads it, the Trainer
// writes and reads its part `extra`; packed models are checkpoints with the model part only.
namespace auralflow::detail::checkpoint {

/// The format this build writes, and the newest it reads. Files without `format_version`
/// were written before it existed and are version 1.
inline constexpr int kFormatVersion = 1;

// Top level (SeparationModel::save).
inline constexpr const char* kVersionKey = "format_version";  // int
inline constexpr const char* kStep = "step";                  // int64 tensor
inline constexpr const char* kModelType = "model_type";       // string
inline constexpr const char* kConfig = "config";              // string: the config.json text
inline constexpr const char* kModel = "model";                // part: state dict
inline constexpr const char* kOptimizer = "optimizer";        // part: torch::optim's own
inline constexpr const char* kScheduler = "scheduler";        // part: the scheduler's state
inline constexpr const char* kGradScaler = "grad_scaler";     // part: GradScaler's state
inline constexpr const char* kExtra = "extra";                // part: the caller's (Trainer)

// Part `extra` as the Trainer writes it.
inline constexpr const char* kEpoch = "epoch";                      // int64 tensor
inline constexpr const char* kGlobalStep = "global_step";           // int64 tensor
inline constexpr const char* kBestLoss = "best_loss";               // float64 tensor
inline constexpr const char* kBestEpoch = "best_epoch";             // int64 tensor
inline constexpr const char* kRngState = "rng_state";               // CPU generator state
inline constexpr const char* kDeviceRngState = "device_rng_state";  // CUDA only

}  // namespace auralflow::detail::checkpoint
