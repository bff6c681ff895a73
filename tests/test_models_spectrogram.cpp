// SpectrogramNet* behaviour: shapes for any length / channels / targets, forward + backward,
// train vs eval, the deliberate fixes of the original's bugs, option errors, parameter counts.
// Numerical parity with the original is in test_models_spectrogram_parity.cpp.
#include "auralflow/error.hpp"
#include "auralflow/models/layers.hpp"
#include "auralflow/models/spectrogram_net.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <string>

namespace {

using auralflow::models::SpectrogramNetLSTM;
using auralflow::models::SpectrogramNetOptions;
using auralflow::models::SpectrogramNetSimple;
using auralflow::models::SpectrogramNetVAE;

/// A small net: 65 bins, hidden_channels 2, a 2-layer LSTM of 16.
SpectrogramNetOptions small(int64_t channels, int64_t targets = 1) {
  return SpectrogramNetOptions(65, channels)
      .num_targets(targets)
      .hidden_channels(2)
      .recurrent_depth(2)
      .hidden_size(16);
}

/// The mask of any of the three nets (the VAE's output struct holds it).
torch::Tensor mask_of(const torch::Tensor& mask) { return mask; }
torch::Tensor mask_of(const auralflow::models::SpectrogramNetVAEOutput& out) { return out.mask; }

int64_t count_parameters(const torch::nn::Module& net) {
  int64_t count = 0;
  for (const auto& p : net.parameters()) count += p.numel();
  return count;
}

template <typename Net>
class SpectrogramNetTest : public ::testing::Test {};
using NetTypes = ::testing::Types<SpectrogramNetSimple, SpectrogramNetLSTM, SpectrogramNetVAE>;
TYPED_TEST_SUITE(SpectrogramNetTest, NetTypes);

TYPED_TEST(SpectrogramNetTest, AnyLengthChannelsAndTargetsForwardBackward) {
  torch::manual_seed(0);
  for (const int64_t channels : {1, 2}) {
    for (const int64_t targets : {1, 4}) {
      TypeParam net(small(channels, targets));
      for (const int64_t frames : {37, 64, 100, 20}) {  // 20 < 32: padded, then cropped
        SCOPED_TRACE("channels " + std::to_string(channels) + ", targets " +
                     std::to_string(targets) + ", frames " + std::to_string(frames));
        net->zero_grad();
        const torch::Tensor spec = torch::rand({2, channels, 65, frames});
        const torch::Tensor mask = mask_of(net(spec));
        ASSERT_EQ(mask.sizes(), torch::IntArrayRef({2, targets, channels, 65, frames}));
        EXPECT_GE(mask.min().item<float>(), 0.0f);
        EXPECT_LE(mask.max().item<float>(), 1.0f);
        (mask * spec.unsqueeze(1)).sum().backward();
        // Every parameter takes part (no dead weights) and gets a finite gradient.
        for (const auto& item : net->named_parameters()) {
          ASSERT_TRUE(item.value().grad().defined()) << item.key();
          EXPECT_TRUE(torch::isfinite(item.value().grad()).all().item().toBool()) << item.key();
        }
      }
    }
  }
}

TYPED_TEST(SpectrogramNetTest, EvalUsesRunningStatsAndNoDropout) {
  // The original's SeparationModel.eval() was a no-op; here eval() is the real thing.
  torch::manual_seed(1);
  TypeParam net(small(2));
  const torch::Tensor spec = torch::rand({3, 2, 65, 40});
  net->eval();
  torch::NoGradGuard no_grad;
  const auto running_mean = net->down[0]->conv_block->conv->named_buffers()["0.bn.running_mean"];
  const torch::Tensor stats_before = running_mean.clone();
  const torch::Tensor batch = mask_of(net(spec));
  EXPECT_TRUE(torch::equal(stats_before, running_mean)) << "eval forward changed BN stats";
  EXPECT_TRUE(torch::equal(batch, mask_of(net(spec)))) << "eval forward is not repeatable";
  // Batch statistics would couple the items; running stats do not.
  const torch::Tensor alone = mask_of(net(spec.narrow(0, 1, 1)));
  EXPECT_TRUE(torch::allclose(alone, batch.narrow(0, 1, 1), 0, 1e-5));

  net->train();
  const torch::Tensor trained = mask_of(net(spec));
  EXPECT_FALSE(torch::equal(stats_before, running_mean)) << "train forward kept BN stats";
  EXPECT_FALSE(torch::allclose(trained, batch, 0, 1e-3));
}

TYPED_TEST(SpectrogramNetTest, DecoderDropoutFollowsDropoutPOriginalHardcoded04ForUp4Up5) {
  TypeParam net(small(1).dropout_p(0.0).recurrent_dropout(0.0));
  for (const auto& up : net->up) EXPECT_EQ(up->dropout->options.p(), 0.0);
  // With dropout off, training mode is deterministic (BN uses batch stats, no noise), except the
  // VAE's sampling, which forward_with_noise pins.
  net->train();
  torch::manual_seed(2);
  const torch::Tensor spec = torch::rand({2, 1, 65, 48});
  if constexpr (std::is_same_v<TypeParam, SpectrogramNetVAE>) {
    const torch::Tensor eps = torch::randn_like(net(spec).mu);
    EXPECT_TRUE(torch::equal(net->forward_with_noise(spec, eps).mask,
                             net->forward_with_noise(spec, eps).mask));
  } else {
    EXPECT_TRUE(torch::equal(net(spec), net(spec)));
  }
  TypeParam half(small(1).dropout_p(0.25));
  for (const auto& up : half->up) EXPECT_EQ(up->dropout->options.p(), 0.25);
}

TYPED_TEST(SpectrogramNetTest, NoDeadParametersConvBottleneckOrFrozenOutputNorm) {
  TypeParam net(small(1).normalize_output(false));
  const bool recurrent = !std::is_same_v<TypeParam, SpectrogramNetSimple>;
  bool has_bottleneck = false;
  for (const auto& item : net->named_parameters()) {
    EXPECT_NE(item.key().rfind("output_norm.", 0), 0u) << item.key();
    EXPECT_TRUE(item.value().requires_grad()) << item.key();
    has_bottleneck = has_bottleneck || item.key().rfind("bottleneck.", 0) == 0;
  }
  EXPECT_EQ(has_bottleneck, !recurrent);
}

TYPED_TEST(SpectrogramNetTest, OriginalLengthTiedLayerNormOnlyWithNumFrames) {
  TypeParam any(small(1));
  EXPECT_EQ(any->input_norm->weight.sizes(), torch::IntArrayRef({1, 65}));
  TypeParam tied(small(1).num_frames(64));
  EXPECT_EQ(tied->input_norm->weight.sizes(), torch::IntArrayRef({1, 65, 64}));
  EXPECT_NO_THROW(tied(torch::rand({1, 1, 65, 64})));
  EXPECT_THROW(tied(torch::rand({1, 1, 65, 63})), auralflow::Error);
}

TYPED_TEST(SpectrogramNetTest, BadInputShapeIsAnError) {
  TypeParam net(small(2));
  EXPECT_THROW(net(torch::rand({1, 1, 65, 40})), auralflow::Error);  // mono into stereo
  EXPECT_THROW(net(torch::rand({1, 2, 64, 40})), auralflow::Error);  // wrong bins
  EXPECT_THROW(net(torch::rand({2, 65, 40})), auralflow::Error);     // no batch dim
}

TEST(SpectrogramNetOptions, InvalidSettingsAreErrors) {
  EXPECT_THROW(SpectrogramNetSimple(small(1).mask_activation("softplus")), auralflow::Error);
  EXPECT_THROW(SpectrogramNetSimple(SpectrogramNetOptions(16, 1)), auralflow::Error);
  EXPECT_THROW(SpectrogramNetSimple(small(1).num_frames(20)), auralflow::Error);
  EXPECT_THROW(SpectrogramNetSimple(small(1).dropout_p(1.5)), auralflow::Error);
  EXPECT_THROW(SpectrogramNetLSTM(small(1).input_axis(2)), auralflow::Error);
  // input_axis 1 reads frames as features, which ties the net to one frame count.
  EXPECT_THROW(SpectrogramNetLSTM(small(1).input_axis(1)), auralflow::Error);
  SpectrogramNetLSTM axis1(small(1).input_axis(1).num_frames(64));
  EXPECT_EQ(axis1->num_features(), 16 * 2 * 2);  // 16h · (64 / 32)
  EXPECT_EQ(axis1(torch::rand({1, 1, 65, 64})).sizes(), torch::IntArrayRef({1, 1, 1, 65, 64}));
}

TEST(SpectrogramNetSoftmax, SumsToOneOverTargetsWhenSeveral) {
  SpectrogramNetSimple net(small(2, 3).mask_activation("softmax"));
  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor mask = net(torch::rand({2, 2, 65, 40}));
  EXPECT_TRUE(torch::allclose(mask.sum(1), torch::ones({2, 2, 65, 40}), 0, 1e-5));
}

TEST(SpectrogramNetVAE, EvalUsesMuInsteadOfSamplingOriginalSampledInEval) {
  torch::manual_seed(3);
  SpectrogramNetVAE net(small(1).dropout_p(0).recurrent_dropout(0));
  const torch::Tensor spec = torch::rand({2, 1, 65, 64});
  net->eval();
  torch::NoGradGuard no_grad;
  const auto out = net(spec);
  EXPECT_EQ(out.mu.sizes(), torch::IntArrayRef({2, 2, 16 * 2 * 2}));  // (B, T/32, 16h·F/32)
  EXPECT_GT(out.sigma.min().item<float>(), 0.0f);
  EXPECT_TRUE(torch::equal(out.mask, net(spec).mask));
  EXPECT_TRUE(
      torch::equal(out.mask, net->forward_with_noise(spec, torch::zeros_like(out.mu)).mask));
  // Training samples z = mu + sigma·eps, repeatable through the global seed.
  net->train();
  torch::manual_seed(4);
  const torch::Tensor first = net(spec).mask;
  const torch::Tensor second = net(spec).mask;
  torch::manual_seed(4);
  EXPECT_TRUE(torch::equal(first, net(spec).mask));
  EXPECT_FALSE(torch::equal(first, second));
}

/// Parameter count of a net at the default config, shown in the test output and the XML report:
/// num_bins 513 (n_fft 1024), mono, hidden_channels 16; LSTM/VAE: 3 bidirectional layers of
/// 1024, input_axis 0, so 16·16·(513/32) = 4096 LSTM features. Expected values from the layer
/// formulas (checked against the fixtures' counts at hidden_channels 2).
template <typename Net>
void expect_default_parameter_count(const std::string& name, int64_t expected) {
  const int64_t count = count_parameters(*Net(SpectrogramNetOptions(513, 1)));
  std::cout << name << " parameters at the default config: " << count << "\n";
  ::testing::Test::RecordProperty("parameters", std::to_string(count));
  EXPECT_EQ(count, expected);
}

TEST(SpectrogramNetParameters, SimpleAtDefaultConfig) {
  expect_default_parameter_count<SpectrogramNetSimple>("SpectrogramNetSimple", 15381431);
}

TEST(SpectrogramNetParameters, LstmAtDefaultConfig) {
  expect_default_parameter_count<SpectrogramNetLSTM>("SpectrogramNetLSTM", 112298935);
}

TEST(SpectrogramNetParameters, VaeAtDefaultConfig) {
  // The LSTM net plus mu and log_sigma, 2 · (4096² + 4096).
  expect_default_parameter_count<SpectrogramNetVAE>("SpectrogramNetVAE", 145861559);
}

}  // namespace

// UpBlock runs its transposed convolution in sub-pixel form (a convolution and a pixel
// shuffle); values and every gradient must be those of LibTorch's conv_transpose2d, at odd and
// even output sizes (output padding 0 and 1).
TEST(UpBlock, SubPixelFormMatchesConvTranspose2dInValuesAndGradients) {
  torch::manual_seed(3);
  auralflow::models::UpBlock block(4, 2, 0.0);
  block->train();
  const auto x = torch::randn({2, 4, 7, 9}, torch::requires_grad());
  const auto skip = torch::randn({2, 2, 14, 19});
  const auto weights = torch::randn({2, 2, 14, 19});

  const auto gradients = [&](const torch::Tensor& y) {
    block->zero_grad();
    x.mutable_grad() = torch::Tensor();
    (y * weights).sum().backward();
    return std::vector<torch::Tensor>{x.grad().clone(), block->up->weight.grad().clone(),
                                      block->up->bias.grad().clone()};
  };
  const auto ours = block(x, skip);
  const auto our_gradients = gradients(ours);

  // (7 − 1)·2 − 2·p + 5 + q = 14 → p 2, q 1; (9 − 1)·2 − 2·p + 5 + q = 19 → p 1, q 0
  auto reference =
      torch::conv_transpose2d(x, block->up->weight, block->up->bias, {2, 2}, {2, 1}, {1, 0});
  reference = block->conv_block(torch::cat({block->bn(reference), skip}, 1));
  const auto reference_gradients = gradients(reference);

  EXPECT_TRUE(torch::allclose(ours, reference, 1e-4, 1e-5));
  for (size_t i = 0; i < our_gradients.size(); ++i) {
    EXPECT_TRUE(torch::allclose(our_gradients[i], reference_gradients[i], 1e-3, 1e-4))
        << "gradient " << i << " differs by "
        << (our_gradients[i] - reference_gradients[i]).abs().max().item<double>();
  }
}
