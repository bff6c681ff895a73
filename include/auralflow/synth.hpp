#pragma once
/// @file
/// Generated multitrack music: training and test data for separation models when no real
/// multitrack recordings are at hand. Each track is a piece composed from a seed (key, mode,
/// tempo, time signature, chord progression, song sections) and played by General MIDI
/// instruments from SoundFonts through libfluidsynth, one stem at a time:
/// @verbatim
///   vocals  a melody with phrases and rests on voice-like programs (choir aahs, voice oohs,
///           synth voice), sometimes with a harmony voice,
///   drums   the GM percussion channel (channel 10) with varied patterns and fills,
///   bass    a bass line following the harmony,
///   other   2–3 accompaniment programs (keys, organ, guitars, strings, pads, brass, mallets).
/// @endverbatim
/// The mixture is the exact sum of the stems; one common gain keeps every stem and the mixture
/// at or below a 0.95 peak. Same seed and options (the thread count aside): bit-identical audio
/// (no wall clock; the random draws are portable across standard libraries). See docs/synth.md.
#include <torch/arg.h>
#include <torch/types.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auralflow/audio.hpp"
#include "auralflow/stems.hpp"

namespace auralflow::synth {

/// The General MIDI SoundFont of Debian's fluid-soundfont-gm.
inline const std::string kDefaultSoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

/// Settings of the renderer and of a generated dataset. Example:
/// @code
///   write_dataset("data/synth", SynthOptions().tracks(40).duration(30).seed(7));
/// @endcode
struct SynthOptions {
  /// SoundFont (.sf2) files; each part draws its instruments from one of them at random.
  TORCH_ARG(std::vector<std::string>, soundfonts) = {kDefaultSoundFont};
  /// Seconds per track, in (0, 3600].
  TORCH_ARG(double, duration) = 30.0;
  /// Output sample rate in Hz, in [8000, 96000]; fluidsynth renders at this rate directly.
  TORCH_ARG(int, sample_rate) = 44100;
  /// fluidsynth's reverb, with a room drawn per track and a send level per instrument.
  TORCH_ARG(bool, reverb) = true;
  /// Stems rendered side by side, 1..4. Each thread holds its own copy of the SoundFonts
  /// (FluidR3_GM: about 140 MB); the audio is the same whatever the count.
  TORCH_ARG(int, threads) = 2;
  /// write_dataset: number of train tracks.
  TORCH_ARG(int64_t, tracks) = 10;
  /// write_dataset: number of test tracks; nullopt: a fifth of `tracks`, rounded up.
  TORCH_ARG(std::optional<int64_t>, test_tracks) = std::nullopt;
  /// write_dataset: the dataset seed; track seeds derive from it (see track_seed).
  TORCH_ARG(uint64_t, seed) = 0;
  /// write_dataset: Pcm16 (as MUSDB18-HQ), Pcm24 or Float32 WAV.
  TORCH_ARG(audio::SampleFormat, format) = audio::SampleFormat::Pcm16;
  /// write_dataset: replace the files of tracks that already exist.
  TORCH_ARG(bool, force) = false;
};

/// Throws auralflow::UsageError naming the first setting out of range.
void validate(const SynthOptions& options);

/// test_tracks, or its default when unset.
int64_t test_track_count(const SynthOptions& options);

/// One piece as the synthesizer renders it (not a data set's Track, datasets.hpp).
struct RenderedTrack {
  /// (4, 2, samples) float32: drums, bass, other, vocals (stem_names() order), stereo,
  /// samples = round(duration * sample_rate); every |value| <= 0.95.
  torch::Tensor stems;
  /// One line: key, mode, time signature, tempo, programs (for logs).
  std::string description;

  /// (2, samples): the sum of the stems.
  torch::Tensor mixture() const;
};

namespace detail {
class SoundFontBank;
}

/// Holds the loaded SoundFonts; renders any number of tracks. Not thread-safe.
class Synthesizer {
 public:
  /// Validates the options and loads the SoundFonts: auralflow::Error naming a missing or
  /// unreadable file.
  explicit Synthesizer(SynthOptions options);
  ~Synthesizer();
  Synthesizer(const Synthesizer&) = delete;
  Synthesizer& operator=(const Synthesizer&) = delete;

  /// Composes and renders the piece of `seed`; the result depends only on the options and
  /// the seed, not on what was rendered before.
  RenderedTrack render(uint64_t seed) const;

  /// The options it renders with.
  const SynthOptions& options() const { return options_; }

 private:
  SynthOptions options_;
  std::vector<std::unique_ptr<detail::SoundFontBank>> banks_;  ///< one per thread
};

/// Synthesizer(options).render(seed).
RenderedTrack render_track(const SynthOptions& options, uint64_t seed);

/// The two splits of a generated dataset.
enum class Split { Train, Test };

/// "train" or "test".
std::string split_name(Split split);

/// Seed of track `index` of a split. Within one dataset seed, every (split, index) gets a
/// different track seed (an injective map), so train and test never share a piece.
uint64_t track_seed(uint64_t dataset_seed, Split split, int64_t index);

/// "synth_0007": train tracks are numbered from 0, test tracks after the train tracks.
std::string track_name(int64_t number);

/// Called after each track is written: its folder, the rendered track, and its position
/// (1-based) among all tracks of the dataset.
using TrackWritten =
    std::function<void(const std::filesystem::path& folder, const RenderedTrack& track,
                       int64_t position, int64_t total)>;

/// Renders the dataset into MUSDB18-HQ layout: `out/train|test/<name>/{mixture, vocals, drums,
/// bass, other}.wav` (stereo, options.format, options.sample_rate). With Pcm16/Pcm24 the stems are
/// rounded to the file's sample grid first, so the stored mixture is still the exact sum of the
/// stored stems. Throws auralflow::Error before rendering anything when a track folder already
/// holds one of these files and options.force is off. Files are written atomically.
void write_dataset(const std::filesystem::path& out, const SynthOptions& options,
                   const TrackWritten& on_written = {});

}  // namespace auralflow::synth
