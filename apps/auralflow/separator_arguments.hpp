#pragma once
// The options `separate` and `evaluate` share: how a model is run over whole tracks.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "auralflow/separator.hpp"

namespace auralflow::cli {

struct SeparatorArguments {
  std::vector<std::string> targets;  // empty: all of the model's
  double overlap = 0.1;
  int wiener = 0;
  int64_t batch_size = 4;
  std::string device = "auto";
  std::string precision = "auto";  // an InferencePrecision's name
  int threads = 0;
};

/// Adds --targets, --overlap, --wiener, --batch-size, --device, --precision and --threads to
/// `command`.
void add_separator_options(CLI::App& command, SeparatorArguments& arguments);

/// The model (a folder or packed file, see resolve_model) on the chosen device, run with these
/// settings (also sets the thread count). --precision bfloat16 for a model without a bfloat16
/// form is an auralflow::UsageError.
Separator make_separator(const std::filesystem::path& model, const SeparatorArguments& arguments);

/// The same for a model already loaded (on arguments.device, see load_model()).
Separator make_separator(std::shared_ptr<SeparationModel> model,
                         const SeparatorArguments& arguments);

}  // namespace auralflow::cli
