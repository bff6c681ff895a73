// MODEL on the command line -> a model folder or a packed model file.
#include "auralflow/error.hpp"
#include "auralflow/pretrained.hpp"

namespace auralflow {
namespace {

std::string known_names(const pretrained::Registry& registry) {
  std::string names;
  for (const auto& entry : registry.entries()) names += (names.empty() ? "" : ", ") + entry.name;
  return names.empty() ? "none installed" : names;
}

}  // namespace

std::filesystem::path resolve_model(const std::string& name, const pretrained::Registry& registry,
                                    const std::filesystem::path& cache) {
  if (name.empty()) {
    if (registry.default_model().empty())
      throw UsageError("no MODEL given and no default pretrained model is installed");
    return resolve_model(registry.default_model(), registry, cache);
  }
  if (std::filesystem::exists(name)) return name;
  const auto* entry = registry.find(name);
  if (!entry)
    throw Error("no model folder, model file or pretrained model named '" + name +
                "' (pretrained models: " + known_names(registry) + ")");
  if (entry->bundled()) {
    if (!std::filesystem::is_regular_file(entry->file))
      throw Error(file_message(entry->file.string(), "bundled model '" + name + "' is missing"));
    return entry->file;
  }
  const auto cached = pretrained::cached_model_file(cache, name);
  if (!std::filesystem::is_regular_file(cached))
    throw Error("pretrained model '" + name + "' is not downloaded yet: run 'auralflow " +
                "pretrained fetch " + name + "'");
  return cached;
}

std::filesystem::path resolve_model(const std::string& name) {
  return resolve_model(name, pretrained::Registry::installed());
}

}  // namespace auralflow
