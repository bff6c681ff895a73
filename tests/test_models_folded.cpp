// BatchNorm folding for inference (folded_conv.hpp, folded_unet.hpp): the folded forms give
// the eval-mode module's outputs within float tolerance, at the border of every feature map
// too, in both memory formats, for maps thinner than a kernel, and when a BN's scale is
// negative (then it cannot pass the max-pool and stays a BN); the bfloat16 form within
// bfloat16's rounding.
#include "auralflow/models/folded_conv.hpp"
#include "auralflow/models/folded_unet.hpp"
#include "auralflow/models/spectrogram_net.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

namespace {

using auralflow::models::ChannelAffine;
using auralflow::models::FoldedConv2d;
using auralflow::models::FoldedConvTranspose2d;
using auralflow::models::FoldedSpectrogramNet;
using auralflow::models::SpectrogramNetLSTM;
using auralflow::models::SpectrogramNetOptions;
using auralflow::models::SpectrogramNetSimple;

// Running statistics and affines far from the identity, so that a missing or misplaced
// fold shows.
void randomise_batch_norms(torch::nn::Module& net) {
  torch::NoGradGuard no_grad;
  for (const auto& module : net.modules()) {
    if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(module.get())) {
      bn->running_mean.uniform_(-0.5, 0.5);
      bn->running_var.uniform_(0.5, 2.0);
      bn->weight.uniform_(0.5, 1.5);
      bn->bias.uniform_(-0.5, 0.5);
    }
  }
}

torch::nn::BatchNorm2d random_bn(int64_t channels, bool negative) {
  torch::nn::BatchNorm2d bn(channels);
  randomise_batch_norms(*bn);
  if (negative) {
    torch::NoGradGuard no_grad;
    bn->weight.neg_();
  }
  bn->eval();
  return bn;
}

void expect_close(const torch::Tensor& actual, const torch::Tensor& expected, double tolerance) {
  ASSERT_EQ(actual.sizes(), expected.sizes());
  const double error = (actual - expected).abs().max().item<double>();
  const double scale = expected.abs().max().item<double>();
  EXPECT_LE(error, tolerance * std::max(1.0, scale)) << "largest value " << scale;
}

TEST(FoldedConv, BatchNormBeforeAPaddedConvolutionIncludingTheBorder) {
  torch::manual_seed(0);
  auto bn = random_bn(6, /*negative=*/false);
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(6, 5, 3).padding(1).bias(true));
  for (const auto format : {c10::MemoryFormat::Contiguous, c10::MemoryFormat::ChannelsLast}) {
    const FoldedConv2d folded(conv->weight, conv->bias, 1, ChannelAffine::of(*bn), {}, format);
    // 9 × 11: border rows, columns and corners; 2 × 7 and 1 × 1: thinner than the kernel.
    for (const auto& size : {std::vector<int64_t>{9, 11}, {2, 7}, {1, 1}}) {
      SCOPED_TRACE(c10::str(size));
      torch::NoGradGuard no_grad;
      const auto x = torch::randn({3, 6, size[0], size[1]});
      const auto expected = conv(bn(x));
      const auto actual = folded(x.contiguous(format));
      expect_close(actual, expected, 1e-5);
      // The border is where the shift's term differs from the interior.
      expect_close(actual.select(2, 0), expected.select(2, 0), 1e-5);
      expect_close(actual.select(3, size[1] - 1), expected.select(3, size[1] - 1), 1e-5);
    }
  }
}

TEST(FoldedConv, BatchNormsOnBothSidesOfAConvolution) {
  torch::manual_seed(1);
  auto before = random_bn(4, /*negative=*/true);
  auto after = random_bn(3, /*negative=*/true);
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(4, 3, 1));
  const FoldedConv2d folded(conv->weight, conv->bias, 0, ChannelAffine::of(*before),
                            ChannelAffine::of(*after));
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({2, 4, 5, 6});
  expect_close(folded(x), after(conv(before(x))), 1e-5);
}

TEST(FoldedConv, BatchNormAfterATransposedConvolution) {
  torch::manual_seed(2);
  auto bn = random_bn(3, /*negative=*/true);
  torch::nn::ConvTranspose2d up(torch::nn::ConvTranspose2dOptions(4, 3, 5).stride(2));
  const FoldedConvTranspose2d folded(up->weight, up->bias, 2, ChannelAffine::of(*bn));
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({2, 4, 5, 6});
  const auto expected = bn(torch::conv_transpose2d(x, up->weight, up->bias, 2, {2, 1}, {0, 1}));
  expect_close(folded(x, {2, 1}, {0, 1}), expected, 1e-5);
}

TEST(FoldedConv, NegativeScalesDoNotCommuteWithMaxPooling) {
  torch::manual_seed(3);
  EXPECT_TRUE(ChannelAffine::of(*random_bn(4, false)).is_monotone());
  EXPECT_FALSE(ChannelAffine::of(*random_bn(4, true)).is_monotone());
  EXPECT_TRUE(ChannelAffine{}.is_monotone());
}

SpectrogramNetOptions small(int64_t channels, int64_t targets, const std::string& activation) {
  return SpectrogramNetOptions(65, channels)
      .num_targets(targets)
      .hidden_channels(2)
      .recurrent_depth(1)
      .hidden_size(8)
      .mask_activation(activation);
}

template <typename Net>
class FoldedNetTest : public ::testing::Test {};
using FoldedNetTypes = ::testing::Types<SpectrogramNetSimple, SpectrogramNetLSTM>;
TYPED_TEST_SUITE(FoldedNetTest, FoldedNetTypes);

TYPED_TEST(FoldedNetTest, SameMasksAsTheEvalModeModule) {
  torch::manual_seed(4);
  // elu keeps the pre-activation visible (a sigmoid would saturate differences away); the
  // leaky encoder takes the LeakyReLU path, the default one SELU.
  for (const double leak : {0.0, 0.2}) {
    for (const bool normalize : {false, true}) {
      TypeParam net(small(2, 3, "elu")
                        .leak_factor(leak)
                        .normalize_input(normalize)
                        .normalize_output(normalize));
      randomise_batch_norms(*net);
      net->eval();
      for (const auto format : {c10::MemoryFormat::Contiguous, c10::MemoryFormat::ChannelsLast}) {
        const FoldedSpectrogramNet folded(net.ptr(), format);
        for (const int64_t frames : {70, 20}) {  // 20 < 32: padded; the deepest maps are 1 wide
          SCOPED_TRACE("leak " + std::to_string(leak) + ", normalize " + std::to_string(normalize) +
                       ", frames " + std::to_string(frames));
          torch::NoGradGuard no_grad;
          const auto spec = torch::rand({2, 2, 65, frames}) * 3.0;
          expect_close(folded.forward(spec), net->forward(spec), 2e-4);
        }
      }
    }
  }
}

TYPED_TEST(FoldedNetTest, BatchNormsWithNegativeScalesStayInPlace) {
  torch::manual_seed(5);
  TypeParam net(small(1, 1, "elu"));
  randomise_batch_norms(*net);
  {
    torch::NoGradGuard no_grad;  // down_2's and down_4's last BN cannot pass their max-pools
    for (const size_t level : {1, 3}) {
      net->down[level]
          ->conv_block->conv->template ptr<auralflow::models::ConvBlockImpl>(2)
          ->bn->weight.neg_();
    }
  }
  net->eval();
  const FoldedSpectrogramNet folded(net.ptr());
  torch::NoGradGuard no_grad;
  const auto spec = torch::rand({1, 1, 65, 50});
  expect_close(folded.forward(spec), net->forward(spec), 2e-4);
}

TYPED_TEST(FoldedNetTest, BFloat16FormGivesTheMasksUpToItsRounding) {
  torch::manual_seed(6);
  TypeParam net(small(2, 2, "sigmoid").normalize_input(true).normalize_output(true));
  randomise_batch_norms(*net);
  net->eval();
  const FoldedSpectrogramNet single(net.ptr(), c10::MemoryFormat::ChannelsLast, torch::kFloat32);
  const FoldedSpectrogramNet half(net.ptr(), c10::MemoryFormat::ChannelsLast, torch::kBFloat16);
  torch::NoGradGuard no_grad;
  const auto spec = torch::rand({2, 2, 65, 70}) * 3.0;
  const torch::Tensor expected = net->forward(spec);
  const torch::Tensor mask = half.forward(spec);
  ASSERT_EQ(mask.scalar_type(), torch::kFloat32);
  // bfloat16 keeps 8 significant bits (relative rounding 2^-9 per operation); a sigmoid mask
  // in [0, 1] moves by ~1e-3 on average through the network's layers.
  expect_close(mask, expected, 3e-2);
  EXPECT_LT((mask - expected).abs().mean().item<double>(), 5e-3);
  // ... and it is computed in bfloat16: not the float32 form's masks.
  EXPECT_GT((mask - single.forward(spec)).abs().max().item<double>(), 1e-5);
}

TEST(FoldedNet, RefusesTrainingModeAndOtherNets) {
  SpectrogramNetSimple net(small(1, 1, "sigmoid"));
  EXPECT_THROW(FoldedSpectrogramNet{net.ptr()}, std::exception);  // training mode
  auralflow::models::SpectrogramNetVAE vae(small(1, 1, "sigmoid"));
  EXPECT_FALSE(FoldedSpectrogramNet::supports(*vae));
  EXPECT_TRUE(FoldedSpectrogramNet::supports(*net));
  net->eval();
  EXPECT_THROW((FoldedSpectrogramNet{net.ptr(), c10::MemoryFormat::ChannelsLast, torch::kHalf}),
               std::exception);
}

}  // namespace
