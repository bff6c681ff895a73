#pragma once
/// @file
/// State dicts of torch::nn::Modules: read/write them as files PyTorch in Python reads with
/// torch.load, and load checkpoints of the original Python Auralflow networks.
#include <torch/nn/module.h>

#include <filesystem>
#include <map>
#include <string>

namespace auralflow {

/// Parameters and buffers by dotted name, e.g. "down_1.conv_block.conv.0.conv.weight".
using StateDict = std::map<std::string, torch::Tensor>;

/// Every parameter and buffer of `module` (recursively), sharing storage with the module.
StateDict state_dict(const torch::nn::Module& module);

/// Copies `state` into the parameters and buffers of `module` (converting dtype and device).
/// Strict: if a key is missing, unexpected or has another shape, nothing is copied and
/// auralflow::Error names every such key (and both shapes), prefixed by `source`.
void load_state_dict(torch::nn::Module& module, const StateDict& state,
                     const std::string& source = "state dict");

/// Loads the state_dict() of an original Python Auralflow network (SpectrogramNet*), keys as
/// Python wrote them, into the matching module of ours:
/// * `input_norm.layer_norm.layer_norm.{weight,bias}` become `input_norm.{weight,bias}`; their
///   shape (C, F, T) needs a module built with num_frames(T) (the error says so);
/// * the original's dead weights are skipped: `bottleneck.*` when the module has no
///   `bottleneck` (LSTM/VAE), and the frozen identity `output_norm.center`/`scale`
///   (zeros/ones) when the module has no `output_norm` (normalize_output off);
/// * anything else must match exactly, as in load_state_dict.
void load_original_state_dict(torch::nn::Module& module, const StateDict& state);

/// Writes state_dict(module) to `path`: a zip archive in PyTorch's serialization format
/// holding a dict str → Tensor (CPU), so Python's torch.load(path) returns that dict and
/// torch::pickle_load reads it back. Written to a temporary name beside `path`, then renamed.
void save_state_dict(const torch::nn::Module& module, const std::filesystem::path& path);

/// Reads a file written by save_state_dict, or by Python's torch.save of a plain dict
/// str → Tensor: torch.save(dict(model.state_dict()), path). (LibTorch cannot read the
/// OrderedDict with _metadata that state_dict() itself returns; the error says so.)
StateDict read_state_dict(const std::filesystem::path& path);

/// read_state_dict(path), then load_state_dict(module, …).
void load_state_dict(torch::nn::Module& module, const std::filesystem::path& path);

}  // namespace auralflow
