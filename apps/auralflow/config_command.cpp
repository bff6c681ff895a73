// auralflow config NAME [MODEL_TYPE] [--save DIR] [--force] [--display] [--KEY VALUE ...]
// With MODEL_TYPE: create DIR/NAME/config.json from the template. Without: edit it.
#include <iostream>
#include <map>
#include <memory>

#include "auralflow/config.hpp"
#include "auralflow/error.hpp"
#include "auralflow/model_folder.hpp"
#include "commands.hpp"

namespace auralflow::cli {
namespace {

struct ConfigArguments {
  std::string name;
  std::string model_type;
  std::string save_dir = ".";
  bool force = false;
  bool display = false;
  std::map<std::string, std::string> values;  // key -> text given on the command line
};

void run_config(const ConfigArguments& arguments, const CLI::App& command) {
  for (const auto& extra : command.remaining()) {
    if (extra.rfind("-", 0) == 0) {
      try {
        find_config_key(extra.substr(extra.find_first_not_of('-')));
      } catch (const Error& unknown) {
        throw UsageError(unknown.what());
      }
    }
    throw UsageError("unexpected argument '" + extra + "'");
  }
  const ModelFolder folder =
      arguments.model_type.empty()
          ? ModelFolder(std::filesystem::path(arguments.save_dir) / arguments.name)
          : ModelFolder::create(arguments.save_dir, arguments.name, arguments.model_type,
                                arguments.force);
  Config config = folder.load_config();
  for (const auto& key : config_schema()) {
    const auto given = arguments.values.find(key.name);
    if (given != arguments.values.end() && command.count("--" + key.name) > 0)
      config.set(key.name, given->second);
  }
  folder.save_config(config);
  if (arguments.display) std::cout << config.table();
  std::cout << "saved " << folder.config_file().string() << "\n";
}

}  // namespace

void add_config_command(CLI::App& app) {
  auto arguments = std::make_shared<ConfigArguments>();
  auto* command = app.add_subcommand(
      "config", "Create a model folder (with MODEL_TYPE) or edit its config.json.");
  command->allow_extras();
  command->add_option("name", arguments->name, "Model name (folder under --save)")->required();
  command->add_option("model_type", arguments->model_type,
                      "Create with this network type: " + CLI::detail::join(model_types(), ", "));
  command->add_option("--save", arguments->save_dir, "Folder holding the model folder")
      ->capture_default_str();
  command->add_flag("--force", arguments->force, "Replace an existing config.json");
  command->add_flag("--display", arguments->display, "Print the settings as a table");
  for (const auto& key : config_schema()) {
    std::string dashed = key.name;
    std::replace(dashed.begin(), dashed.end(), '_', '-');
    const std::string names =
        dashed == key.name ? "--" + key.name : "--" + key.name + ",--" + dashed;
    command->add_option(names, arguments->values[key.name], key.help)->group(key.group);
  }
  command->callback([arguments, command] { run_config(*arguments, *command); });
}

}  // namespace auralflow::cli
