#include "auralflow/state_dict.hpp"

#include "auralflow/atomic_file.hpp"
#include "auralflow/error.hpp"

#include <torch/csrc/jit/serialization/pickle.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

namespace auralflow {

namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool has_prefix(const StateDict& state, const std::string& prefix) {
  const auto it = state.lower_bound(prefix);
  return it != state.end() && starts_with(it->first, prefix);
}

/// "a, b, c" with at most 10 entries, then "and N more".
std::string list(const std::vector<std::string>& items) {
  constexpr size_t kShown = 10;
  std::string text;
  for (size_t i = 0; i < items.size() && i < kShown; ++i) text += (i ? ", " : "") + items[i];
  if (items.size() > kShown) text += ", and " + std::to_string(items.size() - kShown) + " more";
  return text;
}

std::string shape(const torch::Tensor& tensor) {
  std::ostringstream out;
  out << tensor.sizes();
  return out.str();
}

}  // namespace

StateDict state_dict(const torch::nn::Module& module) {
  StateDict state;
  for (const auto& item : module.named_parameters(/*recurse=*/true))
    state[item.key()] = item.value();
  for (const auto& item : module.named_buffers(/*recurse=*/true)) state[item.key()] = item.value();
  return state;
}

void load_state_dict(torch::nn::Module& module, const StateDict& state, const std::string& source) {
  const StateDict own = state_dict(module);
  std::vector<std::string> missing, unexpected, mismatched;
  for (const auto& [key, tensor] : own) {
    const auto found = state.find(key);
    if (found == state.end()) {
      missing.push_back(key);
    } else if (!found->second.defined() || found->second.sizes() != tensor.sizes()) {
      mismatched.push_back(key + " (" + (found->second.defined() ? shape(found->second) : "none") +
                           " in the file, " + shape(tensor) + " in the module)");
    }
  }
  for (const auto& item : state) {
    if (own.count(item.first) == 0) unexpected.push_back(item.first);
  }
  if (!missing.empty() || !unexpected.empty() || !mismatched.empty()) {
    std::string message = source + " does not fit the module:";
    if (!missing.empty()) message += " missing keys: " + list(missing) + ";";
    if (!unexpected.empty()) message += " unexpected keys: " + list(unexpected) + ";";
    if (!mismatched.empty()) message += " shape mismatch: " + list(mismatched) + ";";
    message.pop_back();
    throw Error(message);
  }
  torch::NoGradGuard no_grad;
  for (const auto& [key, tensor] : own) tensor.copy_(state.at(key));
}

void load_original_state_dict(torch::nn::Module& module, const StateDict& state) {
  const StateDict own = state_dict(module);
  const std::string layer_norm = "input_norm.layer_norm.layer_norm.";
  StateDict translated;
  for (const auto& [key, tensor] : state) {
    if (starts_with(key, "bottleneck.") && !has_prefix(own, "bottleneck.")) continue;
    if (starts_with(key, "output_norm.") && !has_prefix(own, "output_norm.")) {
      const bool identity = key == "output_norm.center" ? tensor.eq(0).all().item<bool>()
                                                        : tensor.eq(1).all().item<bool>();
      if (!identity) {
        throw Error("original state dict: " + key +
                    " is trained (normalize_output was on) but the module has no output_norm; "
                    "build it with normalize_output(true)");
      }
      continue;
    }
    if (starts_with(key, layer_norm)) {
      const std::string ours = "input_norm." + key.substr(layer_norm.size());
      const auto own_tensor = own.find(ours);
      if (own_tensor != own.end() && own_tensor->second.dim() != tensor.dim()) {
        throw Error("original state dict: " + key + " has shape " + shape(tensor) +
                    " (the original's LayerNorm over [C, F, T]); build the module with "
                    "num_frames(" +
                    std::to_string(tensor.size(-1)) + ") to load it");
      }
      translated[ours] = tensor;
      continue;
    }
    translated[key] = tensor;
  }
  load_state_dict(module, translated, "original state dict");
}

void save_state_dict(const torch::nn::Module& module, const std::filesystem::path& path) {
  c10::Dict<std::string, torch::Tensor> dict;
  for (const auto& [key, tensor] : state_dict(module)) dict.insert(key, tensor.detach().cpu());
  const std::vector<char> bytes = torch::pickle_save(dict);

  // Binary-safe: the file is opened in binary mode.
  write_text_atomically(path, std::string(bytes.begin(), bytes.end()));
}

StateDict read_state_dict(const std::filesystem::path& path) {
  // LibTorch's unpickler cannot rebuild the OrderedDict (with _metadata) of state_dict().
  static const std::string kHowToSave = "torch.save(dict(model.state_dict()), path)";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(file_message(path.string(), "cannot open the state dict"));
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  c10::IValue value;
  try {
    value = torch::pickle_load(bytes);
  } catch (const c10::Error& error) {
    throw Error(file_message(path.string(), "not a PyTorch file holding a plain dict of tensors (" +
                                                std::string(error.what_without_backtrace()) +
                                                "); from Python, save with " + kHowToSave));
  }
  if (!value.isGenericDict()) {
    throw Error(file_message(path.string(), "holds a " + value.tagKind() +
                                                ", not a dict of tensors; from Python, save with " +
                                                kHowToSave));
  }
  StateDict state;
  for (const auto& item : value.toGenericDict()) {
    if (!item.key().isString() || !item.value().isTensor()) {
      throw Error(file_message(path.string(), "holds a dict entry that is not string → tensor"));
    }
    state[item.key().toStringRef()] = item.value().toTensor();
  }
  return state;
}

void load_state_dict(torch::nn::Module& module, const std::filesystem::path& path) {
  load_state_dict(module, read_state_dict(path), "'" + path.string() + "'");
}

}  // namespace auralflow
