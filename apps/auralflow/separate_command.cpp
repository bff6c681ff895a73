// auralflow separate MODEL AUDIO [--residual] [--duration S] [--offset S] [--save DIR]
//   [--targets a,b] [--overlap F] [--wiener N] [--batch-size N] [--device D] [--threads N]
//   [--format F] [--force]
// Splits each track of AUDIO into SAVE/separated_audio/<name>/{original,<target>...,residual}.
#include <torch/torch.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "auralflow/error.hpp"
#include "auralflow/separator.hpp"
#include "commands.hpp"
#include "separator_arguments.hpp"

namespace auralflow::cli {
namespace {

struct SeparateArguments {
  std::string model;
  std::string audio;
  std::string save_dir = ".";
  bool residual = false;
  std::optional<double> duration;
  double offset = 0.0;
  SeparatorArguments separator;
  std::string format = "wav16";
  bool force = false;
};

// "  42%" redrawn in place, only when stderr is a terminal.
std::function<void(int64_t, int64_t)> progress_bar() {
  if (isatty(fileno(stderr)) == 0) return {};
  return [](int64_t done, int64_t total) {
    if (total <= 0) return;
    std::fprintf(stderr, "\r  %3d%%", static_cast<int>(100 * std::min(done, total) / total));
    if (done >= total) std::fprintf(stderr, "\r      \r");
    std::fflush(stderr);
  };
}

void run_separate(const SeparateArguments& arguments) {
  TrackOptions options;
  options.offset = arguments.offset;
  options.duration = arguments.duration;
  options.residual = arguments.residual;
  options.format = audio::parse_sample_format(arguments.format);
  options.force = arguments.force;
  options.progress = progress_bar();
  const ModelFolder folder = resolve_model(arguments.model);
  const auto tracks =
      find_tracks(arguments.audio, std::filesystem::path(arguments.save_dir) / "separated_audio");
  const Separator separator = make_separator(folder, arguments.separator);
  const auto failures = separate_tracks(separator, tracks, arguments.save_dir, options, std::cerr);
  if (failures.empty()) return;
  for (const auto& failure : failures) {
    std::cerr << "failed: " << failure.track.input.string() << ": " << failure.error << "\n";
  }
  throw Error(std::to_string(failures.size()) + " of " + std::to_string(tracks.size()) +
              " track(s) failed");
}

}  // namespace

void add_separate_command(CLI::App& app) {
  auto arguments = std::make_shared<SeparateArguments>();
  auto* command = app.add_subcommand("separate", "Split songs into stems.");
  command->add_option("model", arguments->model, "Model folder or bundled model name")->required();
  command
      ->add_option("audio", arguments->audio,
                   "Audio file, track folder (mixture.*) or folder of those (recursive)")
      ->required();
  command->add_option("--save", arguments->save_dir, "Write to SAVE/separated_audio/<track name>/")
      ->capture_default_str();
  command->add_flag("--residual", arguments->residual,
                    "Also write residual = mixture - sum of the stems");
  command->add_option("--duration", arguments->duration, "Seconds to separate (default: all)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--offset", arguments->offset, "Start this many seconds into the track")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  add_separator_options(*command, arguments->separator);
  command->add_option("--format", arguments->format, "Output format")
      ->check(CLI::IsMember({"wav16", "wav24", "float32", "flac"}))
      ->capture_default_str();
  command->add_flag("--force", arguments->force, "Replace existing outputs");
  command->callback([arguments] { run_separate(*arguments); });
}

}  // namespace auralflow::cli
