// auralflow evaluate MODEL DATASET [--split test] [--max-tracks N] [--duration S] [--save DIR]
//   [--targets a,b] [--device D] [--precision P] [--threads N] [--batch-size N] [--overlap F]
//   [--wiener N]
// auralflow evaluate --estimates DIR --references DATASET [--split test] ...
// auralflow evaluate --oracle mixture|irm|ibm DATASET [--num-fft N] [--hop-length N] ...
//   any of these [--shard K/N | --shard-count N] [--force]: one shard, its part saved per track
// auralflow evaluate --merge PART... [--output CSV]
// Scores a model (another system's estimates, or an oracle) and writes evaluation.csv.
#include <nlohmann/json.hpp>

#include <cmath>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include "auralflow/audio.hpp"
#include "auralflow/compute_threads.hpp"
#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"
#include "auralflow/evaluation.hpp"
#include "auralflow/evaluation_part.hpp"
#include "auralflow/inference_precision.hpp"
#include "auralflow/oracles.hpp"
#include "auralflow/pretrained.hpp"
#include "auralflow/separator.hpp"
#include "commands.hpp"
#include "separator_arguments.hpp"
#include "shard_arguments.hpp"

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
  ShardArguments shard;
  bool force = false;
  std::vector<std::string> merge;
};

// What one `evaluate` run scores: the data set, the options, the CSV it writes, what a shard's
// part records as "scored", and the scoring itself over options.only_tracks.
struct EvaluationJob {
  std::filesystem::path dataset;
  EvaluationOptions options;
  std::filesystem::path csv;
  nlohmann::json scored;
  std::function<std::vector<EvaluatedTrack>(const EvaluationOptions&)> run;
};

std::string absolute_text(const std::filesystem::path& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

EvaluationOptions evaluation_options(const EvaluateArguments& arguments) {
  EvaluationOptions options;
  options.split = arguments.split;
  options.max_tracks = arguments.max_tracks;
  options.duration = arguments.duration;
  options.save_dir = arguments.save_dir;
  options.log = [](const std::string& line) { std::cerr << "  " << line << "\n"; };
  return options;
}

// The settings every mode shares, for "scored".
nlohmann::json scored_tracks(const EvaluateArguments& arguments,
                             const std::filesystem::path& dataset) {
  return {{"dataset", absolute_text(dataset)},
          {"split", arguments.split},
          {"max_tracks", arguments.max_tracks},
          {"duration", arguments.duration ? nlohmann::json(*arguments.duration) : nullptr}};
}

std::filesystem::path output_or(const EvaluateArguments& arguments,
                                const std::filesystem::path& fallback) {
  return arguments.output.empty() ? fallback : std::filesystem::path(arguments.output);
}

EvaluationJob model_job(const EvaluateArguments& arguments) {
  if (arguments.dataset.empty()) throw UsageError("MODEL needs a DATASET to score it on");
  const auto model = resolve_model(arguments.model);
  if (arguments.separator.threads > 0) torch::set_num_threads(arguments.separator.threads);
  const auto network = load_model(model, resolve_device(arguments.separator.device));
  EvaluationJob job{arguments.dataset, evaluation_options(arguments), {}, {}, {}};
  // The "valid" split of a data set without val/ or MUSDB18 names: the tracks the model held out.
  job.options.val_split = network->config().get_double("val_split");
  job.options.seed = static_cast<uint64_t>(network->config().get_int("seed"));
  const auto separator = std::make_shared<Separator>(make_separator(network, arguments.separator));
  // A model folder keeps its scores; a packed or pretrained model's go to the current folder.
  job.csv = output_or(arguments, std::filesystem::is_directory(model)
                                     ? ModelFolder(model).evaluation_file()
                                     : std::filesystem::path("evaluation.csv"));
  job.scored = scored_tracks(arguments, arguments.dataset);
  job.scored["model"] = absolute_text(model);
  job.scored["targets"] = separator->targets();
  job.scored["overlap"] = arguments.separator.overlap;
  job.scored["wiener"] = arguments.separator.wiener;
  job.scored["batch_size"] = arguments.separator.batch_size;
  job.run = [separator, dataset = job.dataset](const EvaluationOptions& options) {
    return evaluate_separator(*separator, dataset, options);
  };
  return job;
}

EvaluationJob oracle_job(const EvaluateArguments& arguments) {
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
  EvaluationJob job{dataset,
                    evaluation_options(arguments),
                    output_or(arguments, "evaluation.csv"),
                    scored_tracks(arguments, dataset),
                    {}};
  job.scored["oracle"] = to_string(oracle);
  job.scored["targets"] = targets;
  job.scored["num_fft"] = arguments.oracle_options.num_fft;
  job.scored["hop_length"] = arguments.oracle_options.hop_length;
  job.run = [oracle, targets, oracle_options = arguments.oracle_options,
             dataset](const EvaluationOptions& options) {
    return auralflow::evaluate_oracle(oracle, dataset, targets, options, oracle_options);
  };
  return job;
}

EvaluationJob estimates_job(const EvaluateArguments& arguments) {
  if (arguments.references.empty()) throw UsageError("--estimates needs --references DATASET");
  set_compute_threads(arguments.separator.threads);  // 0: every CPU (BSSEval's frames)
  EvaluationJob job{
      arguments.references,
      evaluation_options(arguments),
      output_or(arguments, std::filesystem::path(arguments.estimates) / "evaluation.csv"),
      scored_tracks(arguments, arguments.references),
      {}};
  job.scored["estimates"] = absolute_text(arguments.estimates);
  job.run = [estimates = arguments.estimates,
             dataset = job.dataset](const EvaluationOptions& options) {
    return evaluate_estimates(estimates, dataset, options);
  };
  return job;
}

// Mixture durations in seconds (NaN where the header cannot be read: it fails when scored).
std::vector<double> durations_of(const std::vector<Track>& tracks) {
  std::vector<double> durations;
  for (const auto& track : tracks) {
    const auto mixture = track.stems.find("mixture");
    double seconds = std::nan("");
    try {
      if (mixture != track.stems.end()) seconds = audio::info(mixture->second.path).duration;
    } catch (const Error&) {
    }
    durations.push_back(seconds);
  }
  return durations;
}

// Scores the shard's tracks that its part does not hold yet (all with --force), saving the part
// after each track; returns the part's results.
std::vector<EvaluatedTrack> run_shard(EvaluationJob& job, const Shard& shard, bool force) {
  const auto split = evaluation_tracks(job.dataset, job.options);
  EvaluationPart part{std::filesystem::absolute(job.csv), {}, shard, {}, {}, {}};
  for (const auto& [key, value] : job.scored.items()) part.scored[key] = value.dump();
  for (const auto& track : split) part.split_tracks.push_back(track.name);
  for (size_t member : shard_tracks(shard, durations_of(split)))
    part.shard_tracks.push_back(split[member].name);
  const auto file = evaluation_part_file(job.csv, shard);
  if (!force && std::filesystem::exists(file)) {
    EvaluationPart done = read_evaluation_part(file);
    if (done.scored != part.scored || done.split_tracks != part.split_tracks)
      throw Error(file_message(file.string(),
                               "was written for other settings or tracks; "
                               "--force scores this shard again"));
    part.results = std::move(done.results);
    std::cerr << "  " << part.results.size() << " track(s) already scored (" << file.string()
              << "), --force scores them again\n";
  }
  std::set<std::string> todo(part.shard_tracks.begin(), part.shard_tracks.end());
  for (const auto& track : part.results) todo.erase(track.name);
  write_evaluation_part(file, part);  // the shard's tracks are on record before the first score
  if (!todo.empty()) {
    job.options.only_tracks = todo;
    job.options.scored = [&](const EvaluatedTrack& track) {
      part.results.push_back(track);
      write_evaluation_part(file, part);
    };
    job.run(job.options);
  }
  std::cerr << "wrote " << file.string() << "\n";
  return part.results;
}

void run_merge(const EvaluateArguments& arguments) {
  std::vector<std::filesystem::path> paths(arguments.merge.begin(), arguments.merge.end());
  std::vector<EvaluationPart> parts;
  for (const auto& file : find_evaluation_parts(paths)) parts.push_back(read_evaluation_part(file));
  const auto tracks = merge_evaluation_parts(parts);
  const auto csv = output_or(arguments, parts.front().output);
  if (csv.has_parent_path()) std::filesystem::create_directories(csv.parent_path());
  write_evaluation_csv(csv, tracks);
  std::cout << evaluation_summary(tracks);
  std::cerr << "merged " << parts.size() << " part(s), " << tracks.size() << " tracks: wrote "
            << csv.string() << "\n";
}

void run_evaluate(const EvaluateArguments& arguments) {
  if (!arguments.merge.empty()) {
    if (!arguments.model.empty() || !arguments.estimates.empty() || !arguments.oracle.empty())
      throw UsageError("--merge takes only PART files or folders (and --output)");
    return run_merge(arguments);
  }
  const int modes = static_cast<int>(!arguments.estimates.empty()) +
                    static_cast<int>(!arguments.oracle.empty()) +
                    static_cast<int>(arguments.estimates.empty() && arguments.oracle.empty() &&
                                     !arguments.model.empty());
  if (modes != 1 || (!arguments.estimates.empty() && !arguments.model.empty()))
    throw UsageError(
        "give either MODEL DATASET, --estimates DIR --references DATASET, --oracle NAME "
        "DATASET or --merge PART...");
  const auto shard = resolve_shard(arguments.shard);
  EvaluationJob job = !arguments.oracle.empty()      ? oracle_job(arguments)
                      : !arguments.estimates.empty() ? estimates_job(arguments)
                                                     : model_job(arguments);
  if (job.csv.has_parent_path()) std::filesystem::create_directories(job.csv.parent_path());
  std::vector<EvaluatedTrack> tracks;
  std::filesystem::path csv = job.csv;
  if (shard) {
    tracks = run_shard(job, *shard, arguments.force);
    csv = csv.parent_path() / (csv.stem().string() + "." + shard->file_tag() + ".csv");
  } else {
    tracks = job.run(job.options);
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
  // Scores must not depend on the CPU's instruction set: float32 unless --precision says
  // otherwise (separate's default, auto, computes in bfloat16 where the CPU has it).
  arguments->separator.precision = to_string(InferencePrecision::kFloat32);
  add_separator_options(*command, arguments->separator);
  add_shard_options(*command, arguments->shard);
  command->add_flag("--force", arguments->force,
                    "with a shard: score its tracks again, also those its part already holds");
  command->add_option("--merge", arguments->merge,
                      "write the one evaluation.csv of a sharded run from its parts "
                      "(*.shard-K-of-N.json files, or folders holding them); default output: "
                      "the CSV the single run would write");
  command->callback([arguments] { run_evaluate(*arguments); });
}

}  // namespace auralflow::cli
