// auralflow evaluate MODEL DATASET [--split test] [--max-tracks N] [--duration S] [--save DIR]
//   [--targets a,b] [--device D] [--threads N] [--batch-size N] [--overlap F] [--wiener N]
// auralflow evaluate --estimates DIR --references DATASET [--split test] ...
// auralflow evaluate --oracle mixture|irm|ibm DATASET [--num-fft N] [--hop-length N] ...
// Scores a model (another system's estimates, or an oracle) and writes evaluation.csv.
#include <iostream>
#include <memory>
#include <optional>

#include "auralflow/compute_threads.hpp"
#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"
#include "auralflow/evaluation.hpp"
#include "auralflow/oracles.hpp"
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
  std::string oracle;
  OracleOptions oracle_options;
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

std::filesystem::path output_or(const EvaluateArguments& arguments,
                                const std::filesystem::path& fallback) {
  return arguments.output.empty() ? fallback : std::filesystem::path(arguments.output);
}

std::vector<EvaluatedTrack> evaluate_model(const EvaluateArguments& arguments,
                                           std::filesystem::path& csv) {
  if (arguments.dataset.empty()) throw UsageError("MODEL needs a DATASET to score it on");
  const auto model = resolve_model(arguments.model);
  if (arguments.separator.threads > 0) torch::set_num_threads(arguments.separator.threads);
  const auto network = load_model(model, resolve_device(arguments.separator.device));
  auto options = evaluation_options(arguments);
  // The "valid" split of a data set without val/ or MUSDB18 names: the tracks the model held out.
  options.val_split = network->config().get_double("val_split");
  options.seed = static_cast<uint64_t>(network->config().get_int("seed"));
  const Separator separator = make_separator(network, arguments.separator);
  // A model folder keeps its scores; a packed or pretrained model's go to the current folder.
  csv = output_or(arguments, std::filesystem::is_directory(model)
                                 ? ModelFolder(model).evaluation_file()
                                 : std::filesystem::path("evaluation.csv"));
  return evaluate_separator(separator, arguments.dataset, options);
}

std::vector<EvaluatedTrack> evaluate_oracle(const EvaluateArguments& arguments,
                                            std::filesystem::path& csv) {
  const Oracle oracle = parse_oracle(arguments.oracle);
  // `evaluate --oracle irm DATASET`: the one positional argument is the data set.
  if (!arguments.model.empty() && !arguments.dataset.empty())
    throw UsageError("--oracle scores a DATASET, not a model: give no MODEL");
  const std::string dataset = arguments.dataset.empty() ? arguments.model : arguments.dataset;
  if (dataset.empty()) throw UsageError("--oracle needs a DATASET to score it on");
  if (arguments.separator.threads > 0) torch::set_num_threads(arguments.separator.threads);
  const auto targets =
      arguments.separator.targets.empty() ? stem_names() : arguments.separator.targets;
  arguments.oracle_options.validate();
  check_oracle_targets(targets);
  std::cerr << "oracle " << to_string(oracle) << " on " << dataset << " (" << arguments.split
            << " split";
  if (oracle != Oracle::Mixture)
    std::cerr << ", STFT " << arguments.oracle_options.num_fft << "/"
              << arguments.oracle_options.hop_length;
  std::cerr << ")\n";
  csv = output_or(arguments, "evaluation.csv");
  return auralflow::evaluate_oracle(oracle, dataset, targets, evaluation_options(arguments),
                                    arguments.oracle_options);
}

void run_evaluate(const EvaluateArguments& arguments) {
  const int modes = static_cast<int>(!arguments.estimates.empty()) +
                    static_cast<int>(!arguments.oracle.empty()) +
                    static_cast<int>(arguments.estimates.empty() && arguments.oracle.empty() &&
                                     !arguments.model.empty());
  if (modes != 1 || (!arguments.estimates.empty() && !arguments.model.empty()))
    throw UsageError(
        "give either MODEL DATASET, --estimates DIR --references DATASET or --oracle NAME "
        "DATASET");
  std::vector<EvaluatedTrack> tracks;
  std::filesystem::path csv;
  if (!arguments.oracle.empty()) {
    tracks = evaluate_oracle(arguments, csv);
  } else if (!arguments.estimates.empty()) {
    if (arguments.references.empty()) throw UsageError("--estimates needs --references DATASET");
    set_compute_threads(arguments.separator.threads);  // 0: every CPU (BSSEval's frames)
    tracks = evaluate_estimates(arguments.estimates, arguments.references,
                                evaluation_options(arguments));
    csv = output_or(arguments, std::filesystem::path(arguments.estimates) / "evaluation.csv");
  } else {
    tracks = evaluate_model(arguments, csv);
  }
  write_evaluation_csv(csv, tracks);
  std::cout << evaluation_summary(tracks);
  std::cerr << "wrote " << csv.string() << "\n";
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
  auto arguments = std::make_shared<EvaluateArguments>();
  auto* command = app.add_subcommand("evaluate",
                                     "Score a model, another system's estimates or an oracle on a "
                                     "dataset split (BSSEval v4, SI-SDR, global SDR).");
  command->add_option("model", arguments->model,
                      "Model folder, packed model file or pretrained name (with --oracle: the "
                      "DATASET)");
  command->add_option("dataset", arguments->dataset, "Dataset folder with the references");
  command->add_option("--estimates", arguments->estimates,
                      "score this folder of estimates (<track>/<stem>.wav) instead of a model");
  command->add_option("--references", arguments->references,
                      "dataset holding the references for --estimates");
  auto* oracle = command->add_option(
      "--oracle", arguments->oracle,
      "score an oracle computed from the true stems instead of a model: 'mixture' (the "
      "mixture as every target's estimate: the floor), 'irm' (ideal ratio mask |S_j| / sum_k "
      "|S_k| over the four stems, per channel, applied to the mixture's STFT) or 'ibm' (ideal "
      "binary mask: 1 where the target's |S_j| is the largest); the STFT is --num-fft/"
      "--hop-length, Open-Unmix's 4096/1024 by default");
  command
      ->add_option("--num-fft", arguments->oracle_options.num_fft,
                   "--oracle irm/ibm: STFT size, periodic Hann window of that length")
      ->needs(oracle)
      ->capture_default_str();
  command
      ->add_option("--hop-length", arguments->oracle_options.hop_length,
                   "--oracle irm/ibm: STFT hop")
      ->needs(oracle)
      ->capture_default_str();
  command
      ->add_option("--split", arguments->split,
                   "dataset split to score; valid: val/ (or valid/), else the 14 MUSDB18 "
                   "validation tracks in train/, else the part of train/ a model held out "
                   "(its val_split and seed; 0.1 and 0 for an oracle)")
      ->check(CLI::IsMember({"train", "valid", "test"}))
      ->capture_default_str();
  command->add_option("--max-tracks", arguments->max_tracks,
                      "score only the first N tracks (default: all)");
  command
      ->add_option("--duration", arguments->duration,
                   "score only the first S seconds of each track")
      ->check(CLI::PositiveNumber);
  command->add_option("--save", arguments->save_dir, "keep the estimates in this folder");
  command->add_option("--output", arguments->output,
                      "CSV file (default: MODEL/evaluation.csv, DIR/evaluation.csv, or "
                      "evaluation.csv for a packed model or an oracle)");
  add_separator_options(*command, arguments->separator);
  command->callback([arguments] { run_evaluate(*arguments); });
}

}  // namespace auralflow::cli
