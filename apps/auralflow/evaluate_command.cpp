// auralflow evaluate MODEL DATASET [--split test] [--max-tracks N] [--duration S] [--save DIR]
//   [--targets a,b] [--device D] [--threads N] [--batch-size N] [--overlap F] [--wiener N]
// auralflow evaluate --estimates DIR --references DATASET [--split test] ...
// Scores a model (or another system's estimates) and writes evaluation.csv.
#include <iostream>
#include <memory>
#include <optional>

#include "auralflow/error.hpp"
#include "auralflow/evaluation.hpp"
#include "auralflow/pretrained.hpp"
#include "auralflow/separator.hpp"
#include "commands.hpp"
#include "separator_arguments.hpp"

namespace auralflow::cli {
namespace {

struct EvaluateArguments {
  std::string model;
  std::string dataset;
  std::string estimates;
  std::string references;
  std::string split = "test";
  int64_t max_tracks = 0;
  std::optional<double> duration;
  std::string save_dir;
  std::string output;
  SeparatorArguments separator;
};

EvaluationOptions evaluation_options(const EvaluateArguments& arguments) {
  EvaluationOptions options;
  options.split = arguments.split;
  options.max_tracks = arguments.max_tracks;
  options.duration = arguments.duration;
  options.save_dir = arguments.save_dir;
  options.log = [](const std::string& line) { std::cerr << "  " << line << "\n"; };
  return options;
}

void run_evaluate(const EvaluateArguments& arguments) {
  const bool scoring_estimates = !arguments.estimates.empty();
  if (scoring_estimates == !arguments.model.empty())
    throw UsageError("give either MODEL DATASET or --estimates DIR --references DATASET");
  std::vector<EvaluatedTrack> tracks;
  std::filesystem::path csv;
  if (scoring_estimates) {
    if (arguments.references.empty()) throw UsageError("--estimates needs --references DATASET");
    tracks = evaluate_estimates(arguments.estimates, arguments.references,
                                evaluation_options(arguments));
    csv = arguments.output.empty() ? std::filesystem::path(arguments.estimates) / "evaluation.csv"
                                   : std::filesystem::path(arguments.output);
  } else {
    if (arguments.dataset.empty()) throw UsageError("MODEL needs a DATASET to score it on");
    const auto model = resolve_model(arguments.model);
    const Separator separator = make_separator(model, arguments.separator);
    tracks = evaluate_separator(separator, arguments.dataset, evaluation_options(arguments));
    // A model folder keeps its scores; a packed or pretrained model's go to the current folder.
    csv = !arguments.output.empty()              ? std::filesystem::path(arguments.output)
          : std::filesystem::is_directory(model) ? ModelFolder(model).evaluation_file()
                                                 : std::filesystem::path("evaluation.csv");
  }
  write_evaluation_csv(csv, tracks);
  std::cout << evaluation_summary(tracks);
  std::cerr << "wrote " << csv.string() << "\n";
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
  auto arguments = std::make_shared<EvaluateArguments>();
  auto* command = app.add_subcommand(
      "evaluate", "Score a model on a dataset split (BSSEval v4, SI-SDR, global SDR).");
  command->add_option("model", arguments->model,
                      "Model folder, packed model file or pretrained model name");
  command->add_option("dataset", arguments->dataset, "Dataset folder with the references");
  command->add_option("--estimates", arguments->estimates,
                      "score this folder of estimates (<track>/<stem>.wav) instead of a model");
  command->add_option("--references", arguments->references,
                      "dataset holding the references for --estimates");
  command->add_option("--split", arguments->split, "dataset split to score")
      ->check(CLI::IsMember({"train", "valid", "test"}));
  command->add_option("--max-tracks", arguments->max_tracks,
                      "score only the first N tracks (default: all)");
  command
      ->add_option("--duration", arguments->duration,
                   "score only the first S seconds of each track")
      ->check(CLI::PositiveNumber);
  command->add_option("--save", arguments->save_dir, "keep the estimates in this folder");
  command->add_option("--output", arguments->output,
                      "CSV file (default: MODEL/evaluation.csv, or DIR/evaluation.csv)");
  add_separator_options(*command, arguments->separator);
  command->callback([arguments] { run_evaluate(*arguments); });
}

}  // namespace auralflow::cli
