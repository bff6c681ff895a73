// Subcommands whose work lands with later issues. They parse their arguments so
// that --help already documents them, and say plainly that they are not built yet.
#include "auralflow/error.hpp"
#include "commands.hpp"

namespace auralflow::cli {
namespace {

void not_built(const std::string& name, int issue) {
  throw Error("'auralflow " + name + "' is not available in this build yet (issue #" +
              std::to_string(issue) + ")");
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto* command = app.add_subcommand("train", "Train (or resume) a model on a dataset.");
  command->add_option("model", "Model folder made by 'auralflow config'")->required();
  command->add_option("dataset", "Dataset folder (MUSDB18-HQ or MUSDB18 layout)")->required();
  command->callback([] { not_built("train", 4); });
}

void add_separate_command(CLI::App& app) {
  auto* command = app.add_subcommand("separate", "Split songs into stems.");
  command->add_option("model", "Model folder or bundled model name")->required();
  command->add_option("audio", "Audio file or folder")->required();
  command->callback([] { not_built("separate", 5); });
}

void add_evaluate_command(CLI::App& app) {
  auto* command = app.add_subcommand("evaluate", "Score a model on a dataset split.");
  command->add_option("model", "Model folder")->required();
  command->add_option("dataset", "Dataset folder")->required();
  command->callback([] { not_built("evaluate", 5); });
}

}  // namespace auralflow::cli
