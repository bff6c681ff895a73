#pragma once
// The JSON text of configs/<model_type>.json, embedded at build time
// (cmake/EmbedConfigTemplates.cmake generates the definition).
#include <map>
#include <string>

namespace auralflow::detail {

const std::map<std::string, std::string>& config_template_texts();

}  // namespace auralflow::detail
