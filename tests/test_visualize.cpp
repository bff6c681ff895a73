// Figures: PNG round trips through libpng's reader, the viridis colormap, and the
// spectrogram and waveform comparison plots the trainer saves.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <fstream>
#include <iterator>

#include "auralflow/error.hpp"
#include "auralflow/transforms.hpp"
#include "auralflow/visualize.hpp"
#include "png_decode.hpp"
#include "test_support.hpp"

namespace visualize = auralflow::visualize;
using auralflow::testing::TempDir;
using visualize::Image;
using visualize::Rgb;

namespace {

constexpr double kPi = 3.14159265358979323846;

// (channels, samples) sine of `hz` at `sample_rate`, `seconds` long.
torch::Tensor sine(double hz, double amplitude, int64_t channels, int64_t sample_rate,
                   double seconds) {
  const auto t = torch::arange(static_cast<int64_t>(seconds * static_cast<double>(sample_rate)),
                               torch::kDouble) /
                 static_cast<double>(sample_rate);
  return (amplitude * torch::sin(2.0 * kPi * hz * t)).to(torch::kFloat).repeat({channels, 1});
}

// R + G + B: increases monotonically along viridis.
int brightness(const Rgb& colour) { return colour[0] + colour[1] + colour[2]; }

// Row (from the panel's top) of the brightest pixel in column x of the panel at `top`.
int64_t brightest_row(const Image& image, int64_t top, int64_t height, int64_t x) {
  int64_t best = 0;
  for (int64_t row = 1; row < height; ++row) {
    if (brightness(image.at(top + row, x)) > brightness(image.at(top + best, x))) best = row;
  }
  return best;
}

bool panel_is(const Image& image, int64_t top, int64_t height, const Rgb& colour) {
  for (int64_t y = top; y < top + height; ++y) {
    for (int64_t x = 0; x < image.width; ++x) {
      if (image.at(y, x) != colour) return false;
    }
  }
  return true;
}

}  // namespace

TEST(Png, RoundTripKeepsSizeAndEveryPixel) {
  Image image(17, 23);
  for (int64_t y = 0; y < 17; ++y) {
    for (int64_t x = 0; x < 23; ++x) {
      image.set(y, x,
                {static_cast<uint8_t>(y * 11), static_cast<uint8_t>(x * 7),
                 static_cast<uint8_t>((x * y) % 256)});
    }
  }
  const auto png = auralflow::testing::decode_png(visualize::encode_png(image));
  EXPECT_EQ(png.height, 17u);
  EXPECT_EQ(png.width, 23u);
  EXPECT_EQ(png.rgb, image.pixels);
}

TEST(Png, SaveWritesTheFileAtomicallyAndNamesBadPaths) {
  TempDir dir;
  Image image(4, 6, {1, 2, 3});
  visualize::save_png(dir / "figure.png", image);
  std::ifstream in(dir / "figure.png", std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(auralflow::testing::decode_png(bytes).rgb, image.pixels);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1)
      << "no temporary file left behind";
  try {
    visualize::save_png(dir / "missing" / "figure.png", image);
    FAIL() << "expected auralflow::Error";
  } catch (const auralflow::Error& error) {
    EXPECT_NE(std::string(error.what()).find("missing/figure.png"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(visualize::encode_png(Image()), auralflow::Error);
}

TEST(Viridis, EndsAreMatplotlibsAndInputsAreClamped) {
  EXPECT_EQ(visualize::viridis(0.0), (Rgb{68, 1, 84}));
  EXPECT_EQ(visualize::viridis(1.0), (Rgb{253, 231, 37}));
  EXPECT_EQ(visualize::viridis(-2.0), visualize::viridis(0.0));
  EXPECT_EQ(visualize::viridis(7.0), visualize::viridis(1.0));
  EXPECT_EQ(visualize::viridis(std::nan("")), visualize::viridis(0.0));
  for (double t = 0.0; t < 1.0; t += 0.05) {
    EXPECT_LT(brightness(visualize::viridis(t)), brightness(visualize::viridis(t + 0.05))) << t;
  }
}

TEST(SpectrogramComparison, PanelsAreMixtureEstimateTargetWithASilentTargetAtTheMinimum) {
  const int64_t rate = 16000;
  const auralflow::AudioTransform transform(512, 256, 512, rate, {64, 1.0, 8000.0});
  const auto mixture = sine(4000.0, 0.9, 2, rate, 1.0);  // high, loudest
  const auto estimate = sine(300.0, 0.3, 1, rate, 1.0);  // low
  const auto target = torch::zeros({2, rate});           // silent
  const visualize::SpectrogramComparisonOptions options{64, 100, 3};
  const Image image =
      visualize::spectrogram_comparison(mixture, estimate, target, transform, options);
  ASSERT_EQ(image.height, 3 * 64 + 2 * 3);
  ASSERT_EQ(image.width, 100);

  EXPECT_TRUE(panel_is(image, 2 * 67, 64, visualize::viridis(0.0))) << "silent target panel";
  EXPECT_TRUE(panel_is(image, 64, 3, {255, 255, 255})) << "gap between panels";
  EXPECT_FALSE(panel_is(image, 0, 64, visualize::viridis(0.0)));
  // The mixture holds the loudest bin of all three; the estimate is 10 dB quieter.
  bool mixture_has_top = false;
  bool estimate_has_top = false;
  for (int64_t y = 0; y < 64; ++y) {
    for (int64_t x = 0; x < 100; ++x) {
      mixture_has_top |= image.at(y, x) == visualize::viridis(1.0);
      estimate_has_top |= image.at(67 + y, x) == visualize::viridis(1.0);
    }
  }
  EXPECT_TRUE(mixture_has_top);
  EXPECT_FALSE(estimate_has_top);
  // Low frequencies at the bottom: 4 kHz sits well above 300 Hz.
  EXPECT_LT(brightest_row(image, 0, 64, 50) + 10, brightest_row(image, 67, 64, 50));
}

TEST(SpectrogramComparison, AllSilentInputIsUniformlyTheMinimumColour) {
  const auralflow::AudioTransform transform(512, 256, 512, 16000, {32, 1.0, 8000.0});
  const auto silence = torch::zeros({4000});
  const Image image =
      visualize::spectrogram_comparison(silence, silence, silence, transform, {16, 40, 0});
  ASSERT_EQ(image.height, 48);
  EXPECT_TRUE(panel_is(image, 0, 48, visualize::viridis(0.0)));
}

TEST(SpectrogramComparison, RejectsShortOrMisshapenAudio) {
  const auralflow::AudioTransform transform(512, 256, 512, 16000);
  const auto good = torch::zeros({1, 4000});
  EXPECT_THROW(visualize::spectrogram_comparison(torch::zeros({1, 100}), good, good, transform),
               auralflow::Error);
  EXPECT_THROW(visualize::spectrogram_comparison(good, torch::zeros({1, 1, 4000}), good, transform),
               auralflow::Error);
  EXPECT_THROW(visualize::spectrogram_comparison(good, good, torch::full({4000}, NAN), transform),
               auralflow::Error);
}

TEST(WaveformComparison, TargetAndEstimateAreOverlaidInTheirColours) {
  const visualize::WaveformComparisonOptions options{101, 50};
  // Estimate: silence. Target: +0.5 (stereo +0.7 / +0.3, averaged). Longer estimate is cut.
  const auto estimate = torch::zeros({1, 1200});
  const auto target = torch::cat({torch::full({1, 1000}, 0.7), torch::full({1, 1000}, 0.3)});
  const Image image = visualize::waveform_comparison(estimate, target, options);
  ASSERT_EQ(image.height, 101);
  ASSERT_EQ(image.width, 50);
  for (int64_t x = 0; x < 50; ++x) {
    EXPECT_EQ(image.at(25, x), options.target_colour) << x;    // +0.5
    EXPECT_EQ(image.at(50, x), options.estimate_colour) << x;  // 0
    EXPECT_EQ(image.at(0, x), (Rgb{255, 255, 255})) << x;
    EXPECT_EQ(image.at(75, x), (Rgb{255, 255, 255})) << x;
  }
}

TEST(WaveformComparison, EachColumnSpansTheMinToMaxOfItsSamples) {
  const visualize::WaveformComparisonOptions options{101, 50};
  // ±0.8 alternating: every column of 20 samples spans rows 10..90 (decimation would not).
  const auto alternating = 0.8 * (1.0 - 2.0 * (torch::arange(1000) % 2)).to(torch::kFloat);
  const Image image = visualize::waveform_comparison(alternating, alternating, options);
  Rgb both{};
  for (size_t c = 0; c < 3; ++c) {
    both[c] = static_cast<uint8_t>((options.target_colour[c] + options.estimate_colour[c]) / 2);
  }
  for (int64_t x = 0; x < 50; ++x) {
    for (int64_t y = 10; y <= 90; ++y) EXPECT_EQ(image.at(y, x), both) << y << ", " << x;
    EXPECT_EQ(image.at(9, x), (Rgb{255, 255, 255}));
    EXPECT_EQ(image.at(91, x), (Rgb{255, 255, 255}));
  }
  // Fewer samples than columns: every column still shows one sample.
  const Image sparse =
      visualize::waveform_comparison(torch::full({10}, -1.0), torch::ones({10}), options);
  for (int64_t x = 0; x < 50; ++x) {
    EXPECT_EQ(sparse.at(0, x), options.target_colour);
    EXPECT_EQ(sparse.at(100, x), options.estimate_colour);
  }
}
