#include "commands.hpp"

namespace auralflow::cli {
void add_config_command(CLI::App& app) {
  app.add_subcommand("config", "Create or edit a model's config.json.");
}
}  // namespace auralflow::cli
