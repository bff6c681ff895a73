// Losses against the original Auralflow's values and gradients (tests/data/original/losses.pt,
// README section 4.6), the degenerate inputs where the original gave NaN/inf, and the
// Criterion factory.
#include <gtest/gtest.h>

#include <cmath>

#include "auralflow/error.hpp"
#include "auralflow/losses.hpp"
#include "test_support.hpp"

namespace {

using auralflow::Distance;
using auralflow::LossInput;
using auralflow::LossInputs;
using Fixture = std::map<std::string, torch::Tensor>;

const Fixture& fixture() {
  static const Fixture tensors = auralflow::testing::load_fixture("original/losses.pt");
  return tensors;
}

torch::Tensor get(const std::string& name) {
  const auto found = fixture().find(name);
  if (found == fixture().end()) throw std::runtime_error("losses.pt has no tensor " + name);
  return found->second;
}

// A leaf copy of a fixture tensor that records its gradient.
torch::Tensor leaf(const std::string& name) { return get(name).clone().requires_grad_(true); }

void expect_scalar_near(const torch::Tensor& actual, const std::string& expected_name,
                        double rtol = 1e-5) {
  const double expected = get(expected_name).item<double>();
  EXPECT_NEAR(actual.item<double>(), expected, rtol * std::abs(expected)) << expected_name;
}

// |actual - expected| <= rtol·|expected| + atol elementwise, atol a tiny fraction of the
// largest expected magnitude (for entries that are ~0 up to float rounding).
void expect_tensor_near(const torch::Tensor& actual, const std::string& expected_name,
                        double rtol = 1e-4) {
  const torch::Tensor expected = get(expected_name);
  ASSERT_TRUE(actual.defined()) << expected_name;
  ASSERT_EQ(actual.sizes(), expected.sizes()) << expected_name;
  const double atol = 1e-6 * expected.abs().max().item<double>();
  const torch::Tensor excess = (actual - expected).abs() - (rtol * expected.abs() + atol);
  EXPECT_LE(excess.max().item<double>(), 0.0)
      << expected_name << ": max |diff| " << (actual - expected).abs().max().item<double>();
}

bool all_finite(const torch::Tensor& x) { return torch::isfinite(x).all().item<bool>(); }

// --- Values and gradients of the original -------------------------------------------------

struct ComponentCase {
  const char* prefix;
  double alpha;
  double beta;
};

TEST(ComponentLoss, MatchesOriginalValueAndGradient) {
  for (const ComponentCase& c : {ComponentCase{"comp2", 0.2, 0.0}, ComponentCase{"comp3", 0.2, 0.8},
                                 ComponentCase{"comp_renorm", 0.6, 0.7}}) {
    SCOPED_TRACE(c.prefix);
    const torch::Tensor mask = leaf("mask");
    const torch::Tensor loss =
        auralflow::component_loss(mask, get("mix_spec"), get("target_spec"), c.alpha, c.beta);
    loss.backward();
    expect_scalar_near(loss, std::string(c.prefix) + "__loss");
    expect_tensor_near(mask.grad(), std::string(c.prefix) + "__grad_mask");
  }
}

// Each weight alone isolates one term: S, N and Q as the fixture generator computed them,
// with the per-item norm over all non-batch dims (the original crashed here on 4-D input
// under torch 1.13: linalg.norm with a 3-tuple dim).
TEST(ComponentLoss, EachTermMatchesOriginalSums) {
  const torch::Tensor mask = get("mask");
  const double numel = static_cast<double>(mask.numel());
  const auto loss = [&](double alpha, double beta) {
    return auralflow::component_loss(mask, get("mix_spec"), get("target_spec"), alpha, beta) *
           numel;
  };
  expect_scalar_near(loss(0.0, 0.0), "derived__comp_S");
  expect_scalar_near(loss(1.0, 0.0), "derived__comp_N");
  expect_scalar_near(loss(0.0, 1.0), "derived__comp_Q");
}

// Several targets stacked on dim 1, (batch, targets, channels, bins, frames): the norms still
// run per batch item over everything else.
TEST(ComponentLoss, StackedTargetsNormalisePerBatchItem) {
  const auto stacked = [](const char* name) { return get(name).unsqueeze(1); };
  const torch::Tensor loss = auralflow::component_loss(stacked("mask"), stacked("mix_spec"),
                                                       stacked("target_spec"), 0.2, 0.8);
  expect_scalar_near(loss, "comp3__loss");
}

TEST(ComponentLoss, RejectsMismatchedShapesAndNegativeWeights) {
  const torch::Tensor x = torch::rand({2, 1, 4, 3});
  EXPECT_THROW(auralflow::component_loss(x, x, torch::rand({2, 1, 4, 4})), auralflow::Error);
  EXPECT_THROW(auralflow::component_loss(x, x, x, -0.1, 0.5), auralflow::Error);
  EXPECT_THROW(auralflow::component_loss(torch::rand({5}), torch::rand({5}), torch::rand({5})),
               auralflow::Error);
}

TEST(KlDivLoss, MatchesOriginalValueAndGradients) {
  const torch::Tensor mu = leaf("kl__mu");
  const torch::Tensor sigma = leaf("kl__sigma");
  const torch::Tensor loss = auralflow::kl_div_loss(mu, sigma);
  loss.backward();
  expect_scalar_near(loss, "kl__loss");
  expect_tensor_near(mu.grad(), "kl__grad_mu");
  expect_tensor_near(sigma.grad(), "kl__grad_sigma");
}

TEST(KlDivergenceLoss, MatchesOriginalForL1AndL2) {
  const torch::Tensor estimate = get("mask") * get("mix_spec");
  for (const auto& [distance, name] :
       {std::pair{Distance::kL1, "kldiv_l1__loss"}, std::pair{Distance::kL2, "kldiv_l2__loss"}}) {
    expect_scalar_near(auralflow::kl_divergence_loss(estimate, get("target_spec"), get("kl__mu"),
                                                     get("kl__sigma"), distance),
                       name);
  }
}

TEST(SiSdrLoss, MatchesOriginalValueAndGradient) {
  const torch::Tensor estimate = leaf("sisdr__estimate");
  const torch::Tensor loss = auralflow::si_sdr_loss(estimate, get("sisdr__target"));
  loss.backward();
  expect_scalar_near(loss, "sisdr__loss");
  expect_tensor_near(estimate.grad(), "sisdr__grad_estimate");
}

TEST(SiSdrLoss, SwappedOrderAndBestPermutationMatchOriginal) {
  const torch::Tensor estimate = get("sisdr__estimate");
  const torch::Tensor target = get("sisdr__target");
  expect_scalar_near(auralflow::si_sdr_loss(target, estimate), "sisdr__loss_swapped");
  expect_scalar_near(auralflow::si_sdr_loss(estimate, target, /*best_perm=*/false),
                     "sisdr__loss_no_perm");
  expect_scalar_near(auralflow::si_sdr_loss(estimate, target, /*best_perm=*/true),
                     "sisdr__loss_best_perm");
}

// The loss is minus the mean of the per-item dB values: one item alone gives its own dB.
TEST(SiSdrLoss, PerItemValuesMatchOriginal) {
  const torch::Tensor per_item_db = get("derived__sisdr_per_item_db");
  for (int64_t b = 0; b < per_item_db.size(0); ++b) {
    const torch::Tensor loss = auralflow::si_sdr_loss(get("sisdr__estimate").slice(0, b, b + 1),
                                                      get("sisdr__target").slice(0, b, b + 1));
    const double expected = -per_item_db[b].item<double>();
    EXPECT_NEAR(loss.item<double>(), expected, 1e-5 * std::abs(expected)) << "item " << b;
  }
}

struct ReconstructionCase {
  const char* prefix;
  Distance distance;
  bool reduce_mean;
};

const ReconstructionCase kReconstructionCases[] = {
    {"l1_mean", Distance::kL1, true},
    {"l1_sum", Distance::kL1, false},
    {"l2_mean", Distance::kL2, true},
    {"l2_sum", Distance::kL2, false},
};

TEST(ReconstructionLoss, L1AndL2MatchOriginalValueAndGradient) {
  for (const ReconstructionCase& c : kReconstructionCases) {
    SCOPED_TRACE(c.prefix);
    const torch::Tensor mask = leaf("mask");
    const torch::Tensor estimate = mask * get("mix_spec");
    const torch::Tensor loss =
        c.distance == Distance::kL1
            ? auralflow::l1_loss(estimate, get("target_spec"), c.reduce_mean)
            : auralflow::l2_loss(estimate, get("target_spec"), c.reduce_mean);
    loss.backward();
    expect_scalar_near(loss, std::string(c.prefix) + "__loss");
    expect_tensor_near(mask.grad(), std::string(c.prefix) + "__grad_mask");
  }
}

TEST(ReconstructionLoss, RmseIsSquareRootOfMeanSquaredError) {
  const torch::Tensor loss =
      auralflow::rmse_loss(get("mask") * get("mix_spec"), get("target_spec"));
  EXPECT_NEAR(loss.item<double>(), std::sqrt(get("l2_mean__loss").item<double>()), 1e-6);
}

TEST(MaskLoss, MatchesOriginalValueAndGradient) {
  for (const ReconstructionCase& c : kReconstructionCases) {
    SCOPED_TRACE(c.prefix);
    const torch::Tensor mask = leaf("mask");
    const torch::Tensor loss =
        auralflow::mask_loss(mask, get("mix_spec"), get("target_spec"), c.distance, c.reduce_mean);
    loss.backward();
    expect_scalar_near(loss, std::string("mask_") + c.prefix + "__loss");
    expect_tensor_near(mask.grad(), std::string("mask_") + c.prefix + "__grad_mask");
  }
}

// --- Degenerate inputs: finite where the original gave NaN/inf ---------------------------

// Original bug: Q divides the residual by its norm, so mixture == target (an all-zero
// residual, e.g. a chunk where only the target plays) made the loss NaN.
TEST(ComponentLoss, AllZeroResidualGivesFiniteLossAndGradient_OriginalWasNaN) {
  const torch::Tensor target = torch::rand({2, 1, 6, 5}) + 0.1;
  const torch::Tensor mask = torch::rand({2, 1, 6, 5}).requires_grad_(true);
  const torch::Tensor loss = auralflow::component_loss(mask, target, target, 0.2, 0.3);
  loss.backward();
  ASSERT_TRUE(all_finite(loss));
  EXPECT_TRUE(all_finite(mask.grad()));
  // N = Q = 0 here, so only the separation term remains.
  const double separation = (mask * target - target).square().sum().item<double>();
  const double expected = 0.5 * separation / static_cast<double>(mask.numel());
  EXPECT_NEAR(loss.item<double>(), expected, 1e-5 * expected);
}

// Original bug: an all-zero mask (a ReLU mask can be) makes the filtered residual zero, and
// Q divided it by its zero norm: NaN.
TEST(ComponentLoss, AllZeroMaskGivesFiniteLossAndGradient_OriginalWasNaN) {
  const torch::Tensor mask = torch::zeros({2, 2, 33, 12}, torch::requires_grad());
  const torch::Tensor loss =
      auralflow::component_loss(mask, get("mix_spec"), get("target_spec"), 0.2, 0.3);
  loss.backward();
  ASSERT_TRUE(all_finite(loss));
  EXPECT_TRUE(all_finite(mask.grad()));
  // S = sum(Y^2), N = 0, Q = sum over the 2 items of |R/|R||^2 = 2.
  const double expected = (0.5 * get("target_spec").square().sum().item<double>() + 0.3 * 2.0) /
                          static_cast<double>(mask.numel());
  EXPECT_NEAR(loss.item<double>(), expected, 1e-5 * expected);
}

// Original bug: no epsilon, so a silent target (e.g. a stem that does not play in a chunk)
// gave 0/0 in the projection: NaN.
TEST(SiSdrLoss, SilentTargetGivesFiniteLossAndGradient_OriginalWasNaN) {
  const torch::Tensor estimate = (torch::rand({2, 2, 100}) - 0.5).requires_grad_(true);
  const torch::Tensor target = torch::zeros({2, 2, 100});
  const torch::Tensor loss = auralflow::si_sdr_loss(estimate, target);
  loss.backward();
  ASSERT_TRUE(all_finite(loss));
  EXPECT_TRUE(all_finite(estimate.grad()));
  // sdr = 10·log10(eps / |e|^2) per item.
  const torch::Tensor energy = estimate.detach().square().flatten(1).sum(1);
  const double expected = -(10 * (auralflow::kLossEpsilon / energy).log10()).mean().item<double>();
  EXPECT_NEAR(loss.item<double>(), expected, 1e-5 * std::abs(expected));
}

// Same bug with only one channel of a stereo target silent: its projection scale was 0/0.
TEST(SiSdrLoss, OneSilentChannelGivesFiniteLossAndGradient_OriginalWasNaN) {
  const torch::Tensor estimate = (torch::rand({2, 2, 100}) - 0.5).requires_grad_(true);
  torch::Tensor target = torch::rand({2, 2, 100}) - 0.5;
  target.select(1, 1).zero_();
  const torch::Tensor loss = auralflow::si_sdr_loss(estimate, target);
  loss.backward();
  ASSERT_TRUE(all_finite(loss));
  EXPECT_TRUE(all_finite(estimate.grad()));
  // The silent channel projects to 0, so its whole estimate counts as noise.
  const torch::Tensor e = estimate.detach().select(1, 0);
  const torch::Tensor t = target.select(1, 0);
  const torch::Tensor projection = (e * t).sum(-1, true) / t.square().sum(-1, true) * t;
  const torch::Tensor noise =
      (e - projection).square().sum(-1) + estimate.detach().select(1, 1).square().sum(-1);
  const double expected =
      -(10 * (projection.square().sum(-1) / noise).log10()).mean().item<double>();
  EXPECT_NEAR(loss.item<double>(), expected, 1e-5 * std::abs(expected));
}

// Original bug: an all-zero estimate (e.g. a network whose mask collapsed to 0) gave
// 10·log10(0/0): NaN. Here it is 0 dB.
TEST(SiSdrLoss, ZeroEstimateGivesFiniteLossAndGradient_OriginalWasNaN) {
  const torch::Tensor estimate = torch::zeros({2, 2, 100}, torch::requires_grad());
  const torch::Tensor target = torch::rand({2, 2, 100}) - 0.5;
  const torch::Tensor loss = auralflow::si_sdr_loss(estimate, target, /*best_perm=*/true);
  loss.backward();
  ASSERT_TRUE(all_finite(loss));
  EXPECT_TRUE(all_finite(estimate.grad()));
  EXPECT_EQ(loss.item<double>(), 0.0);
}

// Original bug: a perfect estimate has zero noise energy: 10·log10(x/0) = inf.
TEST(SiSdrLoss, PerfectEstimateGivesFiniteLossAndGradient_OriginalWasInf) {
  const torch::Tensor target = torch::rand({1, 1, 50}) - 0.5;
  const torch::Tensor estimate = target.clone().requires_grad_(true);
  const torch::Tensor loss = auralflow::si_sdr_loss(estimate, target);
  loss.backward();
  ASSERT_TRUE(all_finite(loss));
  EXPECT_TRUE(all_finite(estimate.grad()));
  const double expected =
      -10 * std::log10(target.square().sum().item<double>() / auralflow::kLossEpsilon);
  EXPECT_NEAR(loss.item<double>(), expected, 1e-5 * std::abs(expected));
}

// sqrt has an infinite derivative at 0; the floor keeps the gradient of a perfect estimate 0.
TEST(ReconstructionLoss, RmseOfPerfectEstimateHasFiniteGradient) {
  const torch::Tensor target = torch::rand({2, 1, 4, 3});
  const torch::Tensor estimate = target.clone().requires_grad_(true);
  const torch::Tensor loss = auralflow::rmse_loss(estimate, target);
  loss.backward();
  EXPECT_NEAR(loss.item<double>(), std::sqrt(auralflow::kLossEpsilon), 1e-9);
  EXPECT_TRUE(all_finite(estimate.grad()));
}

// Autocast hands float16 masks to the loss; sums over a spectrogram overflow float16.
TEST(ComponentLoss, HalfInputsAreComputedInFloat32) {
  const torch::Tensor mask = get("mask").to(torch::kHalf);
  const torch::Tensor mix = (get("mix_spec") * 100).to(torch::kHalf);
  const torch::Tensor target = (get("target_spec") * 100).to(torch::kHalf);
  const torch::Tensor loss = auralflow::component_loss(mask, mix, target, 0.2, 0.0);
  EXPECT_EQ(loss.scalar_type(), torch::kFloat32);
  EXPECT_TRUE(all_finite(loss));
  const torch::Tensor reference = auralflow::component_loss(
      mask.to(torch::kFloat32), mix.to(torch::kFloat32), target.to(torch::kFloat32), 0.2, 0.0);
  EXPECT_NEAR(loss.item<double>(), reference.item<double>(), 1e-5 * reference.item<double>());
}

// --- Criterion -----------------------------------------------------------------------------

LossInputs fixture_inputs() {
  LossInputs in;
  in.mask = get("mask");
  in.mixture_magnitude = get("mix_spec");
  in.target_magnitude = get("target_spec");
  in.estimate_audio = get("sisdr__estimate");
  in.target_audio = get("sisdr__target");
  in.mu = get("kl__mu");
  in.sigma = get("kl__sigma");
  return in;
}

TEST(Criterion, EveryNameComputesItsOriginalLoss) {
  using auralflow::CriterionOptions;
  using auralflow::make_criterion;
  const LossInputs in = fixture_inputs();
  expect_scalar_near(make_criterion("component_loss")(in), "comp3__loss");
  expect_scalar_near(make_criterion("component_loss", CriterionOptions().alpha(0.6).beta(0.7))(in),
                     "comp_renorm__loss");
  expect_scalar_near(make_criterion("kl_div_loss", CriterionOptions().distance(Distance::kL1))(in),
                     "kldiv_l1__loss");
  expect_scalar_near(make_criterion("kl_div_loss")(in), "kldiv_l2__loss");
  expect_scalar_near(make_criterion("si_sdr_loss")(in), "sisdr__loss");
  expect_scalar_near(make_criterion("si_sdr_loss", CriterionOptions().best_perm(true))(in),
                     "sisdr__loss_best_perm");
  expect_scalar_near(make_criterion("l1")(in), "l1_mean__loss");
  expect_scalar_near(make_criterion("l2", CriterionOptions().reduce_mean(false))(in),
                     "l2_sum__loss");
  expect_scalar_near(
      make_criterion("mask_loss",
                     CriterionOptions().distance(Distance::kL1).reduce_mean(false))(in),
      "mask_l1_sum__loss");
  EXPECT_NEAR(make_criterion("rmse")(in).item<double>(),
              std::sqrt(get("l2_mean__loss").item<double>()), 1e-6);
}

TEST(Criterion, NamesAreTheDocumentedSeven) {
  const std::vector<std::string> expected = {
      "component_loss", "kl_div_loss", "si_sdr_loss", "l1", "l2", "mask_loss", "rmse"};
  EXPECT_EQ(auralflow::criterion_names(), expected);
}

TEST(Criterion, UnknownNameThrowsListingAllowedNames) {
  try {
    auralflow::make_criterion("si_sdr");
    FAIL() << "no exception";
  } catch (const auralflow::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("'si_sdr'"), std::string::npos) << message;
    for (const std::string& name : auralflow::criterion_names()) {
      EXPECT_NE(message.find(name), std::string::npos) << message;
    }
  }
}

TEST(Criterion, MissingRequiredFieldThrowsNamingIt) {
  LossInputs in = fixture_inputs();
  in.sigma = torch::Tensor();
  try {
    auralflow::make_criterion("kl_div_loss")(in);
    FAIL() << "no exception";
  } catch (const auralflow::Error& error) {
    EXPECT_NE(std::string(error.what()).find("sigma"), std::string::npos) << error.what();
  }
  // si_sdr_loss reads only the audio fields.
  LossInputs audio_only;
  audio_only.estimate_audio = get("sisdr__estimate");
  audio_only.target_audio = get("sisdr__target");
  EXPECT_NO_THROW(auralflow::make_criterion("si_sdr_loss")(audio_only));
  EXPECT_THROW(auralflow::make_criterion("l1")(audio_only), auralflow::Error);
}

TEST(Criterion, ReportsRequiredInputs) {
  const auralflow::Criterion si_sdr = auralflow::make_criterion("si_sdr_loss");
  EXPECT_TRUE(si_sdr.requires_input(LossInput::kEstimateAudio));
  EXPECT_TRUE(si_sdr.requires_input(LossInput::kTargetAudio));
  EXPECT_FALSE(si_sdr.requires_input(LossInput::kMask));
  const auralflow::Criterion kl = auralflow::make_criterion("kl_div_loss");
  EXPECT_TRUE(kl.requires_input(LossInput::kMu));
  EXPECT_TRUE(kl.requires_input(LossInput::kSigma));
  EXPECT_FALSE(kl.requires_input(LossInput::kEstimateAudio));
  EXPECT_EQ(si_sdr.name(), "si_sdr_loss");
  EXPECT_EQ(auralflow::loss_input_name(LossInput::kMixtureMagnitude), "mixture_magnitude");
}

TEST(Criterion, GradientFlowsToTheMask) {
  LossInputs in = fixture_inputs();
  in.mask = leaf("mask");
  auralflow::make_criterion("l2")(in).backward();
  expect_tensor_near(in.mask.grad(), "l2_mean__grad_mask");
}

TEST(Distance, FromNameAcceptsL1AndL2Only) {
  EXPECT_EQ(auralflow::distance_from_name("l1"), Distance::kL1);
  EXPECT_EQ(auralflow::distance_from_name("l2"), Distance::kL2);
  EXPECT_THROW(auralflow::distance_from_name("mse"), auralflow::Error);
}

}  // namespace
