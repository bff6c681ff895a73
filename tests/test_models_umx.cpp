// SpectrogramNetUMX: masks of the documented shape and range, only the bins below the
// bandwidth are read, Open-Unmix's max_bin from the config, its parameter count, and errors.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "auralflow/config.hpp"
#include "auralflow/error.hpp"
#include "auralflow/models/spectrogram_net_umx.hpp"
#include "auralflow/network.hpp"

using auralflow::models::SpectrogramNetUMX;
using auralflow::models::SpectrogramNetUMXImpl;
using auralflow::models::UMXOptions;

TEST(SpectrogramNetUMX, MasksHaveTheDocumentedShapeAndRange) {
  SpectrogramNetUMX net(UMXOptions(65, 2).num_targets(3).hidden_size(16).recurrent_depth(2));
  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor mask = net->forward(torch::rand({2, 2, 65, 11}) * 10);  // (B, C, F, T)
  EXPECT_EQ(mask.sizes().vec(), (std::vector<int64_t>{2, 3, 2, 65, 11}));     // (B, K, C, F, T)
  EXPECT_GE(mask.min().item<double>(), 0.0);
  EXPECT_LE(mask.max().item<double>(), 1.0);
}

TEST(SpectrogramNetUMX, ReadsOnlyTheBinsBelowItsInputBins) {
  SpectrogramNetUMX net(UMXOptions(65, 1).input_bins(20).hidden_size(8));
  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor spec = torch::rand({1, 1, 65, 7});
  torch::Tensor louder_top = spec.clone();
  louder_top.narrow(2, 20, 45).mul_(100);
  EXPECT_TRUE(torch::equal(net->forward(spec), net->forward(louder_top)));
  torch::Tensor louder_bottom = spec.clone();
  louder_bottom.narrow(2, 0, 20).mul_(100);
  EXPECT_FALSE(torch::allclose(net->forward(spec), net->forward(louder_bottom)));
}

TEST(SpectrogramNetUMX, EveryFrameSeesTheWholeSequence) {
  // The bidirectional LSTM carries context both ways: changing the last frame changes the
  // mask of the first.
  SpectrogramNetUMX net(UMXOptions(33, 1).hidden_size(8));
  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor spec = torch::rand({1, 1, 33, 9});
  torch::Tensor changed = spec.clone();
  changed.select(3, 8).mul_(50);
  const torch::Tensor first = net->forward(spec).select(-1, 0);
  EXPECT_FALSE(torch::allclose(first, net->forward(changed).select(-1, 0)));
}

TEST(SpectrogramNetUMX, BandwidthGivesOpenUnmixMaxBin) {
  // Open-Unmix at 44.1 kHz, n_fft 4096, bandwidth 16 kHz reads 1487 bins.
  auralflow::Config config = auralflow::Config::from_template("SpectrogramNetUMX", "m");
  const auto network = auralflow::make_network(config);
  EXPECT_EQ(network.domain(), auralflow::Domain::Spectrogram);
  const auto& umx = dynamic_cast<const SpectrogramNetUMXImpl&>(network.module());
  EXPECT_EQ(umx.input_bins(), 1487);
  config.set("bandwidth", "0");
  const auto full_band = auralflow::make_network(config);
  const auto& all = dynamic_cast<const SpectrogramNetUMXImpl&>(full_band.module());
  EXPECT_EQ(all.input_bins(), 2049);
}

TEST(SpectrogramNetUMX, ParameterCountFollowsTheLayers) {
  const int64_t bins = 129, channels = 2, targets = 4, input = 50, hidden = 32, depth = 2;
  SpectrogramNetUMX net(UMXOptions(bins, channels)
                            .num_targets(targets)
                            .input_bins(input)
                            .hidden_size(hidden)
                            .recurrent_depth(depth));
  int64_t count = 0;
  for (const auto& p : net->parameters()) count += p.numel();
  const int64_t half = hidden / 2;
  const int64_t lstm_layer = 2 * (4 * half * (hidden + half) + 2 * 4 * half);  // both directions
  const int64_t expected = 2 * input                                           // input mean, scale
                           + channels * input * hidden + 2 * hidden            // encoder and its BN
                           + depth * lstm_layer                                // LSTM
                           + 2 * hidden * hidden + 2 * hidden                  // decoder_hidden, BN
                           + hidden * targets * channels * bins                // decoder_output
                           + 2 * targets * channels * bins                     // its BN
                           + 2 * targets * bins;                               // output scale, mean
  EXPECT_EQ(count, expected);
}

TEST(SpectrogramNetUMX, BadOptionsAreErrors) {
  EXPECT_THROW(SpectrogramNetUMX(UMXOptions(65, 2).hidden_size(7)), auralflow::Error);
  EXPECT_THROW(SpectrogramNetUMX(UMXOptions(65, 2).input_bins(-1)), auralflow::Error);
  EXPECT_THROW(SpectrogramNetUMX(UMXOptions(65, 2).mask_activation("nope")), auralflow::Error);
  SpectrogramNetUMX net(UMXOptions(65, 2).hidden_size(8));
  EXPECT_THROW(net->forward(torch::rand({1, 1, 65, 4})), auralflow::Error);  // mono into stereo
}
