// AudioNet* behaviour: shapes for any length / channels / targets, forward + backward reaching
// every parameter, the length rule, input normalisation, train vs eval, the VAE latent, option
// errors, a small overfitting run per net, parameter counts at the defaults.
#include "auralflow/error.hpp"
#include "auralflow/models/audio_net.hpp"

#include <gtest/gtest.h>
#include <torch/optim/adam.h>

#include <cmath>
#include <iostream>
#include <string>
#include <type_traits>

namespace {

using auralflow::models::AudioNetOptions;
using auralflow::models::AudioNetSimple;
using auralflow::models::AudioNetSimpleLSTM;
using auralflow::models::AudioNetVAE;

/// A small net: hidden_channels 8, depth 3, kernel 8, stride 4 (valid lengths 64·n + 84), a
/// one-layer LSTM of 8. (With 4 channels a level whose ReLUs all start dead is likely.)
AudioNetOptions small(int64_t channels, int64_t targets = 1) {
  return AudioNetOptions(channels)
      .num_targets(targets)
      .hidden_channels(8)
      .depth(3)
      .kernel_size(8)
      .stride(4)
      .recurrent_depth(1)
      .hidden_size(8);
}

/// The estimate of any of the three nets (the VAE's output struct holds it).
torch::Tensor estimate_of(const torch::Tensor& estimate) { return estimate; }
torch::Tensor estimate_of(const auralflow::models::AudioNetVAEOutput& out) { return out.estimate; }

int64_t count_parameters(const torch::nn::Module& net) {
  int64_t count = 0;
  for (const auto& p : net.parameters()) count += p.numel();
  return count;
}

/// Two sources, batch 2, mono: a sine (a different pitch per item) and bursts of noise
/// (on for 128 samples, off for 128). Returns {mixture (2, 1, N), targets (2, 2, 1, N)}.
std::pair<torch::Tensor, torch::Tensor> sine_and_bursts(int64_t num_samples) {
  torch::manual_seed(7);
  const torch::Tensor t = torch::arange(num_samples, torch::kFloat32);
  const torch::Tensor freq = torch::tensor({0.01f, 0.023f}).unsqueeze(1);  // (2, 1)
  const torch::Tensor sine = 0.5 * torch::sin(2 * M_PI * freq * t);        // (2, N)
  const torch::Tensor gate = ((t / 128).floor().remainder(2) == 0).to(torch::kFloat32);
  const torch::Tensor bursts = 0.3 * torch::randn({2, num_samples}) * gate;    // (2, N)
  const torch::Tensor targets = torch::stack({sine, bursts}, 1).unsqueeze(2);  // (2, 2, 1, N)
  return {targets.sum(1), targets};
}

template <typename Net>
class AudioNetTest : public ::testing::Test {};
using NetTypes = ::testing::Types<AudioNetSimple, AudioNetSimpleLSTM, AudioNetVAE>;
TYPED_TEST_SUITE(AudioNetTest, NetTypes);

TYPED_TEST(AudioNetTest, AnyLengthChannelsAndTargetsForwardBackwardReachEveryParameter) {
  torch::manual_seed(0);
  for (const int64_t channels : {1, 2}) {
    for (const int64_t targets : {1, 4}) {
      TypeParam net(small(channels, targets));
      // 37 < receptive field (148), 1000 is padded to 1044, 1300 is a valid length.
      for (const int64_t samples : {37, 1000, 1300}) {
        SCOPED_TRACE("channels " + std::to_string(channels) + ", targets " +
                     std::to_string(targets) + ", samples " + std::to_string(samples));
        net->zero_grad();
        const torch::Tensor audio = torch::randn({2, channels, samples});
        const torch::Tensor estimate = estimate_of(net(audio));
        ASSERT_EQ(estimate.sizes(), torch::IntArrayRef({2, targets, channels, samples}));
        (estimate * torch::randn_like(estimate)).sum().backward();
        // Below the receptive field there is one encoded step: the LSTM starts from h0 = 0 and
        // ends there, so only its recurrent weights get no gradient.
        const bool one_step = net->valid_length(samples) == net->receptive_field();
        for (const auto& item : net->named_parameters()) {
          if (one_step && item.key().find("weight_hh") != std::string::npos) continue;
          const torch::Tensor grad = item.value().grad();
          ASSERT_TRUE(grad.defined()) << item.key();
          EXPECT_TRUE(torch::isfinite(grad).all().item<bool>()) << item.key();
          EXPECT_GT(grad.abs().sum().item<float>(), 0.0f) << item.key() << " gets no gradient";
        }
      }
    }
  }
}

TYPED_TEST(AudioNetTest, EvalIsDeterministicTrainingDropsOut) {
  torch::manual_seed(1);
  TypeParam net(small(2, 2).dropout_p(0.5));
  const torch::Tensor audio = torch::randn({2, 2, 700});
  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor first = estimate_of(net(audio));
  EXPECT_TRUE(torch::equal(first, estimate_of(net(audio))));
  net->train();
  EXPECT_FALSE(torch::allclose(estimate_of(net(audio)), first, 0, 1e-4));
  // Without dropout the LSTM/Simple nets are deterministic in training too.
  if constexpr (!std::is_same_v<TypeParam, AudioNetVAE>) {
    TypeParam plain(small(1).dropout_p(0.0));
    const torch::Tensor mono = torch::randn({1, 1, 500});
    EXPECT_TRUE(torch::equal(plain(mono), plain(mono)));
  }
}

TYPED_TEST(AudioNetTest, InputNormalisationMakesTheNetGainAndOffsetEquivariant) {
  // With normalize_input the estimates of a·x + b are a·(estimates of x) + b (a > 0), up to
  // the 1e-5 added to the std.
  torch::manual_seed(2);
  TypeParam net(small(2, 3));
  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor audio = torch::randn({2, 2, 900});
  const torch::Tensor base = estimate_of(net(audio));
  const torch::Tensor moved = estimate_of(net(3.0 * audio + 0.25));
  EXPECT_TRUE(torch::allclose(moved, 3.0 * base + 0.25, 1e-4, 1e-4));

  TypeParam raw(small(2, 3).normalize_input(false));
  raw->eval();
  const torch::Tensor raw_base = estimate_of(raw(audio));
  EXPECT_FALSE(
      torch::allclose(estimate_of(raw(3.0 * audio + 0.25)), 3.0 * raw_base + 0.25, 1e-2, 1e-2));
}

TYPED_TEST(AudioNetTest, OverfitsTwoSourceMixture) {
  const auto [mixture, targets] = sine_and_bursts(1024);
  torch::manual_seed(3);
  TypeParam net(AudioNetOptions(1)
                    .num_targets(2)
                    .hidden_channels(8)
                    .depth(3)
                    .stride(4)
                    .kernel_size(8)
                    .dropout_p(0.0)
                    .recurrent_depth(1)
                    .hidden_size(16));
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(3e-3));
  constexpr int kSteps = 150;
  double start = 0;
  double last = 0;
  for (int step = 0; step < kSteps; ++step) {
    optimizer.zero_grad();
    const torch::Tensor loss = (estimate_of(net(mixture)) - targets).abs().mean();
    loss.backward();
    optimizer.step();
    if (step == 0) start = loss.item<double>();
    last = loss.item<double>();
  }
  std::cout << "L1 loss: start " << start << ", after " << kSteps << " steps " << last << "\n";
  EXPECT_LT(last, 0.5 * start);
}

TEST(AudioNetLength, ValidLengthFollowsTheClosedFormAndCropsBack) {
  AudioNetSimple net(small(1));                             // K 8, S 4, D 3: m = 64·n + 84
  EXPECT_EQ(net->receptive_field(), 1 + 7 * (1 + 4 + 16));  // 148
  EXPECT_EQ(net->valid_length(1), net->receptive_field());
  for (int64_t n = 1; n < 2000; ++n) {
    const int64_t m = net->valid_length(n);
    ASSERT_GE(m, n);
    ASSERT_EQ((m - 84) % 64, 0) << n;
    ASSERT_GE(m, 148) << n;
    ASSERT_TRUE(m == 148 || m - 64 < n) << n << ": " << m << " is not the smallest";
  }
  // The defaults: K 8, S 4, D 5: m = 1024·n + 1364.
  AudioNetSimple full(AudioNetOptions(2));
  EXPECT_EQ(full->receptive_field(), 2388);
  EXPECT_EQ(full->valid_length(132300), 132436);  // a 3 s chunk at 44.1 kHz
  // Stride 1: m = n + D·(K − 1).
  AudioNetSimple dense(small(1).stride(1).kernel_size(3));
  EXPECT_EQ(dense->receptive_field(), 1 + 3 * 2);
  EXPECT_EQ(dense->valid_length(1), dense->receptive_field());
  EXPECT_EQ(dense->valid_length(100), 100);  // stride 1: every length ≥ the field is valid
}

TEST(AudioNetLength, PaddingIsSplitEvenlyAndCroppedAtTheRightPlace) {
  // The zeros go half left, half right, and the output is cropped where the input was: the
  // same as padding by hand to a valid length (no internal padding) and cropping by hand.
  torch::manual_seed(4);
  AudioNetSimple net(small(1).normalize_input(false));
  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor audio = torch::randn({1, 1, 1000});                // padded to 1044: 22 + 22
  const torch::Tensor padded = torch::constant_pad_nd(audio, {22, 22});  // valid: no padding
  const torch::Tensor expected = net(padded).narrow(3, 22, 1000);
  EXPECT_TRUE(torch::allclose(net(audio), expected, 1e-6, 1e-6));
}

TEST(AudioNetVAE, EvalUsesMuTrainingSamplesRepeatably) {
  torch::manual_seed(5);
  AudioNetVAE net(small(1).dropout_p(0));
  const torch::Tensor audio = torch::randn({2, 1, 1300});  // L_D = 19 encoded steps
  net->eval();
  torch::NoGradGuard no_grad;
  const auto out = net(audio);
  EXPECT_EQ(out.mu.sizes(), torch::IntArrayRef({2, 19, 32}));  // (B, L_D, h·2^(D−1))
  EXPECT_EQ(out.sigma.sizes(), out.mu.sizes());
  EXPECT_GT(out.sigma.min().item<float>(), 0.0f);
  EXPECT_TRUE(torch::equal(out.estimate, net(audio).estimate));
  EXPECT_TRUE(torch::equal(out.estimate,
                           net->forward_with_noise(audio, torch::zeros_like(out.mu)).estimate));
  EXPECT_THROW(net->forward_with_noise(audio, torch::zeros({2, 18, 32})), auralflow::Error);
  net->train();
  torch::manual_seed(6);
  const torch::Tensor first = net(audio).estimate;
  const torch::Tensor second = net(audio).estimate;
  torch::manual_seed(6);
  EXPECT_TRUE(torch::equal(first, net(audio).estimate));
  EXPECT_FALSE(torch::equal(first, second));
}

TEST(AudioNetOptions, InvalidSettingsAreErrors) {
  EXPECT_THROW(AudioNetSimple(small(3)), auralflow::Error);
  EXPECT_THROW(AudioNetSimple(small(0)), auralflow::Error);
  EXPECT_THROW(AudioNetSimple(small(1).depth(0)), auralflow::Error);
  EXPECT_THROW(AudioNetSimple(small(1).depth(11)), auralflow::Error);
  EXPECT_THROW(AudioNetSimple(small(1).num_targets(0)), auralflow::Error);
  EXPECT_THROW(AudioNetSimple(small(1).hidden_channels(0)), auralflow::Error);
  EXPECT_THROW(AudioNetSimple(small(1).stride(0)), auralflow::Error);
  EXPECT_THROW(AudioNetSimple(small(1).kernel_size(2)), auralflow::Error);  // < stride 4
  EXPECT_THROW(AudioNetSimple(small(1).dropout_p(1.0)), auralflow::Error);
  EXPECT_THROW(AudioNetSimpleLSTM(small(1).recurrent_depth(0)), auralflow::Error);
  EXPECT_THROW(AudioNetVAE(small(1).hidden_size(0)), auralflow::Error);
  try {
    AudioNetSimple(small(1).depth(0));
  } catch (const auralflow::Error& error) {
    EXPECT_NE(std::string(error.what()).find("depth"), std::string::npos) << error.what();
  }
}

TEST(AudioNetOptions, BadInputShapeIsAnError) {
  AudioNetSimple net(small(2));
  EXPECT_THROW(net(torch::randn({1, 1, 500})), auralflow::Error);  // mono into stereo
  EXPECT_THROW(net(torch::randn({2, 500})), auralflow::Error);     // no batch dim
  EXPECT_THROW(net(torch::randn({1, 2, 0})), auralflow::Error);    // empty
}

TEST(AudioNet, ParameterCountsAtDefaultConfig) {
  // Stereo, one target, hidden_channels 32, depth 5, kernel 8, stride 4; LSTM 2 × 512.
  const auto options = AudioNetOptions(2);
  const int64_t simple = count_parameters(*AudioNetSimple(options));
  const int64_t lstm = count_parameters(*AudioNetSimpleLSTM(options));
  const int64_t vae = count_parameters(*AudioNetVAE(options));
  std::cout << "parameters at the default config: AudioNetSimple " << simple
            << ", AudioNetSimpleLSTM " << lstm << ", AudioNetVAE " << vae << "\n";
  ::testing::Test::RecordProperty("AudioNetSimple", std::to_string(simple));
  ::testing::Test::RecordProperty("AudioNetSimpleLSTM", std::to_string(lstm));
  ::testing::Test::RecordProperty("AudioNetVAE", std::to_string(vae));
  EXPECT_EQ(simple, 4188482);
  EXPECT_EQ(lstm, 15215426);  // + LSTM 10502144 + linear 524800
  EXPECT_EQ(vae, 15740738);   // + mu, log_sigma 2 × 262656
}

}  // namespace
