#pragma once
// Each subcommand registers itself on the root CLI11 app and runs its action
// through the returned callback; main.cpp only wires them together.
#include <CLI/CLI.hpp>

namespace auralflow::cli {

void add_config_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_separate_command(CLI::App& app);
void add_evaluate_command(CLI::App& app);
void add_synth_command(CLI::App& app);
void add_pretrained_command(CLI::App& app);
void add_report_command(CLI::App& app);

}  // namespace auralflow::cli
