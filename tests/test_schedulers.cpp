// ReduceLROnPlateau: scripted validation losses where LR reductions and the early stop must
// fire at known epochs, for Adam and AdamW with two param groups; state round trip.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <memory>
#include <sstream>

#include "auralflow/error.hpp"
#include "auralflow/schedulers.hpp"

namespace {

using auralflow::ReduceLROnPlateau;
using auralflow::ReduceLROnPlateauOptions;

// Two param groups at LR 1 and 0.1, so a reduction visibly applies to each.
template <typename Optimizer, typename Options>
std::unique_ptr<torch::optim::Optimizer> two_group_optimizer() {
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<torch::Tensor>{torch::zeros({2}, torch::requires_grad())},
                      std::make_unique<Options>(1.0));
  groups.emplace_back(std::vector<torch::Tensor>{torch::zeros({3}, torch::requires_grad())},
                      std::make_unique<Options>(0.1));
  return std::make_unique<Optimizer>(std::move(groups), Options(1.0));
}

// One epoch of a script: the validation loss, whether step() must say stop, and the LR of
// the first group after the step (the second group is always a tenth of it).
struct Epoch {
  double val_loss;
  bool stop;
  double lr;
};

void run_script(ReduceLROnPlateau& scheduler, const std::vector<Epoch>& script) {
  for (size_t i = 0; i < script.size(); ++i) {
    SCOPED_TRACE("epoch " + std::to_string(i + 1));
    EXPECT_EQ(scheduler.step(script[i].val_loss), script[i].stop);
    const std::vector<double> lrs = scheduler.learning_rates();
    ASSERT_EQ(lrs.size(), 2u);
    EXPECT_DOUBLE_EQ(lrs[0], script[i].lr);
    EXPECT_DOUBLE_EQ(lrs[1], script[i].lr / 10);
  }
}

// patience 1: the 2nd bad epoch in a row reduces the LR. max_lr_steps 2: when a 3rd
// reduction is due, training stops. min_delta 0.01 is absolute.
const std::vector<Epoch> kReductionScript = {
    {1.000, false, 1.0},   // 1: first loss always improves (best 1.0)
    {0.995, false, 1.0},   // 2: better, but by less than min_delta: bad epoch 1
    {0.990, false, 0.5},   // 3: bad epoch 2 > patience: reduction 1
    {0.980, false, 0.5},   // 4: 0.98 < 1.0 - 0.01: improves (best 0.98)
    {0.975, false, 0.5},   // 5: bad 1
    {0.975, false, 0.25},  // 6: bad 2: reduction 2
    {0.975, false, 0.25},  // 7: bad 1 since the reduction
    {0.975, true, 0.25},   // 8: a 3rd reduction is due, none left: stop
};

TEST(ReduceLROnPlateau, ReducesEveryParamGroupAndStopsWhenReductionsRunOutAdam) {
  auto optimizer = two_group_optimizer<torch::optim::Adam, torch::optim::AdamOptions>();
  ReduceLROnPlateau scheduler(*optimizer, ReduceLROnPlateauOptions()
                                              .factor(0.5)
                                              .patience(1)
                                              .min_delta(0.01)
                                              .max_lr_steps(2)
                                              .stop_patience(100));
  run_script(scheduler, kReductionScript);
  EXPECT_EQ(scheduler.num_lr_steps(), 2);
  EXPECT_DOUBLE_EQ(scheduler.best(), 0.98);
}

TEST(ReduceLROnPlateau, ReducesEveryParamGroupAndStopsWhenReductionsRunOutAdamW) {
  auto optimizer = two_group_optimizer<torch::optim::AdamW, torch::optim::AdamWOptions>();
  ReduceLROnPlateau scheduler(*optimizer, ReduceLROnPlateauOptions()
                                              .factor(0.5)
                                              .patience(1)
                                              .min_delta(0.01)
                                              .max_lr_steps(2)
                                              .stop_patience(100));
  run_script(scheduler, kReductionScript);
}

// stop_patience counts bad epochs since the last improvement; reductions do not reset it.
TEST(ReduceLROnPlateau, StopsAfterStopPatienceEpochsWithoutImprovement) {
  auto optimizer = two_group_optimizer<torch::optim::Adam, torch::optim::AdamOptions>();
  ReduceLROnPlateau scheduler(*optimizer, ReduceLROnPlateauOptions()
                                              .factor(0.1)
                                              .patience(1)
                                              .min_delta(0.0)
                                              .max_lr_steps(10)
                                              .stop_patience(4));
  run_script(scheduler, {
                            {2.0, false, 1.0},   // 1: best 2.0
                            {1.0, false, 1.0},   // 2: best 1.0
                            {1.0, false, 1.0},   // 3: bad 1 (equal is not better)
                            {1.5, false, 0.1},   // 4: bad 2: reduction
                            {0.9, false, 0.1},   // 5: improves: both counters reset
                            {0.9, false, 0.1},   // 6: bad 1
                            {0.9, false, 0.01},  // 7: bad 2: reduction
                            {0.9, false, 0.01},  // 8: bad 3
                            {0.9, true, 0.01},   // 9: bad 4 = stop_patience: stop
                        });
  EXPECT_EQ(scheduler.epochs_without_improvement(), 4);
}

TEST(ReduceLROnPlateau, ReportsImprovementAndNeverCountsNaNAsBetter) {
  auto optimizer = two_group_optimizer<torch::optim::Adam, torch::optim::AdamOptions>();
  ReduceLROnPlateau scheduler(*optimizer, ReduceLROnPlateauOptions().patience(5));
  EXPECT_FALSE(scheduler.step(1.0));
  EXPECT_TRUE(scheduler.improved());
  EXPECT_FALSE(scheduler.step(std::nan("")));
  EXPECT_FALSE(scheduler.improved());
  EXPECT_EQ(scheduler.num_bad_epochs(), 1);
  EXPECT_DOUBLE_EQ(scheduler.best(), 1.0);
}

TEST(ReduceLROnPlateau, LearningRateNeverGoesBelowMinLr) {
  auto optimizer = two_group_optimizer<torch::optim::Adam, torch::optim::AdamOptions>();
  ReduceLROnPlateau scheduler(*optimizer,
                              ReduceLROnPlateauOptions().factor(0.5).patience(0).min_lr(0.08));
  scheduler.step(1.0);
  scheduler.step(1.0);  // reduction: 1 -> 0.5, 0.1 -> 0.08 (floored)
  EXPECT_EQ(scheduler.learning_rates(), (std::vector<double>{0.5, 0.08}));
  scheduler.step(1.0);  // reduction: 0.5 -> 0.25, 0.08 stays
  EXPECT_EQ(scheduler.learning_rates(), (std::vector<double>{0.25, 0.08}));
}

TEST(ReduceLROnPlateau, StateRoundTripContinuesIdentically) {
  const auto options = ReduceLROnPlateauOptions()
                           .factor(0.5)
                           .patience(1)
                           .min_delta(0.01)
                           .max_lr_steps(2)
                           .stop_patience(100);
  auto first = two_group_optimizer<torch::optim::Adam, torch::optim::AdamOptions>();
  ReduceLROnPlateau original(*first, options);
  const std::vector<Epoch> head(kReductionScript.begin(), kReductionScript.begin() + 5);
  const std::vector<Epoch> tail(kReductionScript.begin() + 5, kReductionScript.end());
  run_script(original, head);

  torch::serialize::OutputArchive out;
  original.save(out);
  std::stringstream bytes;
  out.save_to(bytes);

  // A fresh optimizer at its initial LRs, as a resumed run builds it: load() sets the reduced
  // ones (LibTorch's optimizer state does not hold them).
  auto second = two_group_optimizer<torch::optim::Adam, torch::optim::AdamOptions>();
  ReduceLROnPlateau restored(*second, options);
  torch::serialize::InputArchive in;
  in.load_from(bytes);
  restored.load(in);

  EXPECT_EQ(restored.best(), original.best());
  EXPECT_EQ(restored.num_bad_epochs(), original.num_bad_epochs());
  EXPECT_EQ(restored.epochs_without_improvement(), original.epochs_without_improvement());
  EXPECT_EQ(restored.num_lr_steps(), original.num_lr_steps());
  EXPECT_EQ(restored.improved(), original.improved());
  EXPECT_EQ(restored.learning_rates(), original.learning_rates());
  run_script(restored, tail);
}

TEST(ReduceLROnPlateau, StateWithoutLearningRatesReplaysItsReductions) {
  // State as saved before the rates were part of it: the counters only, after 2 reductions.
  torch::serialize::OutputArchive out;
  out.write("best", 0.5);
  out.write("num_bad_epochs", int64_t{0});
  out.write("epochs_without_improvement", int64_t{3});
  out.write("num_lr_steps", int64_t{2});
  out.write("improved", false);
  std::stringstream bytes;
  out.save_to(bytes);
  auto optimizer = two_group_optimizer<torch::optim::AdamW, torch::optim::AdamWOptions>();
  ReduceLROnPlateau scheduler(*optimizer, ReduceLROnPlateauOptions().factor(0.5));
  torch::serialize::InputArchive in;
  in.load_from(bytes);
  scheduler.load(in);
  EXPECT_EQ(scheduler.learning_rates(), (std::vector<double>{0.25, 0.025}));
}

TEST(ReduceLROnPlateau, LoadingIncompleteStateThrows) {
  auto optimizer = two_group_optimizer<torch::optim::Adam, torch::optim::AdamOptions>();
  ReduceLROnPlateau scheduler(*optimizer);
  torch::serialize::OutputArchive out;
  out.write("best", 1.0);
  std::stringstream bytes;
  out.save_to(bytes);
  torch::serialize::InputArchive in;
  in.load_from(bytes);
  EXPECT_THROW(scheduler.load(in), auralflow::Error);
}

TEST(ReduceLROnPlateau, LearningRatesForOtherParamGroupsAreAnError) {
  auto optimizer = two_group_optimizer<torch::optim::Adam, torch::optim::AdamOptions>();
  ReduceLROnPlateau original(*optimizer);
  torch::serialize::OutputArchive out;
  original.save(out);
  out.write("learning_rates", torch::tensor({0.5, 0.05, 0.005}, torch::kFloat64));  // 3 groups
  std::stringstream bytes;
  out.save_to(bytes);
  torch::serialize::InputArchive in;
  in.load_from(bytes);
  ReduceLROnPlateau restored(*optimizer);
  EXPECT_THROW(restored.load(in), auralflow::Error);
  EXPECT_EQ(restored.learning_rates(), (std::vector<double>{1.0, 0.1}));  // left as they were
}

TEST(ReduceLROnPlateau, RejectsOutOfRangeOptions) {
  auto optimizer = two_group_optimizer<torch::optim::Adam, torch::optim::AdamOptions>();
  EXPECT_THROW(ReduceLROnPlateau(*optimizer, ReduceLROnPlateauOptions().factor(1.0)),
               auralflow::Error);
  EXPECT_THROW(ReduceLROnPlateau(*optimizer, ReduceLROnPlateauOptions().patience(-1)),
               auralflow::Error);
  EXPECT_THROW(ReduceLROnPlateau(*optimizer, ReduceLROnPlateauOptions().min_delta(-0.1)),
               auralflow::Error);
  EXPECT_THROW(ReduceLROnPlateau(*optimizer, ReduceLROnPlateauOptions().stop_patience(0)),
               auralflow::Error);
}

}  // namespace
