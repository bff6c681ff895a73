#pragma once
/// @file
/// Datasets of separated stems for training and validation (see docs/datasets.md).
///
/// Layouts under a dataset root (both may be mixed in one split folder):
/// @verbatim
///   MUSDB18-HQ  <root>/<folder>/<track>/mixture.wav, vocals.wav, drums.wav, bass.wav, other.wav
///               (any extension audio::load reads: .flac, .ogg, .mp3, ...)
///   MUSDB18     <root>/<folder>/<track>.stem.mp4 (streams: mixture, drums, bass, other, vocals)
/// @endverbatim
/// Splits: "train" and "test" read train/ and test/. "valid" reads val/ (or valid/) when present;
/// otherwise the standard 14 MUSDB18 validation tracks when train/ holds any of them; otherwise a
/// seeded val_split fraction of train/. "train" never contains a "valid" track.
///
/// AudioFolder streams random chunks (reading only the chunk from disk) as batches
/// @verbatim
///   mixture (B, C, N), targets (B, K, C, N)     C = num_channels, N = sample_length · sample_rate,
///                                                K = targets, in config order
/// @endverbatim
/// on background threads. AudioDataset holds a fixed set of chunks in memory (validation).
#include <torch/arg.h>
#include <torch/data/datasets/base.h>
#include <torch/data/example.h>
#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auralflow/config.hpp"
#include "auralflow/stems.hpp"  // stem_names()

namespace auralflow {

/// The standard 14-track MUSDB18 validation list (musdb's `validation_tracks`).
const std::vector<std::string>& musdb18_validation_tracks();

/// Settings of a dataset split and its sampler. from_config() reads them from a config.json;
/// the defaults are the templates' defaults.
struct DatasetOptions {
  /// Options for the stems `targets` (see targets()), every other option at its default.
  explicit DatasetOptions(std::vector<std::string> targets) : targets_(std::move(targets)) {}
  /// Reads model_params.targets, dataset_params.* and training_params batch_size,
  /// num_workers and seed.
  static DatasetOptions from_config(const Config& config);

  /// auralflow::UsageError naming the first invalid option (unknown or repeated target, ...).
  void validate() const;
  /// True when any augmentation is on: then the mixture is rebuilt from the four stems.
  bool augmenting() const;
  /// Files each track needs: the four stems when augmenting, else "mixture" and the targets.
  std::vector<std::string> required_stems() const;

  /// Stems the batches' `targets` hold, in this order (each one of stem_names()).
  TORCH_ARG(std::vector<std::string>, targets);
  /// Rate (Hz) of the batches; files at other rates are resampled chunk by chunk.
  TORCH_ARG(int, sample_rate) = 44100;
  /// 1: channels averaged to mono; 2: stereo (mono files duplicated).
  TORCH_ARG(int, num_channels) = 1;
  /// Chunk length in seconds; tracks shorter than this are a verify_dataset problem.
  TORCH_ARG(double, sample_length) = 3.0;
  /// Most tracks used from the split (the first ones in name order).
  TORCH_ARG(int64_t, max_num_tracks) = 80;
  /// Chunks per epoch.
  TORCH_ARG(int64_t, max_num_samples) = 10000;
  /// Fraction of train/ held out as "valid" when there is no val/ folder nor MUSDB18 names.
  TORCH_ARG(double, val_split) = 0.1;
  /// Random gain in [0.25, 1.25] per stem.
  TORCH_ARG(bool, augment_gain) = true;
  /// Random left/right swap per stem (stereo only).
  TORCH_ARG(bool, augment_channel_swap) = true;
  /// Each stem from its own random track and offset.
  TORCH_ARG(bool, augment_remix) = true;
  /// Chunks per batch.
  TORCH_ARG(int64_t, batch_size) = 32;
  /// Background threads preparing batches (0: batches are read on the caller's thread).
  TORCH_ARG(int, num_workers) = 2;
  /// Seed of the validation hold-out and of every chunk draw.
  TORCH_ARG(uint64_t, seed) = 0;
};

/// Where one stem of a track is stored.
struct StemFile {
  std::string path;  ///< the audio file
  int stream = 0;    ///< audio stream in the file (MUSDB18 .stem.mp4: 0 mixture ... 4 vocals)
};

/// One track of a split.
struct Track {
  std::string name;                       ///< its folder name, or its file name without `.stem.mp4`
  std::string path;                       ///< its folder, or its .stem.mp4 file
  std::map<std::string, StemFile> stems;  ///< "mixture", "drums", ... as found on disk
  int sample_rate = 0;                    ///< of its files (set by verify_dataset)
  int64_t frames = 0;                     ///< length of its shortest stem (set by verify_dataset)
};

/// The tracks of `split` ("train", "valid" or "test") in name order, at most
/// options.max_num_tracks, with the files found for each stem (headers are not read).
/// auralflow::Error when the root or the split's folder does not exist or the split is empty.
std::vector<Track> list_tracks(const std::filesystem::path& root, const std::string& split,
                               const DatasetOptions& options);

/// What verify_dataset found.
struct DatasetReport {
  std::vector<Track> tracks;       ///< every track of the split, sample_rate and frames set
  std::vector<std::string> notes;  ///< files ignored (not audio, or not a stem), one line each
};

/// Checks every track of `split` by reading file headers: the required stems exist and are
/// readable audio, a track's stems share one sample rate and length, and each track is at least
/// sample_length long. All problems are listed, one line each, in one auralflow::Error.
DatasetReport verify_dataset(const std::filesystem::path& root, const std::string& split,
                             const DatasetOptions& options);

/// A batch of chunks: mixture (B, C, N) and targets (B, K, C, N), float32 on the CPU.
struct Batch {
  torch::Tensor mixture;  ///< (B, C, N)
  torch::Tensor targets;  ///< (B, K, C, N), K = options' targets, in their order
};

/// One data set of a training run and how often a chunk comes from it: a chunk is drawn from
/// source i with probability weight_i / sum of the weights.
struct DataSource {
  std::filesystem::path root;  ///< the dataset root (holding train/, test/, ...)
  double weight = 1.0;         ///< relative weight, positive and finite
};

/// Streaming random-chunk sampler over one or more data sets (sources). Each chunk first picks
/// its source by weight (with one source no draw is spent on it), then is drawn from a
/// uniformly chosen track of that source (balanced
/// over tracks, whatever their lengths) at a random offset; only that range of each file is
/// read. A draw whose targets are all silent is redrawn (up to 16 times). With augmentations on,
/// the four stems are read (each from its own track and offset when remixing), augmented, and
/// summed into the mixture; with all augmentations off the stored mixture is read at the targets'
/// offset. Batch b of epoch e depends only on (seed, e, b): the same for any num_workers.
class AudioFolder {
 public:
  /// Lists and verifies the split (verify_dataset); the report stays available.
  AudioFolder(const std::filesystem::path& root, const std::string& split, DatasetOptions options);
  /// The same split of several data sets, each chunk from one of them by weight. An empty list
  /// or a weight that is not a positive finite number is an auralflow::UsageError.
  AudioFolder(const std::vector<DataSource>& sources, const std::string& split,
              DatasetOptions options);
  /// One data set with the options of `config` (DatasetOptions::from_config), as `auralflow
  /// train` reads them for one process (the trainer also splits each batch across ranks).
  static AudioFolder from_config(const Config& config, const std::filesystem::path& root,
                                 const std::string& split);

  /// The options the sampler was built with.
  const DatasetOptions& options() const;
  /// Number of data sets (1 unless built from several sources).
  size_t num_sources() const;
  /// What verify_dataset found in source `source` (in the order given).
  const DatasetReport& report(size_t source = 0) const;
  /// Batches per epoch: ceil(max_num_samples / batch_size); the last one may be smaller.
  int64_t num_batches() const;
  /// Batch `index` of epoch `epoch`, read on the calling thread.
  Batch batch(int64_t epoch, int64_t index) const;

  /// One pass over an epoch's batches, prepared ahead by num_workers threads (at most
  /// 2 · num_workers batches waiting). Destroying it stops and joins the threads.
  class Epoch {
   public:
    /// The next batch in order; nullopt after the last. Rethrows a worker's error.
    std::optional<Batch> next();

    /// Epochs move (their threads go with them) but do not copy.
    Epoch(Epoch&&) noexcept;
    /// Stops this epoch's threads and takes over those of the moved-from one.
    Epoch& operator=(Epoch&&) noexcept;
    /// Stops and joins the worker threads.
    ~Epoch();

   private:
    friend class AudioFolder;
    struct State;
    explicit Epoch(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
  };
  /// Starts epoch `epoch` (0-based; each epoch draws different chunks).
  Epoch epoch(int64_t epoch) const;

 private:
  struct Source;
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

/// A fixed set of chunks held in memory: mixtures (S, C, N) and targets (S, K, C, N).
/// get(i) is {mixture (C, N), targets (K, C, N)}, so torch::data::make_data_loader with
/// torch::data::transforms::Stack<>() batches it.
class AudioDataset : public torch::data::datasets::Dataset<AudioDataset> {
 public:
  /// mixtures (S, C, N) and targets (S, K, C, N), S chunks.
  AudioDataset(torch::Tensor mixtures, torch::Tensor targets);

  /// Chunk `index`: {mixture (C, N), targets (K, C, N)}.
  torch::data::Example<> get(size_t index) override;
  /// S, the number of chunks.
  torch::optional<size_t> size() const override;

  /// All mixtures, (S, C, N).
  const torch::Tensor& mixtures() const { return mixtures_; }
  /// All targets, (S, K, C, N).
  const torch::Tensor& targets() const { return targets_; }

 private:
  torch::Tensor mixtures_;
  torch::Tensor targets_;
};

/// Draws `num_chunks` chunks of `chunk_size` seconds from `split` (verified first) without
/// augmentation: the stored mixture and the targets at the same offset, silent targets redrawn.
/// Deterministic for a given seed; `val_split` and `seed` also pick the "valid" tracks as
/// DatasetOptions does.
AudioDataset create_audio_dataset(const std::filesystem::path& dataset_path,
                                  const std::string& split, const std::vector<std::string>& targets,
                                  double chunk_size = 3.0, int64_t num_chunks = 100,
                                  int64_t max_num_tracks = 80, int sample_rate = 44100,
                                  bool mono = true, double val_split = 0.1, uint64_t seed = 0);

}  // namespace auralflow
