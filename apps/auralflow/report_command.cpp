// auralflow report A [B] [--label NAME]... [--oracle NAME=CSV]... [--estimates DIR
//   --references DATASET [--split S]] [--output FILE]
// Writes one self-contained HTML page about an evaluation, or two side by side (report.hpp).
#include <iostream>
#include <memory>

#include "auralflow/atomic_file.hpp"
#include "auralflow/error.hpp"
#include "auralflow/model_folder.hpp"
#include "auralflow/report.hpp"
#include "commands.hpp"

namespace auralflow::cli {
namespace {

struct ReportArguments {
  std::vector<std::string> evaluations;  // CSV files or model folders
  std::vector<std::string> labels;
  std::vector<std::string> oracles;  // NAME=CSV
  std::string estimates;
  std::string references;
  std::string split = "test";
  std::string output;
  double seconds = 20.0;
};

// A model folder's evaluation.csv, or the file itself.
std::filesystem::path csv_of(const std::string& given) {
  return std::filesystem::is_directory(given) ? ModelFolder(given).evaluation_file()
                                              : std::filesystem::path(given);
}

// The name shown for an evaluation: the model folder's, else the folder holding the CSV, else
// the file's stem.
std::string label_of(const std::string& given) {
  const auto path = std::filesystem::absolute(given).lexically_normal();
  if (std::filesystem::is_directory(path))
    return (path.has_filename() ? path : path.parent_path()).filename().string();
  const auto folder = path.parent_path().filename().string();
  return path.stem() == "evaluation" && !folder.empty() ? folder : path.stem().string();
}

void run_report(const ReportArguments& arguments) {
  if (!arguments.labels.empty() && arguments.labels.size() != arguments.evaluations.size())
    throw UsageError("give one --label per evaluation, or none");
  std::vector<ReportEvaluation> evaluations;
  for (size_t i = 0; i < arguments.evaluations.size(); ++i) {
    const auto& given = arguments.evaluations[i];
    evaluations.push_back({arguments.labels.empty() ? label_of(given) : arguments.labels[i],
                           read_evaluation_csv(csv_of(given))});
  }
  ReportOptions options;
  for (const auto& oracle : arguments.oracles) {
    const auto equals = oracle.find('=');
    if (equals == std::string::npos || equals == 0)
      throw UsageError("--oracle '" + oracle + "': expected NAME=CSV, e.g. irm=irm.csv");
    options.oracles.push_back(
        {oracle.substr(0, equals), read_evaluation_csv(oracle.substr(equals + 1))});
  }
  options.estimates = arguments.estimates;
  options.references = arguments.references;
  options.split = arguments.split;
  options.spectrogram_seconds = arguments.seconds;
  const auto first = csv_of(arguments.evaluations.front());
  const std::filesystem::path page = arguments.output.empty()
                                         ? first.parent_path() / (first.stem().string() + ".html")
                                         : std::filesystem::path(arguments.output);
  options.page_folder = page.has_parent_path() ? page.parent_path() : ".";
  std::filesystem::create_directories(options.page_folder);
  write_text_atomically(page, evaluation_report_html(evaluations, options));
  std::cerr << "wrote " << page.string() << "\n";
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto arguments = std::make_shared<ReportArguments>();
  auto* command = app.add_subcommand(
      "report",
      "Write one self-contained HTML page about an evaluation (or two side by side): summary "
      "per target, sortable per-track table, SDR box plot, spectrograms and audio players.");
  command
      ->add_option("evaluation", arguments->evaluations,
                   "evaluation.csv files or model folders (their evaluation.csv): one, or two "
                   "to compare (A then B; deltas are B - A)")
      ->required()
      ->expected(1, 2);
  command->add_option("--label", arguments->labels,
                      "names shown for the evaluations (default: the model folder's name)");
  command->add_option("--oracle", arguments->oracles,
                      "NAME=CSV: an `evaluate --oracle` result whose medians join the summary "
                      "(e.g. mixture=floor.csv irm=irm.csv)");
  auto* estimates = command->add_option(
      "--estimates", arguments->estimates,
      "the first evaluation's estimates (<track>/<target>.wav, as evaluate --save writes them): "
      "adds spectrograms and audio players per track");
  auto* references = command->add_option("--references", arguments->references,
                                         "dataset with the references and mixtures");
  estimates->needs(references);
  references->needs(estimates);
  command->add_option("--split", arguments->split, "the references' split")
      ->check(CLI::IsMember({"train", "valid", "test"}))
      ->capture_default_str();
  command->add_option("--seconds", arguments->seconds, "seconds of each track in the spectrograms")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--output", arguments->output,
                      "HTML file (default: the first CSV's name with .html)");
  command->callback([arguments] { run_report(*arguments); });
}

}  // namespace auralflow::cli
