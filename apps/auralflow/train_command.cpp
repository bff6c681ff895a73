// auralflow train MODEL DATASET [--device D] [--threads N] [--epochs N] [--no-evaluate]
//   [--eval-max-tracks N]
// Trains (or resumes) the model folder on the dataset, then scores the best checkpoint on the
// test split into MODEL/evaluation.csv.
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <memory>

#include "auralflow/error.hpp"
#include "auralflow/evaluation.hpp"
#include "auralflow/separator.hpp"
#include "auralflow/trainer.hpp"
#include "commands.hpp"

namespace auralflow::cli {
namespace {

struct TrainArguments {
  std::string model;
  std::string dataset;
  std::string device;
  int threads = -1;
  int64_t epochs = 0;
  bool evaluate = true;
  int64_t eval_max_tracks = 0;
};

// First Ctrl-C: finish the current batch and stop, keeping the last checkpoint.
// A second one: the default action (terminate).
void on_interrupt(int signal) {
  Trainer::request_stop();
  std::signal(signal, SIG_DFL);
}

void evaluate_best(const ModelFolder& folder, const std::string& dataset,
                   const TrainArguments& arguments, torch::Device device) {
  std::cerr << "evaluating " << folder.inference_checkpoint().filename().string()
            << " on the test split\n";
  const Separator separator(SeparatorModel::from(load_model(folder.root(), device)));
  EvaluationOptions options;
  options.max_tracks = arguments.eval_max_tracks;
  options.log = [](const std::string& line) { std::cerr << "  " << line << "\n"; };
  const auto tracks = evaluate_separator(separator, dataset, options);
  write_evaluation_csv(folder.evaluation_file(), tracks);
  std::cout << evaluation_summary(tracks);
}

void run_train(const TrainArguments& arguments) {
  const ModelFolder folder(arguments.model);
  Trainer trainer(folder, arguments.dataset,
                  TrainerOptions()
                      .device(arguments.device)
                      .threads(arguments.threads)
                      .epochs(arguments.epochs));
  const bool terminal = isatty(fileno(stderr)) != 0;
  trainer.add_callback(std::make_shared<ProgressReporter>(std::cerr, terminal));
  const Config& config = trainer.model().config();
  trainer.add_callback(std::make_shared<TensorBoardLogger>(folder.runs_dir(), config));
  trainer.add_callback(
      std::make_shared<SnapshotWriter>(folder.images_dir(), folder.audio_dir(), config));
  if (trainer.state().epoch > 0)
    std::cerr << "resuming after epoch " << trainer.state().epoch << " from "
              << folder.last_checkpoint().string() << "\n";
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  const TrainingResult result = trainer.run();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (result.interrupted)
    throw Error("interrupted; " + folder.last_checkpoint().string() + " holds epoch " +
                std::to_string(result.last_epoch) + " (run the same command to resume)");
  if (result.early_stopped) std::cerr << "early stop after epoch " << result.last_epoch << "\n";
  std::cerr << "best validation loss " << result.state.best_loss << " at epoch "
            << result.state.best_epoch << "\n";
  if (arguments.evaluate)
    evaluate_best(folder, arguments.dataset, arguments, trainer.model().device());
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto arguments = std::make_shared<TrainArguments>();
  auto* command = app.add_subcommand(
      "train", "Train (or resume) a model on a dataset, then score it on the test split.");
  command->add_option("model", arguments->model, "Model folder made by 'auralflow config'")
      ->required();
  command
      ->add_option("dataset", arguments->dataset,
                   "Dataset folder (MUSDB18-HQ or MUSDB18 layout, train/ and test/)")
      ->required();
  command->add_option("--device", arguments->device,
                      "cpu, cuda or auto (default: training_params.device)");
  command->add_option("--threads", arguments->threads,
                      "LibTorch threads (default: training_params.num_threads)");
  command
      ->add_option("--epochs", arguments->epochs,
                   "epochs to train in this run (default: training_params.max_epochs)")
      ->check(CLI::PositiveNumber);
  command->add_flag("!--no-evaluate", arguments->evaluate,
                    "do not score the best model on the test split at the end");
  command->add_option("--eval-max-tracks", arguments->eval_max_tracks,
                      "score only the first N test tracks (default: all)");
  command->callback([arguments] { run_train(*arguments); });
}

}  // namespace auralflow::cli
