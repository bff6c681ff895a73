#include "separator_arguments.hpp"

#include "auralflow/compute_threads.hpp"
#include "auralflow/error.hpp"
#include "auralflow/inference_precision.hpp"

namespace auralflow::cli {

void add_separator_options(CLI::App& command, SeparatorArguments& arguments) {
  command
      .add_option("--targets", arguments.targets,
                  "Stems to write, comma-separated (default: all of the model's)")
      ->delimiter(',');
  command.add_option("--overlap", arguments.overlap, "Fraction of overlap between chunks")
      ->check(CLI::Range(0.0, kMaxOverlap))
      ->capture_default_str();
  command
      .add_option("--wiener", arguments.wiener,
                  "Multichannel Wiener filter EM iterations (0: the model's output)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  command.add_option("--batch-size", arguments.batch_size, "Chunks per forward")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command.add_option("--device", arguments.device, "cpu, cuda or auto")
      ->check(CLI::IsMember({"cpu", "cuda", "auto"}))
      ->capture_default_str();
  command
      .add_option("--precision", arguments.precision,
                  "auto, float32 or bfloat16: SpectrogramNetSimple and SpectrogramNetLSTM can "
                  "separate in bfloat16 on the CPU (auto: where the CPU computes it natively)")
      ->check([](const std::string& name) {
        try {
          parse_inference_precision(name);
          return std::string();
        } catch (const Error& error) {
          return std::string(error.what());
        }
      })
      ->capture_default_str();
  command
      .add_option(
          "--threads", arguments.threads,
          "Compute threads (0: every CPU this process may use); on the CPU, chunks of a batch "
          "are separated side by side, one per thread")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

Separator make_separator(const std::filesystem::path& model, const SeparatorArguments& arguments) {
  return make_separator(load_model(model, resolve_device(arguments.device)), arguments);
}

Separator make_separator(std::shared_ptr<SeparationModel> model,
                         const SeparatorArguments& arguments) {
  const int threads = arguments.threads > 0 ? arguments.threads : default_compute_threads();
  try {
    model->set_inference_precision(parse_inference_precision(arguments.precision));
  } catch (const Error& error) {
    throw UsageError(std::string("--precision: ") + error.what());
  }
  SeparatorOptions options;
  options.targets = arguments.targets;
  options.overlap = arguments.overlap;
  options.batch_size = arguments.batch_size;
  options.wiener_iterations = arguments.wiener;
  // On the CPU, up to one worker per chunk of a batch, each with an equal share of the
  // threads; a GPU runs the whole batch in one forward.
  options.workers = model->device().is_cpu()
                        ? static_cast<int>(std::min<int64_t>(threads, arguments.batch_size))
                        : 1;
  set_compute_threads(std::max(1, threads / options.workers));
  return Separator(ChunkSeparator::from(std::move(model)), options);
}

}  // namespace auralflow::cli
