#include "network/hybrid_branches.hpp"

#include <algorithm>

#include "auralflow/error.hpp"
#include "auralflow/model_folder.hpp"
#include "auralflow/state_dict.hpp"
#include "auralflow/transforms.hpp"
#include "checkpoint/checkpoint_reader.hpp"
#include "network/network_options.hpp"

namespace auralflow::detail {
namespace {

bool is_one_of(const std::string& value, const std::vector<std::string>& names) {
  return std::find(names.begin(), names.end(), value) != names.end();
}

/// Builds one branch as the config key `key` says (see the header). `make(type, config)`
/// builds a fresh branch of a type from `types`.
template <typename Branch, typename Make>
Branch make_branch(const Config& hybrid, const std::string& key, const std::string& default_type,
                   const std::vector<std::string>& types, Make make) {
  const std::string value = hybrid.get_string(key);
  if (value.empty()) return make(default_type, hybrid);
  if (is_one_of(value, types)) return make(value, hybrid);

  const ModelFolder folder(value);
  if (!std::filesystem::is_directory(folder.root()))
    throw Error("config key '" + key + "': '" + value +
                "' is neither a model folder nor one of the types " + types.front() + ", " +
                types[1] + ", " + types[2]);
  const Config branch_config = folder.load_config();
  const std::string type = branch_config.get_string("model_type");
  if (!is_one_of(type, types))
    throw Error("config key '" + key + "': the model in '" + value + "' is a " + type +
                ", but this branch takes " + types.front() + ", " + types[1] + " or " + types[2]);
  Branch branch = make(type, branch_config);
  const auto checkpoint = folder.inference_checkpoint();
  const StateDict weights = CheckpointReader(checkpoint, type).model_weights();
  std::visit([&](auto& net) { load_state_dict(*net, weights, checkpoint.string()); }, branch);
  return branch;
}

}  // namespace

models::HybridNet make_hybrid_net(const Config& config) {
  auto spectrogram = make_branch<models::SpectrogramBranch>(
      config, "spectrogram_model", "SpectrogramNetLSTM", models::spectrogram_branch_types(),
      [](const std::string& type, const Config& source) {
        return models::make_spectrogram_branch(type, spectrogram_options(source));
      });
  auto waveform = make_branch<models::WaveformBranch>(
      config, "audio_model", "AudioNetSimpleLSTM", models::waveform_branch_types(),
      [](const std::string& type, const Config& source) {
        return models::make_waveform_branch(type, audio_options(source));
      });
  return models::HybridNet(std::move(spectrogram), std::move(waveform), transform_of(config));
}

}  // namespace auralflow::detail
