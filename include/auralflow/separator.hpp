#pragma once
/// @file
/// Separator: a model applied to whole tracks of any length, sample rate and channel
/// count. In memory:
///
/// @code
///   auto separator = Separator(ChunkSeparator::from(load_model("my_model", torch::kCPU)));
///   torch::Tensor stems = separator.separate(mixture, 44100);  // (C, N) -> (K, C, N)
/// @endcode
///
/// or streamed from a file to one file per stem, with memory bounded whatever the length:
///
/// @code
///   separator.separate_file("song.flac", "out/separated_audio/Artist - Title", {});
/// @endcode
///
/// Inside: the mixture is resampled to the model's rate, cut into chunks of the model's
/// training length that overlap and are cross-faded (OverlapAdd), several chunks per
/// forward; the estimates are optionally refined by a multichannel Wiener filter and
/// resampled back to the input's rate, so every stem has the input's rate, length and
/// channel count. Mono input into a stereo model is duplicated (the two output channels
/// are averaged back); each channel of a multichannel input into a mono model is
/// separated as its own batch item.
#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auralflow/audio.hpp"
#include "auralflow/model_folder.hpp"
#include "auralflow/overlap_add.hpp"
#include "auralflow/separation_model.hpp"
#include "auralflow/transforms.hpp"

namespace auralflow {

/// A model as a Separator runs it, one batch of chunks at a time (the Separator handles whole
/// tracks); from() wraps a SeparationModel, and any other
/// callable (another system, a test stub) can stand in for one.
struct ChunkSeparator {
  /// (B, C, L) -> (B, K, C, L), C == channels, L == chunk_length, on the CPU. Called from
  /// several threads at once when SeparatorOptions::workers > 1.
  ChunkFunction separate;
  std::vector<std::string> targets;  ///< the K estimates, in order
  int sample_rate = 44100;           ///< the rate the model works at
  int channels = 1;                  ///< channels the model takes
  int64_t chunk_length = 0;          ///< samples per chunk (the training length)
  AudioTransform transform;          ///< the STFT the Wiener filter works in

  /// A SeparationModel in eval mode, with its config's rate, channels, sample_length,
  /// targets and STFT.
  static ChunkSeparator from(std::shared_ptr<SeparationModel> model);
};

/// How a Separator runs its model.
struct SeparatorOptions {
  std::vector<std::string> targets;  ///< stems to output (a subset of the model's); empty: all
  double overlap = 0.1;       ///< fraction of a chunk shared with the next, in [0, kMaxOverlap]
  int64_t batch_size = 4;     ///< chunks per forward
  int wiener_iterations = 0;  ///< EM iterations of the Wiener filter; 0: the model's output
  /// Threads that each run the model on their share of a batch at the same time (at most
  /// one per batch item), with separate() called concurrently: ChunkSeparator::from's model
  /// allows that in eval mode. Independent forwards scale better on a few CPU cores than
  /// LibTorch's threads within one forward (no barrier per operation, which a busy machine
  /// turns into waiting); give LibTorch (cores / workers) threads. 1: the calling thread.
  int workers = 1;
};

/// How separate_file() reads and writes one track.
struct TrackOptions {
  double offset = 0.0;             ///< seconds into the input
  std::optional<double> duration;  ///< seconds; nullopt: to the end
  bool residual = false;           ///< also write residual = mixture - sum of the stems
  audio::SampleFormat format = audio::SampleFormat::Pcm16;  ///< of every output file
  /// Replace existing outputs. Otherwise a track whose outputs all exist is skipped (done by an
  /// earlier run: a re-run resumes), and one with only some of them is an error.
  bool force = false;
  /// Called after each block with the input frames done and the expected total.
  std::function<void(int64_t done, int64_t total)> progress;
};

/// What separate_file() wrote.
struct TrackResult {
  std::vector<std::filesystem::path> files;  ///< original, the stems, then residual
  int64_t frames = 0;                        ///< per output file, at the input's rate
  int sample_rate = 0;                       ///< the input's
  int channels = 0;                          ///< the input's
  /// Most samples (per channel, any rate) the pipeline held at once: chunks waiting for
  /// the model, unfinished estimates and mixture waiting for them. Bounded by a few
  /// chunks and blocks, whatever the track length.
  int64_t peak_buffered_samples = 0;
  /// Every output existed and nothing was written (see TrackOptions::force); frames is 0.
  bool skipped = false;
};

/// A model applied to whole tracks (see the file comment): in memory with separate(), or file
/// to files with separate_file().
class Separator {
 public:
  /// Checks the options against the model (unknown targets name the model's targets).
  explicit Separator(ChunkSeparator model, SeparatorOptions options = {});

  /// The stems written, in order (options.targets, or all of the model's).
  const std::vector<std::string>& targets() const { return targets_; }
  const ChunkSeparator& model() const { return model_; }        ///< the model it runs
  const SeparatorOptions& options() const { return options_; }  ///< how it runs it

  /// mixture (C, N) at `sample_rate` -> stems (K, C, N), same rate, length and channels.
  torch::Tensor separate(const torch::Tensor& mixture, int sample_rate) const;

  /// Streams `input` (from offset, for duration) through the model and writes
  /// output_files(track_dir, ...) at the input's rate and channel count, each written
  /// to a temporary name and renamed at the end. Without `force` an existing output
  /// is an error naming it, before anything is computed.
  TrackResult separate_file(const std::filesystem::path& input,
                            const std::filesystem::path& track_dir,
                            const TrackOptions& options) const;

  /// `track_dir/original.wav`, `<target>.wav`..., [`residual.wav`] (".flac" for Flac).
  std::vector<std::filesystem::path> output_files(const std::filesystem::path& track_dir,
                                                  bool residual, audio::SampleFormat format) const;

 private:
  ChunkSeparator model_;
  SeparatorOptions options_;
  std::vector<std::string> targets_;
  std::vector<int64_t> target_indices_;  ///< into model_.targets
};

/// One input of `auralflow separate` and the name of its output folder.
struct InputTrack {
  std::filesystem::path input;  ///< the audio file (a track folder's mixture.*)
  std::string name;             ///< the output folder's name
};

/// The tracks of AUDIO: an audio file (named "artist - title" from its tags, else by
/// its file stem); a MUSDB-style track folder (its mixture.* file, named after the
/// folder); or a folder holding any mix of those, searched recursively. Files without
/// an audio extension and hidden files are ignored, and so is the folder `skip` (the
/// output folder). Sorted by path; repeated names get " (2)", " (3)", ...
std::vector<InputTrack> find_tracks(const std::filesystem::path& audio,
                                    const std::filesystem::path& skip = {});

/// The model at `model` (a model folder: its inference checkpoint; or a packed model file,
/// see pretrained.hpp), in eval mode, on `device`. resolve_model() turns a name into `model`.
std::shared_ptr<SeparationModel> load_model(const std::filesystem::path& model,
                                            torch::Device device);

/// A failed track of separate_tracks().
struct TrackFailure {
  InputTrack track;   ///< the track that failed
  std::string error;  ///< why, one line
};

/// Separates one track into `save_dir/separated_audio/<track.name>/` and returns what was
/// done: "5 files, 2.0 s of audio in 0.3 s (real-time factor 0.14): <folder>", or that it was
/// skipped (TrackOptions::force). Throws
/// auralflow::Error (naming the file) when the track cannot be separated.
std::string separate_track(const Separator& separator, const InputTrack& track,
                           const std::filesystem::path& save_dir, const TrackOptions& options);

/// separate_track() for every track, printing a heading and one line (the result or the
/// error) per track on `log`; a failing track does not stop the others. Returns the failures.
std::vector<TrackFailure> separate_tracks(const Separator& separator,
                                          const std::vector<InputTrack>& tracks,
                                          const std::filesystem::path& save_dir,
                                          const TrackOptions& options, std::ostream& log);

}  // namespace auralflow
