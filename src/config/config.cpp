#include "auralflow/config.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "auralflow/atomic_file.hpp"
#include "auralflow/error.hpp"
#include "config/templates.hpp"

namespace auralflow {
namespace {

using Json = nlohmann::ordered_json;

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : separator) + item;
  return joined;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string range_text(const ConfigKey& key) {
  return "between " + format_number(*key.min) + " and " + format_number(*key.max);
}

[[noreturn]] void invalid(const ConfigKey& key, const std::string& expected,
                          const std::string& got) {
  throw Error("config key '" + key.name + "' must be " + expected + ", got " + got);
}

void check_choice(const ConfigKey& key, const std::string& value) {
  if (!key.choices.empty() &&
      std::find(key.choices.begin(), key.choices.end(), value) == key.choices.end())
    invalid(key, "one of " + join(key.choices, ", "), "'" + value + "'");
}

void check_range(const ConfigKey& key, double value) {
  if ((key.min && value < *key.min) || (key.max && value > *key.max))
    invalid(key, "a number " + range_text(key), format_number(value));
}

// Throws unless `value` is valid for `key`.
void check_value(const ConfigKey& key, const Json& value) {
  switch (key.kind) {
    case ValueKind::Bool:
      if (!value.is_boolean()) invalid(key, "true or false", value.dump());
      return;
    case ValueKind::Int:
      if (!value.is_number_integer())
        invalid(key, "a whole number " + range_text(key), value.dump());
      check_range(key, value.get<double>());
      return;
    case ValueKind::Float:
      if (!value.is_number()) invalid(key, "a number " + range_text(key), value.dump());
      check_range(key, value.get<double>());
      return;
    case ValueKind::String:
      if (!value.is_string()) invalid(key, "a string", value.dump());
      check_choice(key, value.get<std::string>());
      return;
    case ValueKind::StringList: {
      if (!value.is_array() || value.empty())
        invalid(key, "a non-empty list of strings", value.dump());
      std::vector<std::string> seen;
      for (const auto& item : value) {
        if (!item.is_string()) invalid(key, "a list of strings", value.dump());
        const auto name = item.get<std::string>();
        check_choice(key, name);
        if (std::find(seen.begin(), seen.end(), name) != seen.end())
          invalid(key, "a list without repeats", value.dump());
        seen.push_back(name);
      }
      return;
    }
  }
}

bool parse_bool(const ConfigKey& key, const std::string& text) {
  const auto word = lowercase(text);
  if (word == "true" || word == "1" || word == "yes") return true;
  if (word == "false" || word == "0" || word == "no") return false;
  invalid(key, "true/false (also 1/0, yes/no)", "'" + text + "'");
}

// Command-line text to a JSON value of the key's kind (range checks come later).
Json parse_text(const ConfigKey& key, const std::string& text) {
  size_t used = 0;
  try {
    switch (key.kind) {
      case ValueKind::Bool:
        return parse_bool(key, text);
      case ValueKind::Int: {
        const long long value = std::stoll(text, &used);
        if (used == text.size()) return value;
        break;
      }
      case ValueKind::Float: {
        const double value = std::stod(text, &used);
        if (used == text.size() && std::isfinite(value)) return value;
        break;
      }
      case ValueKind::String:
        return text;
      case ValueKind::StringList: {
        Json list = Json::array();
        std::stringstream items(text);
        for (std::string item; std::getline(items, item, ',');)
          if (!item.empty()) list.push_back(item);
        return list;
      }
    }
  } catch (const std::logic_error&) {  // std::stoll / std::stod could not parse
  }
  invalid(key,
          key.kind == ValueKind::Int ? "a whole number " + range_text(key)
                                     : "a number " + range_text(key),
          "'" + text + "'");
}

std::string normalise_key(std::string key) {
  while (!key.empty() && key.front() == '-') key.erase(key.begin());
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

// "line L, column C" of a byte offset in `text`.
std::string position_of(const std::string& text, size_t byte) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

Json template_json(const std::string& model_type) {
  const auto& texts = detail::config_template_texts();
  const auto found = texts.find(model_type);
  if (found == texts.end())
    throw Error("unknown model type '" + model_type + "' (one of " + join(model_types(), ", ") +
                ")");
  return Json::parse(found->second);
}

}  // namespace

struct Config::Values {
  Json json;  // {group: {key: value}}, in file order

  // Sets `key` from a JSON value, validating its type and range.
  void set(const std::string& key, const Json& value) {
    const auto& spec = find_config_key(normalise_key(key));
    check_value(spec, value);
    json[spec.group][spec.name] = spec.kind == ValueKind::Float ? Json(value.get<double>()) : value;
  }

  // The value of `key`, which must exist.
  const Json& at(const std::string& key) const {
    const auto& spec = find_config_key(key);
    return json.at(spec.group).at(spec.name);
  }
};

Config::Config(std::unique_ptr<Values> values) : values_(std::move(values)) {}
Config::Config(const Config& other) : values_(std::make_unique<Values>(*other.values_)) {}
Config::Config(Config&& other) noexcept = default;
Config& Config::operator=(const Config& other) {
  if (this != &other) values_ = std::make_unique<Values>(*other.values_);
  return *this;
}
Config& Config::operator=(Config&& other) noexcept = default;
Config::~Config() = default;

Config Config::from_template(const std::string& model_type, const std::string& model_name) {
  Config config(std::make_unique<Values>(Values{template_json(model_type)}));
  config.values_->set("model_name", model_name);
  return config;
}

Config Config::parse(const std::string& text, const std::string& source) {
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::parse_error& error) {
    throw Error(file_message(source, "invalid JSON at " + position_of(text, error.byte)));
  }
  try {
    if (!json.is_object()) throw Error("expected a JSON object with the four groups");
    const Json model_params = json.value("model_params", Json::object());
    const std::string model_type =
        model_params.contains("model_type") && model_params["model_type"].is_string()
            ? model_params["model_type"].get<std::string>()
            : "SpectrogramNetSimple";
    // Keys an older file lacks take the template's value; keys it has must be valid.
    Json merged = template_json(model_type);
    for (const auto& [group, values] : json.items()) {
      if (std::find(config_groups().begin(), config_groups().end(), group) == config_groups().end())
        throw Error("unknown group '" + group + "' (groups are " + join(config_groups(), ", ") +
                    ")");
      if (!values.is_object()) throw Error("group '" + group + "' must be a JSON object");
      for (const auto& [name, value] : values.items()) {
        const auto& key = find_config_key(name);
        if (key.group != group)
          throw Error("config key '" + name + "' belongs in '" + key.group + "', not '" + group +
                      "'");
        merged[group][name] = value;
      }
    }
    Config config(std::make_unique<Values>(Values{std::move(merged)}));
    config.validate();
    return config;
  } catch (const Error& error) {
    throw Error(file_message(source, error.what()));
  }
}

Config Config::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file_message(file.string(), "cannot read config (missing?)"));
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string());
}

void Config::save(const std::filesystem::path& file) const {
  validate();
  write_text_atomically(file, to_json(2) + "\n");
}

void Config::validate() const {
  const Json& json = values_->json;
  for (const auto& key : config_schema()) {
    if (!json.contains(key.group) || !json[key.group].contains(key.name))
      throw Error("config key '" + key.name + "' is missing from '" + key.group + "'");
    check_value(key, json[key.group][key.name]);
  }
  if (get_int("window_size") > get_int("num_fft"))
    throw Error("config key 'window_size' (" + std::to_string(get_int("window_size")) +
                ") must not exceed 'num_fft' (" + std::to_string(get_int("num_fft")) + ")");
  if (get_int("hop_length") > get_int("window_size"))
    throw Error("config key 'hop_length' (" + std::to_string(get_int("hop_length")) +
                ") must not exceed 'window_size' (" + std::to_string(get_int("window_size")) + ")");
}

void Config::set(const std::string& key, const std::string& text) {
  const auto& spec = find_config_key(normalise_key(key));
  values_->set(spec.name, parse_text(spec, text));
}

namespace {

// values.at(key) as T; auralflow::Error naming the key when it holds another type.
template <typename T>
T value_as(const Json& value, const std::string& key) {
  try {
    return value.get<T>();
  } catch (const Json::type_error&) {
    throw Error("config key '" + key + "' holds " + value.dump() + ", not a value of its type");
  }
}

}  // namespace

bool Config::get_bool(const std::string& key) const {
  return value_as<bool>(values_->at(key), key);
}
int64_t Config::get_int(const std::string& key) const {
  return value_as<int64_t>(values_->at(key), key);
}
double Config::get_double(const std::string& key) const {
  return value_as<double>(values_->at(key), key);
}
std::string Config::get_string(const std::string& key) const {
  return value_as<std::string>(values_->at(key), key);
}
std::vector<std::string> Config::get_strings(const std::string& key) const {
  return value_as<std::vector<std::string>>(values_->at(key), key);
}

std::string Config::to_json(int indent) const { return values_->json.dump(indent); }

std::string Config::table() const {
  size_t width = 0;
  for (const auto& key : config_schema()) width = std::max(width, key.name.size());
  std::ostringstream out;
  for (const auto& group : config_groups()) {
    out << group << "\n";
    for (const auto& key : config_schema()) {
      if (key.group != group) continue;
      const auto& value = values_->json[group][key.name];
      std::string shown;
      if (value.is_string()) {
        shown = value.get<std::string>();
      } else if (value.is_array()) {
        shown = join(value.get<std::vector<std::string>>(), ", ");
      } else {
        shown = value.dump();
      }
      out << "  " << std::left << std::setw(static_cast<int>(width) + 2) << key.name << shown
          << "\n";
    }
  }
  return out.str();
}

}  // namespace auralflow
