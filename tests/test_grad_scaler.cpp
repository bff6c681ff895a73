// GradScaler on the CPU: scaling and unscaling, a skipped step and backoff on inf/NaN,
// growth after the interval, the disabled passthrough, misuse errors, state round trip.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "auralflow/error.hpp"
#include "auralflow/grad_scaler.hpp"

namespace {

using auralflow::GradScaler;
using auralflow::GradScalerOptions;

// A parameter p = [1, 2, 3] under SGD with LR 0.1, and the loss sum(w·p) whose gradient is w.
struct Problem {
  torch::Tensor parameter = torch::tensor({1.0f, 2.0f, 3.0f}).requires_grad_(true);
  torch::optim::SGD optimizer{std::vector<torch::Tensor>{parameter}, torch::optim::SGDOptions(0.1)};
  torch::Tensor weights = torch::tensor({0.5f, -1.0f, 2.0f});

  torch::Tensor loss() const { return (weights * parameter).sum(); }
  void backward(const GradScaler& scaler) {
    optimizer.zero_grad();
    scaler.scale(loss()).backward();
  }
};

TEST(GradScaler, ScalesLossAndUnscalesGradients) {
  Problem problem;
  GradScaler scaler;
  EXPECT_EQ(scaler.get_scale(), 65536.0);
  EXPECT_FLOAT_EQ(scaler.scale(problem.loss()).item<float>(), 65536.0f * 4.5f);
  problem.backward(scaler);
  EXPECT_TRUE(torch::equal(problem.parameter.grad(), problem.weights * 65536));
  scaler.unscale_(problem.optimizer);
  EXPECT_TRUE(torch::equal(problem.parameter.grad(), problem.weights));
  // step() after unscale_() must not unscale again: p - 0.1·w.
  EXPECT_TRUE(scaler.step(problem.optimizer));
  scaler.update();
  EXPECT_TRUE(torch::allclose(problem.parameter.detach(), torch::tensor({0.95f, 2.1f, 2.8f})));
  EXPECT_EQ(scaler.get_scale(), 65536.0);
  EXPECT_EQ(scaler.growth_tracker(), 1);
}

TEST(GradScaler, InfGradientSkipsStepAndHalvesScale) {
  Problem problem;
  GradScaler scaler;
  problem.backward(scaler);
  problem.parameter.grad()[1] = std::numeric_limits<float>::infinity();
  const torch::Tensor before = problem.parameter.detach().clone();
  EXPECT_FALSE(scaler.step(problem.optimizer));
  EXPECT_TRUE(torch::equal(problem.parameter.detach(), before));
  scaler.update();
  EXPECT_EQ(scaler.get_scale(), 32768.0);
  EXPECT_EQ(scaler.growth_tracker(), 0);
}

TEST(GradScaler, NaNGradientSkipsStepAndHalvesScale) {
  Problem problem;
  GradScaler scaler(GradScalerOptions().init_scale(8.0));
  problem.backward(scaler);
  problem.parameter.grad()[0] = std::numeric_limits<float>::quiet_NaN();
  const torch::Tensor before = problem.parameter.detach().clone();
  EXPECT_FALSE(scaler.step(problem.optimizer));
  EXPECT_TRUE(torch::equal(problem.parameter.detach(), before));
  scaler.update();
  EXPECT_EQ(scaler.get_scale(), 4.0);
}

// A gradient that is finite only while scaled (scale < 1 overflows it when unscaling).
TEST(GradScaler, OverflowWhileUnscalingCountsAsInf) {
  Problem problem;
  GradScaler scaler(GradScalerOptions().init_scale(1e-10));
  problem.backward(scaler);
  problem.parameter.grad()[2] = 1e30f;
  EXPECT_FALSE(scaler.step(problem.optimizer));
  scaler.update();
  EXPECT_EQ(scaler.get_scale(), 0.5e-10);
}

TEST(GradScaler, ScaleGrowsAfterGrowthIntervalCleanSteps) {
  Problem problem;
  GradScaler scaler(GradScalerOptions().init_scale(4.0).growth_interval(3));
  for (int iteration = 1; iteration <= 3; ++iteration) {
    SCOPED_TRACE(iteration);
    problem.backward(scaler);
    EXPECT_TRUE(scaler.step(problem.optimizer));
    scaler.update();
    EXPECT_EQ(scaler.get_scale(), iteration < 3 ? 4.0 : 8.0);
    EXPECT_EQ(scaler.growth_tracker(), iteration % 3);
  }
  // Three plain SGD steps on the true gradient: p - 3·0.1·w.
  EXPECT_TRUE(torch::allclose(problem.parameter.detach(), torch::tensor({0.85f, 2.3f, 2.4f})));
}

TEST(GradScaler, InfResetsGrowthTracker) {
  Problem problem;
  GradScaler scaler(GradScalerOptions().init_scale(4.0).growth_interval(2));
  problem.backward(scaler);
  scaler.step(problem.optimizer);
  scaler.update();
  EXPECT_EQ(scaler.growth_tracker(), 1);
  problem.backward(scaler);
  problem.parameter.grad()[0] = std::numeric_limits<float>::infinity();
  scaler.step(problem.optimizer);
  scaler.update();
  EXPECT_EQ(scaler.growth_tracker(), 0);
  EXPECT_EQ(scaler.get_scale(), 2.0);
}

TEST(GradScaler, DisabledIsPassthrough) {
  Problem problem;
  GradScaler scaler(GradScalerOptions().enabled(false));
  EXPECT_FALSE(scaler.is_enabled());
  EXPECT_EQ(scaler.get_scale(), 1.0);
  const torch::Tensor loss = problem.loss();
  EXPECT_TRUE(scaler.scale(loss).is_same(loss));
  problem.backward(scaler);
  scaler.unscale_(problem.optimizer);
  EXPECT_TRUE(torch::equal(problem.parameter.grad(), problem.weights));
  EXPECT_TRUE(scaler.step(problem.optimizer));
  scaler.update();
  EXPECT_TRUE(torch::allclose(problem.parameter.detach(), torch::tensor({0.95f, 2.1f, 2.8f})));
  // No inf check when disabled: a non-finite gradient is stepped with, as without a scaler.
  problem.optimizer.zero_grad();
  problem.loss().backward();
  problem.parameter.grad()[0] = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(scaler.step(problem.optimizer));
  EXPECT_TRUE(std::isinf(problem.parameter[0].item<float>()));
}

TEST(GradScaler, MisuseThrows) {
  Problem problem;
  GradScaler scaler;
  EXPECT_THROW(scaler.update(), auralflow::Error);  // nothing recorded yet
  problem.backward(scaler);
  scaler.unscale_(problem.optimizer);
  EXPECT_THROW(scaler.unscale_(problem.optimizer), auralflow::Error);
  scaler.step(problem.optimizer);
  EXPECT_THROW(scaler.step(problem.optimizer), auralflow::Error);
  scaler.update();
  EXPECT_THROW(GradScaler(GradScalerOptions().backoff_factor(1.5)), auralflow::Error);
  EXPECT_THROW(GradScaler(GradScalerOptions().growth_interval(0)), auralflow::Error);
}

TEST(GradScaler, StateRoundTrip) {
  Problem problem;
  GradScaler scaler(GradScalerOptions().growth_interval(10));
  problem.backward(scaler);
  problem.parameter.grad()[0] = std::numeric_limits<float>::infinity();
  scaler.step(problem.optimizer);
  scaler.update();  // scale 32768
  for (int i = 0; i < 3; ++i) {
    problem.backward(scaler);
    scaler.step(problem.optimizer);
    scaler.update();
  }
  ASSERT_EQ(scaler.get_scale(), 32768.0);
  ASSERT_EQ(scaler.growth_tracker(), 3);

  torch::serialize::OutputArchive out;
  scaler.save(out);
  std::stringstream bytes;
  out.save_to(bytes);
  torch::serialize::InputArchive in;
  in.load_from(bytes);
  GradScaler restored(GradScalerOptions().growth_interval(10));
  restored.load(in);
  EXPECT_EQ(restored.get_scale(), 32768.0);
  EXPECT_EQ(restored.growth_tracker(), 3);
}

}  // namespace
