// auralflow synth OUT [--tracks N] [--test-tracks M] [--duration S] [--seed K]
//                     [--soundfont F...] [--sample-rate R] [--format F] [--no-reverb] [--force]
// Renders a generated MUSDB18-HQ-layout dataset (see docs/synth.md); one line per track.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "auralflow/synth.hpp"
#include "commands.hpp"

namespace auralflow::cli {
namespace {

struct SynthArguments {
  std::string out;
  int64_t tracks = 10;
  std::optional<int64_t> test_tracks;  // unset: the library's default
  double duration = 30.0;
  uint64_t seed = 0;
  std::vector<std::string> soundfonts = {synth::kDefaultSoundFont};
  int sample_rate = 44100;
  std::string format = "wav16";
  bool no_reverb = false;
  int threads = 2;
  bool force = false;
};

void run_synth(const SynthArguments& arguments) {
  synth::SynthOptions options = synth::SynthOptions()
                                    .tracks(arguments.tracks)
                                    .duration(arguments.duration)
                                    .seed(arguments.seed)
                                    .soundfonts(arguments.soundfonts)
                                    .sample_rate(arguments.sample_rate)
                                    .format(audio::parse_sample_format(arguments.format))
                                    .reverb(!arguments.no_reverb)
                                    .threads(arguments.threads)
                                    .force(arguments.force)
                                    .test_tracks(arguments.test_tracks);
  const auto start = std::chrono::steady_clock::now();
  synth::write_dataset(arguments.out, options,
                       [](const std::filesystem::path& folder, const synth::RenderedTrack& track,
                          int64_t position, int64_t total) {
                         std::cerr << "[" << position << "/" << total << "] " << folder.string()
                                   << ": " << track.description << "\n";
                       });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int64_t total = options.tracks() + synth::test_track_count(options);
  std::ostringstream summary;
  summary << "wrote " << total << " tracks (" << options.tracks() << " train, "
          << synth::test_track_count(options) << " test) of " << options.duration() << " s to "
          << arguments.out << " in " << std::fixed << std::setprecision(1) << seconds << " s ("
          << std::setprecision(0) << total * options.duration() / seconds << "x real time)\n";
  std::cout << summary.str();
}

}  // namespace

void add_synth_command(CLI::App& app) {
  auto arguments = std::make_shared<SynthArguments>();
  auto* command = app.add_subcommand(
      "synth", "Render generated songs with their stems (MUSDB18-HQ layout) from SoundFonts.");
  command->add_option("out", arguments->out, "Dataset folder to write (train/ and test/)")
      ->required();
  command->add_option("--tracks", arguments->tracks, "Train tracks")->capture_default_str();
  command->add_option("--test-tracks", arguments->test_tracks,
                      "Test tracks (default: a fifth of --tracks, rounded up)");
  command->add_option("--duration", arguments->duration, "Seconds per track")
      ->capture_default_str();
  command->add_option("--seed", arguments->seed, "Dataset seed (same seed, same files)")
      ->capture_default_str();
  command
      ->add_option("--soundfont", arguments->soundfonts,
                   "SoundFont (.sf2) files; each part draws from one of them")
      ->capture_default_str();
  command->add_option("--sample-rate", arguments->sample_rate, "Sample rate in Hz")
      ->capture_default_str();
  command->add_option("--format", arguments->format, "wav16, wav24 or float32")
      ->capture_default_str();
  command
      ->add_option("--threads", arguments->threads,
                   "Stems rendered side by side (1-4; each thread loads the SoundFonts)")
      ->capture_default_str();
  command->add_flag("--no-reverb", arguments->no_reverb, "Render without fluidsynth's reverb");
  command->add_flag("--force", arguments->force, "Replace tracks that already exist in OUT");
  command->callback([arguments] { run_synth(*arguments); });
}

}  // namespace auralflow::cli
