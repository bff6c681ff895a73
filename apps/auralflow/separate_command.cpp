// auralflow separate [MODEL] AUDIO [--residual] [--duration S] [--offset S] [--save DIR]
//   [--targets a,b] [--overlap F] [--wiener N] [--batch-size N] [--device D] [--precision P]
//   [--threads N] [--format F] [--force] [--shard K/N | --shard-count N]
// Splits each track of AUDIO into SAVE/separated_audio/<name>/{original,<target>...,residual}.
#include <torch/torch.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "auralflow/audio.hpp"
#include "auralflow/error.hpp"
#include "auralflow/pretrained.hpp"
#include "auralflow/separator.hpp"
#include "commands.hpp"
#include "separator_arguments.hpp"
#include "shard_arguments.hpp"

namespace auralflow::cli {
namespace {

struct SeparateArguments {
  std::vector<std::string> inputs;  // [MODEL] AUDIO
  std::string save_dir = ".";
  bool residual = false;
  std::optional<double> duration;
  double offset = 0.0;
  SeparatorArguments separator;
  std::string format = "wav16";
  bool force = false;
  ShardArguments shard;
};

// This process's part of the tracks: all of them, or its shard's (see shard.hpp).
std::vector<InputTrack> shard_of(std::vector<InputTrack> tracks,
                                 const std::optional<Shard>& shard) {
  if (!shard) return tracks;
  std::vector<double> durations;
  for (const auto& track : tracks) {
    try {
      durations.push_back(audio::info(track.input.string()).duration);
    } catch (const Error&) {
      durations.push_back(std::nan(""));  // unreadable: it fails when separated
    }
  }
  std::vector<InputTrack> chosen;
  for (size_t member : shard_tracks(shard, durations)) chosen.push_back(tracks[member]);
  return chosen;
}

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
  // One positional: AUDIO with the default pretrained model; two: MODEL AUDIO.
  const bool default_model = arguments.inputs.size() == 1;
  const std::string model = default_model ? "" : arguments.inputs[0];
  const std::string audio = arguments.inputs.back();
  const auto shard = resolve_shard(arguments.shard);
  const auto tracks = shard_of(
      find_tracks(audio, std::filesystem::path(arguments.save_dir) / "separated_audio"), shard);
  if (tracks.empty()) return;  // a shard beyond the number of tracks
  const auto model_path = resolve_model(model);
  const Separator separator = make_separator(model_path, arguments.separator);
  const std::string model_note =
      default_model ? " (default model " + model_path.string() + ")" : "";
  // One file: one line, its result or (thrown) its error.
  if (!std::filesystem::is_directory(audio) && !shard) {
    const auto done = separate_track(separator, tracks.front(), arguments.save_dir, options);
    std::cerr << tracks.front().name << model_note << ": " << done << "\n";
    return;
  }
  if (default_model) std::cerr << "model: " << model_path.string() << " (default)\n";
  const auto failures = separate_tracks(separator, tracks, arguments.save_dir, options, std::cerr);
  if (failures.empty()) return;
  std::string names;
  for (const auto& failure : failures) {
    names += (names.empty() ? "" : ", ") + failure.track.name;
  }
  throw Error(std::to_string(failures.size()) + " of " + std::to_string(tracks.size()) +
              " track(s) failed: " + names);
}

}  // namespace

void add_separate_command(CLI::App& app) {
  auto arguments = std::make_shared<SeparateArguments>();
  auto* command = app.add_subcommand("separate", "Split songs into stems.");
  command
      ->add_option("model audio", arguments->inputs,
                   "[MODEL] AUDIO: MODEL is a model folder, a packed model file or a pretrained "
                   "model name (default: the default pretrained model, see 'auralflow pretrained "
                   "list'); AUDIO an audio file, a track folder (mixture.*) or a folder of those "
                   "(recursive)")
      ->required()
      ->expected(1, 2);
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
  command->add_flag("--force", arguments->force,
                    "Replace existing outputs (otherwise a track whose outputs all exist is "
                    "skipped: a re-run resumes)");
  add_shard_options(*command, arguments->shard);
  command->callback([arguments] { run_separate(*arguments); });
}

}  // namespace auralflow::cli
