// auralflow train MODEL DATASET... [--weights W...] [--init MODEL] [--device D] [--threads N]
//   [--epochs N] [--no-evaluate] [--eval-max-tracks N] [--nproc N]
// Trains (or resumes) the model folder on the data sets (each chunk from one of them, by weight),
// validating on the first one's valid split, then scores the best checkpoint on the first one's
// test split into MODEL/evaluation.csv. --init starts a new model from a trained one. With --nproc
// N (or torchrun's WORLD_SIZE, RANK, ... set by a launcher) it is one rank of a data-parallel job;
// rank 0 writes every file.
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <memory>

#include "auralflow/distributed.hpp"
#include "auralflow/error.hpp"
#include "auralflow/evaluation.hpp"
#include "auralflow/pretrained.hpp"
#include "auralflow/separator.hpp"
#include "auralflow/trainer.hpp"
#include "commands.hpp"
#include "worker_launcher.hpp"

namespace auralflow::cli {
namespace {

struct TrainArguments {
  std::string model;
  std::vector<std::string> datasets;
  std::vector<double> weights;
  std::string init;
  std::string device;
  int threads = -1;
  int64_t epochs = 0;
  bool evaluate = true;
  int64_t eval_max_tracks = 0;
  int nproc = 1;
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
  const Separator separator(ChunkSeparator::from(load_model(folder.root(), device)));
  EvaluationOptions options;
  options.max_tracks = arguments.eval_max_tracks;
  options.log = [](const std::string& line) { std::cerr << "  " << line << "\n"; };
  const auto tracks = evaluate_separator(separator, dataset, options);
  write_evaluation_csv(folder.evaluation_file(), tracks);
  std::cout << evaluation_summary(tracks);
}

// The device this process trains on; in a distributed job on CUDA, its local rank's GPU.
std::string training_device(const ModelFolder& folder, const TrainArguments& arguments,
                            const distributed::Rendezvous* rendezvous) {
  const std::string name =
      arguments.device.empty() ? folder.load_config().get_string("device") : arguments.device;
  const torch::Device device = resolve_device(name);
  if (device.is_cuda() && rendezvous != nullptr)
    return "cuda:" + std::to_string(rendezvous->local_rank);
  return device.str();
}

// The data sets with their weights (1 each when --weights is not given).
std::vector<DataSource> data_sources(const TrainArguments& arguments) {
  if (!arguments.weights.empty() && arguments.weights.size() != arguments.datasets.size())
    throw UsageError("--weights: " + std::to_string(arguments.weights.size()) + " weight(s) for " +
                     std::to_string(arguments.datasets.size()) +
                     " data set(s); give one per data set");
  std::vector<DataSource> sources;
  for (size_t i = 0; i < arguments.datasets.size(); ++i)
    sources.push_back(
        {arguments.datasets[i], arguments.weights.empty() ? 1.0 : arguments.weights[i]});
  return sources;
}

// --init: the trained model to start from. A folder without config.json takes that model's
// config (its architecture and settings), renamed after the folder.
std::filesystem::path init_source(const TrainArguments& arguments, const ModelFolder& folder) {
  if (arguments.init.empty()) return {};
  const std::filesystem::path source = resolve_model(arguments.init);
  if (!std::filesystem::exists(folder.config_file())) {
    Config config = load_model(source, torch::kCPU)->config();
    config.set("model_name", folder.root().filename().string());
    std::filesystem::create_directories(folder.root());
    folder.save_config(config);
    std::cerr << "created " << folder.config_file().string() << " from " << arguments.init << "\n";
  }
  return source;
}

void run_train(const TrainArguments& arguments) {
  if (arguments.nproc > 1) {
    run_local_workers(arguments.nproc);
    return;
  }
  const ModelFolder folder(arguments.model);
  const std::vector<DataSource> sources = data_sources(arguments);
  const std::filesystem::path init = init_source(arguments, folder);
  // A rank of a distributed job when torchrun's variables say so.
  auto rendezvous = distributed::Rendezvous::from_environment();
  if (rendezvous && rendezvous->world_size == 1) rendezvous.reset();
  const std::string device =
      training_device(folder, arguments, rendezvous ? &*rendezvous : nullptr);
  const auto group =
      rendezvous ? distributed::Group::connect(*rendezvous, torch::Device(device)) : nullptr;
  Trainer trainer(folder, sources,
                  TrainerOptions()
                      .init_from(init)
                      .device(device)
                      .threads(arguments.threads)
                      .epochs(arguments.epochs)
                      .group(group));
  const bool main_rank = !group || group->is_main();
  const bool terminal = isatty(fileno(stderr)) != 0;
  if (main_rank) {
    trainer.add_callback(std::make_shared<ProgressReporter>(std::cerr, terminal));
    const Config& config = trainer.model().config();
    trainer.add_callback(std::make_shared<TensorBoardLogger>(folder.runs_dir(), config));
    trainer.add_callback(
        std::make_shared<SnapshotWriter>(folder.images_dir(), folder.audio_dir(), config));
  }
  if (main_rank && group)
    std::cerr << "distributed: " << group->world_size() << " ranks, batch "
              << trainer.model().config().get_int("batch_size") << " each\n";
  if (main_rank && trainer.state().epoch == 0 && !init.empty())
    std::cerr << "starting from the weights of " << init.string() << "\n";
  if (main_rank && trainer.state().epoch > 0)
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
  if (!main_rank) return;
  if (result.early_stopped) std::cerr << "early stop after epoch " << result.last_epoch << "\n";
  std::cerr << "best validation loss " << result.state.best_loss << " at epoch "
            << result.state.best_epoch << "\n";
  if (arguments.evaluate)
    evaluate_best(folder, arguments.datasets.front(), arguments, trainer.model().device());
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto arguments = std::make_shared<TrainArguments>();
  auto* command = app.add_subcommand(
      "train",
      "Train (or resume) a model on one or more data sets, then score it on the first one's test "
      "split.");
  command->add_option("model", arguments->model, "Model folder made by 'auralflow config'")
      ->required();
  command
      ->add_option("datasets", arguments->datasets,
                   "Data set folders (MUSDB18-HQ or MUSDB18 layout, train/ and test/); the first "
                   "one also gives the validation and test tracks")
      ->required();
  command
      ->add_option("--weights", arguments->weights,
                   "how often a chunk comes from each data set, one number per data set, e.g. "
                   "--weights 3 1 (default: 1 each)")
      ->check(CLI::PositiveNumber);
  command->add_option("--init", arguments->init,
                      "start a new model from the weights of a trained one (model folder, packed "
                      "file or pretrained name); a MODEL folder without config.json takes its "
                      "config");
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
  command
      ->add_option("--nproc", arguments->nproc,
                   "train with N local processes (data parallel, c10d Gloo/NCCL); each takes "
                   "batch_size chunks of every step")
      ->check(CLI::Range(1, 256));
  command->callback([arguments] { run_train(*arguments); });
}

}  // namespace auralflow::cli
