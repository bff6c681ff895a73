// HybridNet behaviour: shapes for any length / channels / targets, every branch combination,
// gradients reaching every parameter, the learnt blend, building from two trained branches,
// option errors, eval determinism, a small overfitting run, the parameter count at the defaults.
#include "auralflow/error.hpp"
#include "auralflow/models/hybrid_net.hpp"

#include <gtest/gtest.h>
#include <torch/optim/adam.h>

#include <cmath>
#include <iostream>
#include <string>
#include <vector>

namespace {

using auralflow::AudioTransform;
using auralflow::models::AudioNetOptions;
using auralflow::models::AudioNetSimple;
using auralflow::models::AudioNetVAE;
using auralflow::models::HybridNet;
using auralflow::models::HybridNetOptions;
using auralflow::models::SpectrogramNetLSTM;
using auralflow::models::SpectrogramNetOptions;
using auralflow::models::SpectrogramNetVAE;

/// STFT of the small hybrids: num_fft 128 (65 bins), hop 32.
AudioTransform small_transform() { return AudioTransform(128, 32, 128); }

// The small branches have no dropout: with their few channels, dropping all of a level's
// channels (or starting with all of a level's ReLUs dead) is likely, and cuts the gradient that
// the no-dead-parameter checks look for. EvalIsDeterministic turns dropout on.
SpectrogramNetOptions small_spectrogram(int64_t channels, int64_t targets) {
  return SpectrogramNetOptions(65, channels)
      .num_targets(targets)
      .hidden_channels(2)
      .dropout_p(0.0)
      .recurrent_depth(1)
      .recurrent_dropout(0.0)
      .hidden_size(8);
}

AudioNetOptions small_waveform(int64_t channels, int64_t targets) {
  return AudioNetOptions(channels)
      .num_targets(targets)
      .hidden_channels(8)
      .dropout_p(0.0)
      .depth(3)
      .recurrent_depth(1)
      .hidden_size(8);
}

HybridNetOptions small(int64_t channels, int64_t targets = 1) {
  return HybridNetOptions(channels, targets)
      .spectrogram(small_spectrogram(channels, targets))
      .waveform(small_waveform(channels, targets))
      .num_fft(128)
      .hop_length(32)
      .window_size(128);
}

int64_t count_parameters(const torch::nn::Module& net) {
  int64_t count = 0;
  for (const auto& p : net.parameters()) count += p.numel();
  return count;
}

/// Backward of a random projection of the estimate, plus two more of fresh random inputs of
/// the same shape (one random input can leave a ReLU unit of these tiny nets below zero
/// everywhere, which is not a dead parameter); every parameter must get a finite, non-zero
/// gradient.
void expect_gradients_everywhere(HybridNet& net, const torch::Tensor& input,
                                 const torch::Tensor& estimate) {
  net->zero_grad();
  (estimate * torch::randn_like(estimate)).sum().backward();
  for (int pass = 0; pass < 2; ++pass) {
    const torch::Tensor more = net(torch::randn_like(input)).estimate;
    (more * torch::randn_like(more)).sum().backward();
  }
  for (const auto& item : net->named_parameters()) {
    const torch::Tensor grad = item.value().grad();
    ASSERT_TRUE(grad.defined()) << item.key();
    EXPECT_TRUE(torch::isfinite(grad).all().item<bool>()) << item.key();
    EXPECT_GT(grad.abs().sum().item<float>(), 0.0f) << item.key() << " gets no gradient";
  }
}

TEST(HybridNet, AnyLengthChannelsAndTargetsForwardBackward) {
  torch::manual_seed(0);
  for (const int64_t channels : {1, 2}) {
    for (const int64_t targets : {1, 4}) {
      HybridNet net(small(channels, targets));
      EXPECT_EQ(net->blend.sizes(), torch::IntArrayRef({targets, channels}));
      // None a multiple of the hop (32) or of the waveform stride product (64).
      for (const int64_t samples : {100, 2100, 3000}) {
        SCOPED_TRACE("channels " + std::to_string(channels) + ", targets " +
                     std::to_string(targets) + ", samples " + std::to_string(samples));
        const torch::Tensor audio = torch::randn({2, channels, samples});
        const auto out = net(audio);
        const std::vector<int64_t> shape{2, targets, channels, samples};
        ASSERT_EQ(out.estimate.sizes(), shape);
        ASSERT_EQ(out.spectrogram_estimate.sizes(), shape);
        ASSERT_EQ(out.waveform_estimate.sizes(), shape);
        EXPECT_EQ(out.mask.size(3), 65);
        // 100 samples give 5 frames, one encoded frame: a one-step LSTM, whose recurrent
        // weights get no gradient (h0 = 0). The longer inputs give 2.
        if (samples > 100) expect_gradients_everywhere(net, audio, out.estimate);
      }
    }
  }
}

TEST(HybridNet, EveryBranchCombinationTrainsEndToEnd) {
  torch::manual_seed(1);
  for (const char* spectrogram :
       {"SpectrogramNetSimple", "SpectrogramNetLSTM", "SpectrogramNetVAE"}) {
    for (const char* audio : {"AudioNetSimple", "AudioNetSimpleLSTM", "AudioNetVAE"}) {
      SCOPED_TRACE(std::string(spectrogram) + " + " + audio);
      HybridNet net(small(2, 2).spectrogram_net(spectrogram).audio_net(audio));
      // 2100 samples: 67 frames, 2 encoded frames, so the spectrogram LSTM runs over more than
      // one step and its recurrent weights get a gradient.
      const torch::Tensor input = torch::randn({2, 2, 2100});
      const auto out = net(input);
      ASSERT_EQ(out.estimate.sizes(), torch::IntArrayRef({2, 2, 2, 2100}));
      EXPECT_EQ(out.spectrogram_mu.defined(), std::string(spectrogram) == "SpectrogramNetVAE");
      EXPECT_EQ(out.spectrogram_sigma.defined(), out.spectrogram_mu.defined());
      EXPECT_EQ(out.waveform_mu.defined(), std::string(audio) == "AudioNetVAE");
      EXPECT_EQ(out.waveform_sigma.defined(), out.waveform_mu.defined());
      expect_gradients_everywhere(net, input, out.estimate);
    }
  }
}

TEST(HybridNet, BlendIsALearntPerTargetPerChannelMix) {
  torch::manual_seed(2);
  HybridNet net(small(2, 2));
  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor audio = torch::randn({1, 2, 700});
  auto out = net(audio);
  // Initially half and half.
  EXPECT_TRUE(torch::allclose(
      out.estimate, 0.5 * (out.spectrogram_estimate + out.waveform_estimate), 1e-5, 1e-6));
  // Target 0, left: all spectrogram; target 1, right: all waveform; the rest stays half/half.
  net->blend.copy_(torch::tensor({{100.0f, 0.0f}, {0.0f, -100.0f}}));
  out = net(audio);
  using torch::indexing::Slice;
  EXPECT_TRUE(torch::allclose(out.estimate.index({Slice(), 0, 0}),
                              out.spectrogram_estimate.index({Slice(), 0, 0})));
  EXPECT_TRUE(torch::allclose(out.estimate.index({Slice(), 1, 1}),
                              out.waveform_estimate.index({Slice(), 1, 1})));
  EXPECT_TRUE(torch::allclose(out.estimate.index({Slice(), 0, 1}),
                              0.5 * (out.spectrogram_estimate.index({Slice(), 0, 1}) +
                                     out.waveform_estimate.index({Slice(), 0, 1})),
                              1e-5, 1e-6));
}

TEST(HybridNet, FromTwoBuiltBranchesGivesTheirOutputsAndSharesTheirWeights) {
  torch::manual_seed(3);
  SpectrogramNetVAE spectrogram(small_spectrogram(2, 3));
  AudioNetSimple waveform(small_waveform(2, 3));
  const AudioTransform transform = small_transform();
  HybridNet net(spectrogram, waveform, transform);
  net->eval();  // also switches the branches: they are the same modules
  EXPECT_FALSE(spectrogram->is_training());
  EXPECT_FALSE(waveform->is_training());
  torch::NoGradGuard no_grad;
  const torch::Tensor audio = torch::randn({2, 2, 1111});
  const auto out = net(audio);
  const torch::Tensor stft = transform.to_spectrogram(audio);
  const auto mask = spectrogram(torch::abs(stft));
  EXPECT_TRUE(torch::equal(out.mask, mask.mask));
  EXPECT_TRUE(torch::equal(out.spectrogram_mu, mask.mu));
  EXPECT_TRUE(torch::equal(out.spectrogram_estimate,
                           transform.to_audio(mask.mask * stft.unsqueeze(1), 1111)));
  EXPECT_TRUE(torch::equal(out.waveform_estimate, waveform(audio)));
  // The same storage, not copies: training the hybrid trains the branches.
  const auto params = net->named_parameters();
  EXPECT_TRUE(params["waveform.encoder_1.conv.weight"].is_same(waveform->encoder[0]->conv->weight));
  EXPECT_TRUE(params["spectrogram.mu.weight"].is_same(spectrogram->mu->weight));
  EXPECT_EQ(count_parameters(*net),
            count_parameters(*spectrogram) + count_parameters(*waveform) + 3 * 2);
}

TEST(HybridNet, EvalIsDeterministicWithVaeBranches) {
  torch::manual_seed(4);
  auto options = small(1, 2).spectrogram_net("SpectrogramNetVAE").audio_net("AudioNetVAE");
  options.spectrogram().dropout_p(0.5);
  options.waveform().dropout_p(0.5);
  HybridNet net(options);
  const torch::Tensor audio = torch::randn({2, 1, 900});
  net->eval();
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::equal(net(audio).estimate, net(audio).estimate));
  net->train();
  EXPECT_FALSE(torch::equal(net(audio).estimate, net(audio).estimate));  // dropout, sampling
}

TEST(HybridNet, OverfitsTwoSineMixture) {
  // Two targets, a low and a high sine of different pitch per item, batch 2, mono.
  torch::manual_seed(5);
  const int64_t samples = 1024;
  const torch::Tensor t = torch::arange(samples, torch::kFloat32);
  const torch::Tensor low =
      0.5 * torch::sin(2 * M_PI * torch::tensor({0.01f, 0.015f}).unsqueeze(1) * t);
  const torch::Tensor high =
      0.3 * torch::sin(2 * M_PI * torch::tensor({0.2f, 0.3f}).unsqueeze(1) * t);
  const torch::Tensor targets = torch::stack({low, high}, 1).unsqueeze(2);  // (2, 2, 1, N)
  const torch::Tensor mixture = targets.sum(1);                             // (2, 1, N)
  HybridNet net(small(1, 2).spectrogram_net("SpectrogramNetSimple").audio_net("AudioNetSimple"));
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(5e-3));
  constexpr int kSteps = 60;
  double start = 0;
  double last = 0;
  for (int step = 0; step < kSteps; ++step) {
    optimizer.zero_grad();
    const torch::Tensor loss = (net(mixture).estimate - targets).abs().mean();
    loss.backward();
    optimizer.step();
    if (step == 0) start = loss.item<double>();
    last = loss.item<double>();
  }
  std::cout << "L1 loss: start " << start << ", after " << kSteps << " steps " << last << "\n";
  EXPECT_LT(last, 0.5 * start);
}

TEST(HybridNet, InconsistentOptionsAndBranchesAreErrors) {
  EXPECT_THROW(HybridNet(small(1).spectrogram_net("SpectrogramNetGRU")), auralflow::Error);
  EXPECT_THROW(HybridNet(small(1).audio_net("Demucs")), auralflow::Error);
  EXPECT_THROW(HybridNet(small(1).num_fft(256)), auralflow::Error);  // 129 bins ≠ 65
  EXPECT_THROW(HybridNet(small(2).waveform(small_waveform(1, 1))), auralflow::Error);
  EXPECT_THROW(HybridNet(small(2, 2).waveform(small_waveform(2, 3))), auralflow::Error);
  EXPECT_THROW(HybridNet(small(3)), auralflow::Error);
  EXPECT_THROW(HybridNet(SpectrogramNetLSTM(small_spectrogram(1, 1)),
                         AudioNetVAE(small_waveform(1, 2)), small_transform()),
               auralflow::Error);
  EXPECT_THROW(
      HybridNet(SpectrogramNetLSTM(nullptr), AudioNetVAE(small_waveform(1, 1)), small_transform()),
      auralflow::Error);
  HybridNet net(small(2));
  EXPECT_THROW(net(torch::randn({1, 1, 500})), auralflow::Error);  // mono into stereo
  EXPECT_THROW(net(torch::randn({2, 500})), auralflow::Error);     // no batch dim
}

TEST(HybridNet, ParameterCountAtDefaultConfig) {
  // Stereo, one target: SpectrogramNetLSTM (513 bins, hidden_channels 16, 3 LSTM layers of 512)
  // and AudioNetSimpleLSTM at its defaults (15215426, see test_models_audio), plus the (1, 2)
  // blend.
  HybridNet net(HybridNetOptions(2));
  const int64_t count = count_parameters(*net);
  std::cout << "parameters at the default config: HybridNet " << count << "\n";
  ::testing::Test::RecordProperty("HybridNet", std::to_string(count));
  EXPECT_EQ(count, 60905888);
}

}  // namespace
