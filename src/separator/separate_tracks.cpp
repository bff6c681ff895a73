// The model behind MODEL, and the loop of `auralflow separate` over many tracks.
#include <chrono>
#include <cstdio>
#include <ostream>
#include <string>

#include "auralflow/error.hpp"
#include "auralflow/pretrained.hpp"
#include "auralflow/separator.hpp"

namespace auralflow {

std::shared_ptr<SeparationModel> load_model(const std::filesystem::path& model,
                                            torch::Device device) {
  if (!std::filesystem::is_directory(model)) return pretrained::load_packed_model(model, device);
  const ModelFolder folder(model);
  std::shared_ptr<SeparationModel> separation_model =
      SeparationModel::create(folder.load_config(), device);
  separation_model->load(folder.inference_checkpoint(), CheckpointParts{true, false, false, false});
  separation_model->eval();
  return separation_model;
}

std::string separate_track(const Separator& separator, const InputTrack& track,
                           const std::filesystem::path& save_dir, const TrackOptions& options) {
  const auto track_dir = save_dir / "separated_audio" / track.name;
  const auto start = std::chrono::steady_clock::now();
  const TrackResult result = separator.separate_file(track.input, track_dir, options);
  if (result.skipped) {
    return "already separated, skipped (" + std::to_string(result.files.size()) +
           " files kept): " + track_dir.string();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double audio_seconds = static_cast<double>(result.frames) / result.sample_rate;
  char line[160];
  std::snprintf(line, sizeof(line),
                "%zu files, %.1f s of audio in %.1f s (real-time factor %.2f): ",
                result.files.size(), audio_seconds, seconds, seconds / audio_seconds);
  return line + track_dir.string();
}

std::vector<TrackFailure> separate_tracks(const Separator& separator,
                                          const std::vector<InputTrack>& tracks,
                                          const std::filesystem::path& save_dir,
                                          const TrackOptions& options, std::ostream& log) {
  std::vector<TrackFailure> failures;
  for (size_t i = 0; i < tracks.size(); ++i) {
    const InputTrack& track = tracks[i];
    log << "[" << i + 1 << "/" << tracks.size() << "] " << track.name << " ("
        << track.input.string() << ")\n"
        << std::flush;
    std::string failure;
    try {
      log << "  " << separate_track(separator, track, save_dir, options) << "\n" << std::flush;
    } catch (const Error& error) {
      failure = error.what();
    } catch (const c10::Error& error) {
      failure = error.what_without_backtrace();
    } catch (const std::exception& error) {  // e.g. std::filesystem errors
      failure = error.what();
    }
    if (!failure.empty()) {
      log << "  failed: " << failure << "\n" << std::flush;
      failures.push_back({track, failure});
    }
  }
  return failures;
}

}  // namespace auralflow
