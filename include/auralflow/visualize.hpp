#pragma once
/// @file
/// Figures for training runs: an RGB image type, PNG encoding (libpng), and the two
/// comparison plots the trainer writes to images/ and to TensorBoard. No text is drawn.
/// Audio arguments are float tensors shaped (channels, samples) or (samples,) on any
/// device; channels are averaged (mono) and all signals are cut to the shortest length.
#include <torch/types.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "auralflow/transforms.hpp"

namespace auralflow::visualize {

/// A colour: red, green, blue, 0..255 each.
using Rgb = std::array<uint8_t, 3>;

/// An 8-bit RGB image: row 0 is the top, pixel (y, x) is pixels[(y * width + x) * 3 + c].
struct Image {
  int64_t height = 0;           ///< rows
  int64_t width = 0;            ///< columns
  std::vector<uint8_t> pixels;  ///< (height, width, 3)

  Image() = default;
  /// A height × width image filled with `fill`.
  Image(int64_t height, int64_t width, Rgb fill = {255, 255, 255});

  /// The colour of pixel (y, x).
  Rgb at(int64_t y, int64_t x) const;
  /// Paints pixel (y, x) `colour`.
  void set(int64_t y, int64_t x, Rgb colour);
};

/// The PNG file bytes (8-bit RGB) of `image`. An empty image is an auralflow::Error.
std::string encode_png(const Image& image);

/// Writes `image` as a PNG file at `path`, atomically (temporary sibling, then rename).
void save_png(const std::filesystem::path& path, const Image& image);

/// matplotlib's viridis colormap: t in [0, 1] (clamped; NaN counts as 0), linearly
/// interpolated between 9 evenly spaced samples. viridis(0) is dark purple, viridis(1) yellow.
Rgb viridis(double t);

/// Size of spectrogram_comparison's figure, in pixels.
struct SpectrogramComparisonOptions {
  int64_t panel_height = 128;  ///< rows per panel (mel bands, nearest neighbour)
  int64_t width = 512;         ///< columns (STFT frames, nearest neighbour)
  int64_t gap = 4;             ///< white rows between panels
};

/// Three mel-spectrogram panels stacked top to bottom: mixture, estimate, target, each
/// with low frequencies at the bottom. The three share one dB scale (AudioTransform::
/// audio_to_mel of the stacked signals, so 0 dB is the loudest bin of all three and the
/// floor is 80 dB below it); -80 dB maps to viridis(0) and 0 dB to viridis(1), so a silent
/// panel is uniformly viridis(0). Needs at least transform.num_fft() samples.
/// Size: (3 · panel_height + 2 · gap) × width.
Image spectrogram_comparison(const torch::Tensor& mixture, const torch::Tensor& estimate,
                             const torch::Tensor& target, const AudioTransform& transform,
                             const SpectrogramComparisonOptions& options = {});

/// Size and colours of waveform_comparison's figure.
struct WaveformComparisonOptions {
  int64_t height = 256;                  ///< rows, pixels
  int64_t width = 1024;                  ///< columns, pixels
  Rgb target_colour = {31, 119, 180};    ///< blue
  Rgb estimate_colour = {255, 127, 14};  ///< orange
};

/// Target and estimate waveforms overlaid on a white background: amplitude +1 at the top
/// row, -1 at the bottom. Each pixel column spans the min..max of its samples (at least one
/// sample per column); pixels covered by one signal take its colour, pixels covered by both
/// the mean of the two colours. Samples outside [-1, 1] are drawn at the edge.
Image waveform_comparison(const torch::Tensor& estimate, const torch::Tensor& target,
                          const WaveformComparisonOptions& options = {});

}  // namespace auralflow::visualize
