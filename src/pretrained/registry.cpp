// The registry JSON (see pretrained.hpp) and where bundled and fetched models live.
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "auralflow/atomic_file.hpp"
#include "auralflow/error.hpp"
#include "auralflow/pretrained.hpp"

namespace auralflow::pretrained {
namespace {

using nlohmann::ordered_json;

std::string required_text(const ordered_json& item, const char* key, const std::string& where) {
  if (!item.contains(key) || !item[key].is_string() || item[key].get<std::string>().empty())
    throw Error(where + ": missing \"" + key + "\"");
  return item[key].get<std::string>();
}

RegistryEntry parse_entry(const ordered_json& item, const std::filesystem::path& base,
                          const std::string& where) {
  if (!item.is_object()) throw Error(where + ": an entry must be a JSON object");
  RegistryEntry entry;
  entry.name = required_text(item, "name", where);
  const std::string context = where + ": model '" + entry.name + "'";
  entry.sha256 = required_text(item, "sha256", context);
  entry.size = item.value("size", int64_t{0});
  entry.description = item.value("description", std::string());
  entry.model_type = item.value("model_type", std::string());
  entry.targets = item.value("targets", std::vector<std::string>());
  if (item.contains("file")) entry.file = base / required_text(item, "file", context);
  if (item.contains("url")) entry.url = required_text(item, "url", context);
  if (entry.file.empty() == entry.url.empty())
    throw Error(context + ": needs exactly one of \"file\" (bundled) or \"url\"");
  const ordered_json scores_by_target = item.value("scores", ordered_json::object());
  for (const auto& [target, scores] : scores_by_target.items())
    entry.scores[target] = TargetScores{scores.value("SI-SDR", 0.0), scores.value("SDR", 0.0)};
  return entry;
}

ordered_json entry_json(const RegistryEntry& entry, const std::filesystem::path& base) {
  ordered_json item;
  item["name"] = entry.name;
  if (entry.bundled())
    item["file"] = std::filesystem::relative(entry.file, base).generic_string();
  else
    item["url"] = entry.url;
  item["sha256"] = entry.sha256;
  item["size"] = entry.size;
  item["description"] = entry.description;
  item["model_type"] = entry.model_type;
  item["targets"] = entry.targets;
  ordered_json scores = ordered_json::object();
  for (const auto& [target, value] : entry.scores)
    scores[target] = {{"SI-SDR", value.si_sdr}, {"SDR", value.sdr}};
  item["scores"] = scores;
  return item;
}

std::filesystem::path environment_path(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? std::filesystem::path(value) : std::filesystem::path();
}

}  // namespace

Registry Registry::read(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(file_message(file.string(), "no such registry file"));
  ordered_json json;
  try {
    json = ordered_json::parse(in);
  } catch (const nlohmann::json::parse_error& error) {
    throw Error(file_message(file.string(), std::string("not valid JSON: ") + error.what()));
  }
  if (!json.is_object() || !json.contains("models") || !json["models"].is_array())
    throw Error(file_message(file.string(), "a registry needs a \"models\" list"));
  Registry registry;
  registry.default_model_ = json.value("default", std::string());
  const auto base = file.parent_path();
  for (const auto& item : json["models"])
    registry.upsert(parse_entry(item, base.empty() ? "." : base, file.string()));
  return registry;
}

Registry Registry::installed() {
  Registry registry;
  const auto bundled = bundled_models_dir() / "registry.json";
  if (std::filesystem::exists(bundled)) registry = read(bundled);
  std::stringstream extra(environment_path("AURALFLOW_REGISTRY").string());
  for (std::string file; std::getline(extra, file, ':');)
    if (!file.empty()) registry.append(read(file));
  return registry;
}

void Registry::append(const Registry& other) {
  for (const auto& entry : other.entries_)
    if (!find(entry.name)) entries_.push_back(entry);
  if (default_model_.empty()) default_model_ = other.default_model_;
}

void Registry::upsert(RegistryEntry entry) {
  for (auto& existing : entries_) {
    if (existing.name == entry.name) {
      existing = std::move(entry);
      return;
    }
  }
  entries_.push_back(std::move(entry));
}

void Registry::write(const std::filesystem::path& file) const {
  const auto base = std::filesystem::absolute(file).parent_path();
  std::filesystem::create_directories(base);
  ordered_json json;
  json["default"] = default_model_;
  json["models"] = ordered_json::array();
  for (const auto& entry : entries_) json["models"].push_back(entry_json(entry, base));
  write_text_atomically(file, json.dump(2) + "\n");
}

const RegistryEntry* Registry::find(const std::string& name) const {
  for (const auto& entry : entries_)
    if (entry.name == name) return &entry;
  return nullptr;
}

std::filesystem::path bundled_models_dir() {
  if (auto dir = environment_path("AURALFLOW_MODELS"); !dir.empty()) return dir;
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const auto installed = exe.parent_path().parent_path() / "share" / "auralflow" / "models";
    if (std::filesystem::exists(installed / "registry.json")) return installed;
  }
  return AURALFLOW_SOURCE_MODELS_DIR;
}

std::filesystem::path cache_dir() {
  if (auto dir = environment_path("AURALFLOW_CACHE"); !dir.empty()) return dir;
  if (auto dir = environment_path("XDG_CACHE_HOME"); !dir.empty()) return dir / "auralflow";
  if (auto home = environment_path("HOME"); !home.empty()) return home / ".cache" / "auralflow";
  return std::filesystem::temp_directory_path() / "auralflow-cache";
}

std::filesystem::path cached_model_file(const std::filesystem::path& cache,
                                        const std::string& name) {
  return cache / "models" / (name + ".pth");
}

}  // namespace auralflow::pretrained
