#include <limits>

#include "auralflow/audio.hpp"
#include "auralflow/audio_signal.hpp"
#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"
#include "auralflow/evaluation.hpp"
#include "auralflow/separator.hpp"

namespace auralflow {
namespace {

using StemAudio = std::map<std::string, torch::Tensor>;  // name -> (C, N)

// The tracks to score: the split's, less those options.only_tracks leaves out.
std::vector<Track> dataset_tracks(const std::filesystem::path& dataset,
                                  const EvaluationOptions& options) {
  std::vector<Track> tracks = evaluation_tracks(dataset, options);
  if (!options.only_tracks) return tracks;
  std::vector<Track> chosen;
  for (auto& track : tracks)
    if (options.only_tracks->count(track.name) > 0) chosen.push_back(std::move(track));
  return chosen;
}

torch::Tensor load_stem(const Track& track, const std::string& stem,
                        const EvaluationOptions& options) {
  const auto found = track.stems.find(stem);
  if (found == track.stems.end())
    throw Error(file_message(track.path, "track has no " + stem + " stem"));
  audio::LoadOptions load;
  load.stream = found->second.stream;
  load.duration = options.duration;
  return audio::load(found->second.path, load);
}

// A stem of the track read from its file as it is needed where the file allows that (a WAV or
// FLAC file of its own), else loaded whole.
SignalPtr stem_signal(const Track& track, const std::string& stem,
                      const EvaluationOptions& options) {
  const auto found = track.stems.find(stem);
  if (found != track.stems.end() && found->second.stream == 0) {
    if (auto signal = audio::open_signal(found->second.path, options.duration)) return signal;
  }
  return tensor_signal(load_stem(track, stem, options));
}

// An estimate file at the reference's rate and channels: read as it is needed where the file
// already has them and allows that, else loaded and converted.
SignalPtr estimate_signal(const std::filesystem::path& file, int sample_rate, int64_t channels,
                          const EvaluationOptions& options) {
  const auto info = audio::info(file.string());
  if (info.sample_rate == sample_rate && info.channels == channels) {
    if (auto signal = audio::open_signal(file.string(), options.duration)) return signal;
  }
  audio::LoadOptions load;
  load.sample_rate = sample_rate;
  load.channels = static_cast<int>(channels);
  load.duration = options.duration;
  return tensor_signal(audio::load(file.string(), load));
}

// Stems as tensors (StemAudio) or as Signals.
template <typename Audio>
EvaluatedTrack score(const std::string& name, const std::map<std::string, Audio>& references,
                     const std::map<std::string, Audio>& estimates, int sample_rate) {
  const auto options = metrics::BssEvalOptions().window(sample_rate).hop(sample_rate);
  return {name, metrics::evaluate_track(references, estimates, options)};
}

// Keeps the estimates as save_dir/<track>/<target>.wav when save_dir is set.
void save_estimates(const EvaluationOptions& options, const std::string& track,
                    const StemAudio& estimates, int sample_rate) {
  if (options.save_dir.empty()) return;
  std::filesystem::create_directories(options.save_dir / track);
  for (const auto& [target, audio] : estimates)
    audio::save((options.save_dir / track / (target + ".wav")).string(), audio, sample_rate,
                audio::SampleFormat::Float32);
}

void log_line(const EvaluationOptions& options, const std::string& line) {
  if (options.log) options.log(line);
}

// Adds a scored track to `results` and tells options.scored and options.log.
void add_result(const EvaluationOptions& options, std::vector<EvaluatedTrack>& results,
                EvaluatedTrack track) {
  results.push_back(std::move(track));
  if (options.scored) options.scored(results.back());
  log_line(options, "scored " + results.back().name);
}

}  // namespace

std::optional<std::filesystem::path> find_stem_file(const std::filesystem::path& folder,
                                                    const std::string& stem) {
  if (!std::filesystem::is_directory(folder)) return std::nullopt;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.is_regular_file() && entry.path().stem() == stem) return entry.path();
  return std::nullopt;
}

std::optional<std::filesystem::path> estimates_folder(const std::filesystem::path& estimates,
                                                      const std::string& split,
                                                      const std::string& track) {
  for (const auto& folder :
       {estimates / track, estimates / split / track, estimates / "separated_audio" / track})
    if (std::filesystem::is_directory(folder)) return folder;
  return std::nullopt;
}

std::vector<Track> evaluation_tracks(const std::filesystem::path& dataset,
                                     const EvaluationOptions& options) {
  const auto limit =
      options.max_tracks > 0 ? options.max_tracks : std::numeric_limits<int64_t>::max();
  return list_tracks(dataset, options.split,
                     DatasetOptions(stem_names())
                         .max_num_tracks(limit)
                         .val_split(options.val_split)
                         .seed(options.seed)
                         .augment_gain(false)
                         .augment_channel_swap(false)
                         .augment_remix(false));
}

std::vector<EvaluatedTrack> evaluate_separator(const Separator& separator,
                                               const std::filesystem::path& dataset,
                                               const EvaluationOptions& options) {
  std::vector<EvaluatedTrack> results;
  for (const auto& track : dataset_tracks(dataset, options)) {
    const auto info = audio::info(track.stems.at("mixture").path);
    const torch::Tensor mixture = load_stem(track, "mixture", options);         // (C, N)
    const torch::Tensor stems = separator.separate(mixture, info.sample_rate);  // (K, C, N)
    StemAudio references, estimates;
    for (size_t k = 0; k < separator.targets().size(); ++k) {
      const auto& target = separator.targets()[k];
      references[target] = load_stem(track, target, options);
      estimates[target] = stems[static_cast<int64_t>(k)];
    }
    save_estimates(options, track.name, estimates, info.sample_rate);
    add_result(options, results, score(track.name, references, estimates, info.sample_rate));
  }
  return results;
}

std::vector<EvaluatedTrack> evaluate_oracle(Oracle oracle, const std::filesystem::path& dataset,
                                            const std::vector<std::string>& targets,
                                            const EvaluationOptions& options,
                                            const OracleOptions& oracle_options) {
  // Checked before any file is read: a mistake in the options is not a data problem.
  oracle_options.validate();
  check_oracle_targets(targets);
  // The masks need every stem of a track; the mixture oracle only the targets' references.
  const auto& needed = oracle == Oracle::Mixture ? targets : stem_names();
  std::vector<EvaluatedTrack> results;
  for (const auto& track : dataset_tracks(dataset, options)) {
    const torch::Tensor mixture = load_stem(track, "mixture", options);  // names a missing one
    const int sample_rate = audio::info(track.stems.at("mixture").path).sample_rate;
    StemAudio stems;
    for (const auto& stem : needed) stems[stem] = load_stem(track, stem, options);
    const auto estimates = oracle_estimates(oracle, mixture, stems, targets, oracle_options);
    StemAudio references;
    for (const auto& target : targets) references[target] = stems.at(target);
    save_estimates(options, track.name, estimates, sample_rate);
    add_result(options, results, score(track.name, references, estimates, sample_rate));
  }
  return results;
}

std::vector<EvaluatedTrack> evaluate_estimates(const std::filesystem::path& estimates,
                                               const std::filesystem::path& dataset,
                                               const EvaluationOptions& options) {
  if (!std::filesystem::is_directory(estimates))
    throw Error(file_message(estimates.string(), "no such estimates folder"));
  // The targets: the stems present for the first track of the split (of every shard) that has
  // an estimates folder.
  std::vector<std::string> targets;
  for (const auto& track : evaluation_tracks(dataset, options)) {
    if (const auto folder = estimates_folder(estimates, options.split, track.name)) {
      for (const auto& stem : stem_names())
        if (find_stem_file(*folder, stem)) targets.push_back(stem);
      break;
    }
  }
  if (targets.empty())
    throw Error(file_message(estimates.string(),
                             "no estimates found: expected <track>/<stem>.wav folders named "
                             "after the tracks of the dataset's " +
                                 options.split + " split"));
  std::vector<EvaluatedTrack> results;
  for (const auto& track : dataset_tracks(dataset, options)) {
    const auto folder = estimates_folder(estimates, options.split, track.name);
    if (!folder) {
      log_line(options, "skipped " + track.name + ": no estimates folder");
      continue;
    }
    std::map<std::string, SignalPtr> references, estimated;
    int sample_rate = 0;
    for (const auto& target : targets) {
      const auto file = find_stem_file(*folder, target);
      if (!file) throw Error(file_message(folder->string(), "no estimate of " + target));
      references[target] = stem_signal(track, target, options);
      sample_rate = audio::info(track.stems.at(target).path).sample_rate;
      estimated[target] =
          estimate_signal(*file, sample_rate, references[target]->channels(), options);
    }
    add_result(options, results, score(track.name, references, estimated, sample_rate));
  }
  return results;
}

}  // namespace auralflow
