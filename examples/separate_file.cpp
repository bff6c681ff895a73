// Example 4: separate a file with a pretrained model, writing one file per stem.
//
// resolve_model() turns what `auralflow separate MODEL` accepts into a file: the name of a
// bundled model (models/registry.json: umx-real, synth-simple, ...) or of a fetched one, a
// model folder, or a packed model file. load_model() loads it in eval mode, and a Separator
// runs it over whole tracks of any length, rate and channel count: here streamed from the file
// to WAV files, with memory bounded whatever the track's length (see separator.hpp).
//
// Usage: example_separate_file MODEL INPUT OUTPUT
//   writes OUTPUT/<track>/original.wav, one <target>.wav per stem and residual.wav.
#include <torch/torch.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "auralflow/audio.hpp"
#include "auralflow/error.hpp"
#include "auralflow/pretrained.hpp"
#include "auralflow/separator.hpp"

int main(int argc, char** argv) {
  using namespace auralflow;
  if (argc != 4) {
    std::cerr << "usage: " << argv[0] << " MODEL INPUT OUTPUT\n";
    return 2;
  }
  try {
    const std::filesystem::path model_file = resolve_model(argv[1]);
    const std::shared_ptr<SeparationModel> model = load_model(model_file, torch::kCPU);
    // As `auralflow separate` does by default: bfloat16 convolutions where the network has
    // that form and the CPU computes it natively, float32 otherwise (the library's default).
    model->set_inference_precision(InferencePrecision::kAuto);

    // SeparatorOptions: which stems, the chunk overlap, chunks per forward, Wiener filtering.
    SeparatorOptions separator_options;
    separator_options.overlap = 0.1;
    const Separator separator(ChunkSeparator::from(model), separator_options);

    // The track's output name as `auralflow separate` picks it ("artist - title" from the
    // tags, else the file name).
    const std::vector<InputTrack> tracks = find_tracks(argv[2]);
    TrackOptions track_options;
    track_options.residual = true;  // also mixture − sum of the stems
    track_options.force = true;     // replace the outputs of an earlier run

    std::cout << "model: " << model_file.filename().string() << " (" << model->network().type()
              << ")\n";
    for (const InputTrack& track : tracks) {
      const TrackResult result = separator.separate_file(
          track.input, std::filesystem::path(argv[3]) / track.name, track_options);
      std::cout << track.name << ": " << result.frames << " frames at " << result.sample_rate
                << " Hz, " << result.channels << " channels\n";
      for (const auto& file : result.files) std::cout << "  " << file.string() << "\n";

      // The example checks its result, so that the tests (ctest -R Examples) catch a change:
      // original, one file per target and residual, each as long as the input read.
      bool complete = result.files.size() == model->targets().size() + 2;
      for (const auto& file : result.files)
        complete = complete && audio::info(file.string()).frames == result.frames;
      if (!complete) {
        std::cerr << "error: " << track.name << ": missing or truncated stems\n";
        return 1;
      }
    }
  } catch (const Error& error) {  // auralflow::Error: a one-line message naming the problem
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
