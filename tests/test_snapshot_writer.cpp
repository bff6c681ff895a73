// SnapshotWriter's images at the config's sample rate (the mel scale of the spectrogram figure
// depends on it; the figures were drawn as if at 44.1 kHz before transform_of(config)).
#include <gtest/gtest.h>

#include "auralflow/callbacks.hpp"
#include "auralflow/config.hpp"
#include "auralflow/separation_model.hpp"
#include "auralflow/transforms.hpp"
#include "auralflow/visualize.hpp"
#include "test_support.hpp"

using auralflow::AudioTransform;
using auralflow::testing::read_bytes;
using auralflow::testing::TempDir;

TEST(SnapshotWriter, SpectrogramFigureUsesTheConfigsSampleRate) {
  TempDir dir;
  auto config = auralflow::Config::from_template("SpectrogramNetSimple", "m");
  config.set("sample_rate", "22050");
  config.set("save_image", "true");
  config.set("save_audio", "false");
  torch::manual_seed(0);
  const auto time = torch::arange(22050, torch::kFloat) / 22050.0;
  const auto tone = torch::sin(2 * M_PI * 3000.0 * time).unsqueeze(0);  // (1, N)
  auralflow::ValidationExample example;
  example.mixture = tone + 0.1 * torch::randn({1, 22050});
  example.targets = tone.unsqueeze(0);  // (1 target, 1, N)
  example.estimates = (0.8 * tone).unsqueeze(0);
  example.target_names = {"vocals"};
  example.sample_rate = 22050;
  auralflow::EpochEnd epoch;
  epoch.epoch = 1;
  epoch.example = &example;
  auralflow::SnapshotWriter writer(dir / "images", dir / "audio", config);
  const auto model = auralflow::SeparationModel::create(config, torch::kCPU);
  writer.on_epoch_end(*model, epoch);

  const auto drawn = [&](int rate) {
    const AudioTransform transform(config.get_int("num_fft"), config.get_int("hop_length"),
                                   config.get_int("window_size"), rate);
    return auralflow::visualize::encode_png(auralflow::visualize::spectrogram_comparison(
        example.mixture, example.estimates[0], example.targets[0], transform));
  };
  const std::string written = read_bytes(dir / "images/epoch_1_vocals_spectrogram.png");
  EXPECT_EQ(written, drawn(22050));
  EXPECT_NE(written, drawn(44100));  // the rate matters for this figure
}
