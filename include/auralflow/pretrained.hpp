#pragma once
/// @file
/// Pretrained models: packed model files, the registry that names them, the download cache,
/// and the lookup behind `auralflow separate NAME`.
///
/// A packed model is one checkpoint file holding the config and the network weights only
/// (half precision), so it can be bundled, downloaded and loaded on its own:
/// @code
///   pretrained::pack_model(ModelFolder("runs/my_model"), "my_model.pth");
///   auto model = pretrained::load_packed_model("my_model.pth", torch::kCPU);
/// @endcode
///
/// The registry is a JSON file:
/// @verbatim
///   {"default": "synth-simple",
///    "models": [{"name": "synth-simple", "file": "synth-simple.pth",        // bundled, or
///                "url": "https://…/synth-simple.pth",                       // downloadable
///                "sha256": "…", "size": 7712345, "description": "…",
///                "model_type": "SpectrogramNetSimple", "targets": ["vocals", …],
///                "scores": {"vocals": {"SI-SDR": 3.1, "SDR": 4.0}, …}}]}
/// @endverbatim
/// `file` is relative to the registry file. The bundled registry is models/registry.json;
/// $AURALFLOW_REGISTRY names more registry files (':'-separated) whose entries come after it.
#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "auralflow/model_folder.hpp"
#include "auralflow/separation_model.hpp"

namespace auralflow::pretrained {

/// Median scores of one target on a test set, in dB.
struct TargetScores {
  double si_sdr = 0.0;  ///< median SI-SDR
  double sdr = 0.0;     ///< median BSSEval v4 SDR
};

/// One model of the registry: a bundled file or a download.
struct RegistryEntry {
  std::string name;                  ///< what `auralflow separate NAME` and resolve_model take
  std::filesystem::path file;        ///< absolute path of a bundled model; empty when downloadable
  std::string url;                   ///< where `fetch` downloads it; empty when bundled
  std::string sha256;                ///< lowercase hex of the packed file
  int64_t size = 0;                  ///< bytes of the packed file
  std::string description;           ///< one line for `auralflow pretrained list`
  std::string model_type;            ///< the network type, e.g. "SpectrogramNetUMX"
  std::vector<std::string> targets;  ///< the stems it separates, in its output order
  std::map<std::string, TargetScores> scores;  ///< by target; empty when not measured

  /// True when the model ships with Auralflow (a file), false when it is downloaded.
  bool bundled() const { return !file.empty(); }
};

/// The named pretrained models: registry JSON files (see the file comment) read and merged.
class Registry {
 public:
  /// Reads one registry file; an auralflow::Error naming the file and the entry for bad JSON,
  /// a missing field, or an entry with neither `file` nor `url`.
  static Registry read(const std::filesystem::path& file);
  /// The bundled registry followed by those in $AURALFLOW_REGISTRY.
  static Registry installed();

  /// Entries of `other` come after these; the first entry of a name wins.
  void append(const Registry& other);
  /// Adds `entry`, or replaces the entry of the same name.
  void upsert(RegistryEntry entry);
  /// Writes the registry to `file` atomically; bundled files are stored relative to it.
  void write(const std::filesystem::path& file) const;

  /// The entry called `name`; nullptr when there is none.
  const RegistryEntry* find(const std::string& name) const;
  /// Every entry, in registry order.
  const std::vector<RegistryEntry>& entries() const { return entries_; }
  /// The model used when a command is given none (the registry's "default").
  const std::string& default_model() const { return default_model_; }
  /// Sets the registry's "default".
  void set_default_model(std::string name) { default_model_ = std::move(name); }

 private:
  std::string default_model_;
  std::vector<RegistryEntry> entries_;
};

/// models/ with the bundled registry: $AURALFLOW_MODELS, else `<exe>/../share/auralflow/models`,
/// else the source tree's models/ (builds run from the tree).
std::filesystem::path bundled_models_dir();
/// Where fetched models are kept: $AURALFLOW_CACHE, else $XDG_CACHE_HOME/auralflow, else
/// ~/.cache/auralflow.
std::filesystem::path cache_dir();
/// The file a fetched model of `name` is stored in under `cache`.
std::filesystem::path cached_model_file(const std::filesystem::path& cache,
                                        const std::string& name);

/// Lowercase hex SHA-256 of a file's bytes.
std::string sha256_of_file(const std::filesystem::path& file);

/// How fetch() downloads.
struct FetchOptions {
  std::filesystem::path cache = cache_dir();  ///< the download cache folder
  /// Called while downloading with (bytes so far, total bytes or 0 when unknown).
  std::function<void(int64_t, int64_t)> progress;
  /// Download even when a verified copy is already cached.
  bool force = false;
};

/// Downloads the entry's URL (http, https, file) into the cache and verifies its size and
/// SHA-256. A mismatch, an HTTP error or a network failure is an auralflow::Error and leaves
/// nothing in the cache. Returns the cached file (no download when a verified copy exists).
std::filesystem::path fetch(const RegistryEntry& entry, const FetchOptions& options = {});

/// Writes `trained`'s inference checkpoint as a packed model: its config and the network
/// weights in half precision (nothing for training). Returns the bytes written.
int64_t pack_model(const ModelFolder& trained, const std::filesystem::path& out);
/// Loads a packed model (config and weights) onto `device`, ready to separate (eval mode).
std::shared_ptr<SeparationModel> load_packed_model(const std::filesystem::path& file,
                                                   torch::Device device);

/// The median SI-SDR and SDR per target from an evaluation.csv (auralflow evaluate).
std::map<std::string, TargetScores> read_median_scores(const std::filesystem::path& csv);

}  // namespace auralflow::pretrained

namespace auralflow {

/// What `auralflow separate NAME` runs: NAME as a model folder, a packed model file, a bundled
/// model, or a fetched one (in that order). An empty NAME is the registry's default model.
/// Errors say which pretrained names exist, and when a registry model needs
/// `auralflow pretrained fetch NAME` first.
std::filesystem::path resolve_model(const std::string& name, const pretrained::Registry& registry,
                                    const std::filesystem::path& cache = pretrained::cache_dir());
/// The same with Registry::installed().
std::filesystem::path resolve_model(const std::string& name);

}  // namespace auralflow
