// auralflow pretrained list [--registry FILE]
// auralflow pretrained fetch NAME [--registry FILE] [--force]
// auralflow pretrained pack TRAINED OUT.pth [--registry FILE] [--name N] [--description D]
//   [--default]
// The bundled and downloadable models, downloading them, and packing a trained model folder.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "auralflow/error.hpp"
#include "auralflow/pretrained.hpp"
#include "commands.hpp"

namespace auralflow::cli {
namespace {

using pretrained::Registry;
using pretrained::RegistryEntry;

struct PretrainedArguments {
  std::string registry;  // an extra registry file
  std::string name;
  bool force = false;
  std::string trained;
  std::string out;
  std::string description;
  bool make_default = false;
};

Registry registry_of(const PretrainedArguments& arguments) {
  Registry registry = Registry::installed();
  if (!arguments.registry.empty()) registry.append(Registry::read(arguments.registry));
  return registry;
}

std::string megabytes(int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

std::string where(const RegistryEntry& entry) {
  if (entry.bundled()) return "bundled";
  return std::filesystem::exists(pretrained::cached_model_file(pretrained::cache_dir(), entry.name))
             ? "downloaded"
             : "not downloaded";
}

void run_list(const PretrainedArguments& arguments) {
  const Registry registry = registry_of(arguments);
  if (registry.entries().empty()) {
    std::cout << "no pretrained models installed\n";
    return;
  }
  for (const auto& entry : registry.entries()) {
    const bool is_default = entry.name == registry.default_model();
    std::cout << entry.name << (is_default ? " (default)" : "") << "  " << entry.model_type << "  "
              << megabytes(entry.size) << "  " << where(entry) << "\n";
    if (!entry.description.empty()) std::cout << "    " << entry.description << "\n";
    if (entry.scores.empty()) continue;
    std::cout << "    median SI-SDR / SDR (dB):";
    for (const auto& target : entry.targets) {
      const auto scores = entry.scores.find(target);
      if (scores == entry.scores.end()) continue;
      char cell[96];
      std::snprintf(cell, sizeof(cell), "  %s %.2f / %.2f", target.c_str(), scores->second.si_sdr,
                    scores->second.sdr);
      std::cout << cell;
    }
    std::cout << "\n";
  }
}

void run_fetch(const PretrainedArguments& arguments) {
  const Registry registry = registry_of(arguments);
  const auto* entry = registry.find(arguments.name);
  if (!entry)
    throw UsageError("no pretrained model named '" + arguments.name + "' in the registry");
  pretrained::FetchOptions options;
  options.force = arguments.force;
  if (isatty(fileno(stderr)) != 0)
    options.progress = [](int64_t done, int64_t total) {
      if (total > 0)
        std::fprintf(stderr, "\r  %s of %s", megabytes(done).c_str(), megabytes(total).c_str());
    };
  const auto file = pretrained::fetch(*entry, options);
  if (options.progress) std::fprintf(stderr, "\n");
  std::cout << entry->name << ": " << file.string() << " (sha256 verified)\n";
}

void run_pack(const PretrainedArguments& arguments) {
  const ModelFolder trained(arguments.trained);
  const std::filesystem::path out = arguments.out;
  const int64_t bytes = pretrained::pack_model(trained, out);
  std::cout << "packed " << out.string() << " (" << megabytes(bytes) << ")\n";
  if (arguments.registry.empty()) return;
  Registry registry;
  if (std::filesystem::exists(arguments.registry)) registry = Registry::read(arguments.registry);
  const Config config = trained.load_config();
  RegistryEntry entry;
  entry.name = arguments.name.empty() ? out.stem().string() : arguments.name;
  entry.file = std::filesystem::absolute(out);
  entry.sha256 = pretrained::sha256_of_file(out);
  entry.size = bytes;
  entry.description = arguments.description;
  entry.model_type = config.get_string("model_type");
  entry.targets = config.get_strings("targets");
  if (std::filesystem::exists(trained.evaluation_file()))
    entry.scores = pretrained::read_median_scores(trained.evaluation_file());
  registry.upsert(entry);
  if (arguments.make_default || registry.default_model().empty())
    registry.set_default_model(entry.name);
  registry.write(arguments.registry);
  std::cout << "registered '" << entry.name << "' in " << arguments.registry << "\n";
}

}  // namespace

void add_pretrained_command(CLI::App& app) {
  auto arguments = std::make_shared<PretrainedArguments>();
  auto* command = app.add_subcommand("pretrained", "List, download and pack pretrained models.");
  command->require_subcommand(1);

  auto* list = command->add_subcommand("list", "Show the pretrained models and their scores.");
  list->add_option("--registry", arguments->registry, "Also list this registry file's models");
  list->callback([arguments] { run_list(*arguments); });

  auto* fetch = command->add_subcommand(
      "fetch", "Download a registry model into the cache and verify its SHA-256.");
  fetch->add_option("name", arguments->name, "Pretrained model name")->required();
  fetch->add_option("--registry", arguments->registry, "Also look in this registry file");
  fetch->add_flag("--force", arguments->force, "Download again even when cached");
  fetch->callback([arguments] { run_fetch(*arguments); });

  auto* pack = command->add_subcommand(
      "pack", "Write a trained model folder as one packed model file (half-precision weights).");
  pack->add_option("trained", arguments->trained, "Trained model folder")->required();
  pack->add_option("out", arguments->out, "Packed model file to write (.pth)")->required();
  pack->add_option("--registry", arguments->registry,
                   "Add (or update) the model in this registry file, with its evaluation.csv "
                   "scores");
  pack->add_option("--name", arguments->name, "Registry name (default: OUT's file stem)");
  pack->add_option("--description", arguments->description, "Registry description");
  pack->add_flag("--default", arguments->make_default, "Make it the registry's default model");
  pack->callback([arguments] { run_pack(*arguments); });
}

}  // namespace auralflow::cli
