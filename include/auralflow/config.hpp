#pragma once
/// @file
/// A model folder's config.json: four groups of settings (model_params,
/// dataset_params, training_params, visualizer_params). Every key has a schema
/// entry (type, allowed values or range, help); values are validated on load and
/// on every edit, and mistakes name the key, the allowed values and the closest
/// known key. Defaults come from the per-model-type templates in configs/.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace auralflow {

/// The type of a config value.
enum class ValueKind { Bool, Int, Float, String, StringList };

/// One config key: where it lives, what it accepts, what it means.
struct ConfigKey {
  std::string group;  ///< "model_params", "dataset_params", ...
  std::string name;   ///< "hidden_channels"
  ValueKind kind;     ///< the type of its value
  std::vector<std::string>
      choices;                ///< allowed strings (String / each StringList item); empty = any
  std::optional<double> min;  ///< inclusive bounds for Int / Float
  std::optional<double> max;  ///< (both nullopt: unbounded)
  std::string help;           ///< what the key means, one line
};

/// Every known key, in file order.
const std::vector<ConfigKey>& config_schema();

/// The schema entry for `name`; auralflow::Error with the closest known key otherwise.
const ConfigKey& find_config_key(const std::string& name);

/// The network types a config can name (each has a template `configs/<type>.json`).
const std::vector<std::string>& model_types();

/// Group names in file order.
const std::vector<std::string>& config_groups();

/// A validated config.json (see the file comment): load, edit with set(), read with the
/// typed getters, save.
class Config {
 public:
  /// The template of `model_type` (`configs/<model_type>.json`) with model_name set.
  static Config from_template(const std::string& model_type, const std::string& model_name);
  /// Reads and validates a config.json. Syntax errors give the line and column; keys
  /// missing from an older file are filled from its model type's template.
  static Config load(const std::filesystem::path& file);
  /// Parses and validates JSON text; `source` names it in error messages.
  static Config parse(const std::string& text, const std::string& source);

  Config(const Config& other);                 ///< an independent copy of the settings
  Config(Config&& other) noexcept;             ///< takes the settings; `other` is left empty
  Config& operator=(const Config& other);      ///< an independent copy of the settings
  Config& operator=(Config&& other) noexcept;  ///< takes the settings; `other` is left empty
  ~Config();                                   ///< frees the settings

  /// Validates, then writes the config as pretty JSON, atomically.
  void save(const std::filesystem::path& file) const;

  /// Sets `key` from command-line text ("true", "0.4", "vocals,drums", ...),
  /// validating its type and range. Dashes in the key are read as underscores.
  /// Rules between keys (window_size <= num_fft, ...) are checked by validate(), so
  /// several related keys can be edited one after the other.
  void set(const std::string& key, const std::string& text);
  /// Checks every key and the rules between keys; auralflow::Error names the first problem.
  void validate() const;

  /// The value of `key` (a key name, any group) as that type; auralflow::Error if the key is
  /// unknown or holds another type.
  bool get_bool(const std::string& key) const;
  /// As get_bool, for Int keys.
  int64_t get_int(const std::string& key) const;
  /// As get_bool, for Float keys (an Int value reads as its double).
  double get_double(const std::string& key) const;
  /// As get_bool, for String keys.
  std::string get_string(const std::string& key) const;
  /// As get_bool, for StringList keys.
  std::vector<std::string> get_strings(const std::string& key) const;

  /// The settings as JSON text, groups and keys in file order: one line, or pretty with
  /// `indent` spaces per level (the config.json save() writes uses 2).
  std::string to_json(int indent = -1) const;
  /// The settings as a text table, grouped as in the file.
  std::string table() const;

 private:
  struct Values;  // the JSON document (nlohmann, private to src/config)
  explicit Config(std::unique_ptr<Values> values);

  std::unique_ptr<Values> values_;
};

}  // namespace auralflow
