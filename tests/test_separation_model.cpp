// SeparationModel: the training step API, separation, checkpoints.
#include <gtest/gtest.h>

#include "auralflow/error.hpp"
#include "auralflow/separation_model.hpp"
#include "test_support.hpp"

using auralflow::Config;
using auralflow::SeparationModel;
using auralflow::testing::TempDir;

namespace {

// A small spectrogram model: 33 bins, 2 hidden channels.
Config tiny_config(const std::string& type, const std::string& targets = "vocals") {
  Config config = Config::from_template(type, "tiny");
  config.set("num_fft", "64");
  config.set("window_size", "64");
  config.set("hop_length", "16");
  config.set("hidden_channels", "2");
  config.set("hidden_size", "16");
  config.set("recurrent_depth", "1");
  config.set("targets", targets);
  config.set("num_channels", "2");
  config.set("lr", "0.01");
  config.set("lr_lstm", "0.002");
  return config;
}

// A two-source mixture: a sine (target) and noise (the other source). (B, C, N), (B, 1, C, N)
std::pair<torch::Tensor, torch::Tensor> two_sources(int64_t batch, int64_t samples) {
  torch::manual_seed(1);
  const auto t = torch::arange(samples).to(torch::kFloat32) / 8000.0;
  const auto sine = (0.5 * torch::sin(2 * M_PI * 440.0 * t)).expand({batch, 2, samples});
  const auto noise = 0.3 * torch::randn({batch, 2, samples});
  return {sine + noise, sine.unsqueeze(1).contiguous()};
}

}  // namespace

TEST(SeparationModel, TrainingStepsReduceTheLoss) {
  auto model = SeparationModel::create(tiny_config("SpectrogramNetSimple"), torch::kCPU);
  const auto [mixture, target] = two_sources(2, 2048);
  model->train();
  model->set_data(mixture, target);
  double first = 0, last = 0;
  for (int step = 0; step < 40; ++step) {
    model->forward();
    last = model->compute_loss().item<double>();
    if (step == 0) first = last;
    model->backward();
    EXPECT_TRUE(model->optimizer_step());
  }
  EXPECT_LT(last, 0.6 * first) << "first " << first << " last " << last;
}

TEST(SeparationModel, SeparateKeepsLengthAndTargets) {
  auto model = SeparationModel::create(
      tiny_config("SpectrogramNetSimple", "vocals,drums,bass,other"), torch::kCPU);
  model->eval();
  for (const int64_t length : {1000, 4096, 5555}) {
    const auto out = model->separate(torch::randn({1, 2, length}));
    EXPECT_EQ(out.sizes(), (std::vector<int64_t>{1, 4, 2, length}));
  }
}

TEST(SeparationModel, SaveLoadGivesIdenticalOutputsAndState) {
  TempDir dir;
  const auto config = tiny_config("SpectrogramNetLSTM");
  auto model = SeparationModel::create(config, torch::kCPU);
  const auto [mixture, target] = two_sources(2, 1024);
  model->train();
  model->set_data(mixture, target);
  for (int step = 0; step < 3; ++step) {
    model->forward();
    model->compute_loss();
    model->backward();
    model->optimizer_step();
  }
  model->scheduler_step(1.0);
  model->scheduler_step(2.0);
  model->save(dir / "last.pth", 3);

  auto restored = SeparationModel::create(config, torch::kCPU);
  EXPECT_EQ(restored->load(dir / "last.pth"), 3);
  model->eval();
  restored->eval();
  const auto input = torch::randn({1, 2, 3000});
  EXPECT_TRUE(torch::equal(model->separate(input), restored->separate(input)));
  // Optimizer moments came back too: the next step changes both models identically.
  for (auto* m : {model.get(), restored.get()}) {
    m->train();
    torch::manual_seed(5);
    m->set_data(mixture, target);
    m->forward();
    m->compute_loss();
    m->backward();
    m->optimizer_step();
    m->eval();
  }
  EXPECT_TRUE(torch::allclose(model->separate(input), restored->separate(input), 1e-5, 1e-6));
}

TEST(SeparationModel, RecurrentLayersGetTheirOwnLearningRate) {
  auto model = SeparationModel::create(tiny_config("SpectrogramNetLSTM"), torch::kCPU);
  auto& groups = model->optimizer().param_groups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_DOUBLE_EQ(groups[0].options().get_lr(), 0.01);
  EXPECT_DOUBLE_EQ(groups[1].options().get_lr(), 0.002);
  const auto lstm_weight = model->network().module().named_parameters()["lstm.weight_ih_l0"];
  bool found = false;
  for (const auto& p : groups[1].params()) found |= p.is_same(lstm_weight);
  EXPECT_TRUE(found);
}

TEST(SeparationModel, CheckpointOfAnotherTypeOrShapeIsRefused) {
  TempDir dir;
  SeparationModel::create(tiny_config("SpectrogramNetSimple"), torch::kCPU)
      ->save(dir / "simple.pth", 0);
  auto lstm = SeparationModel::create(tiny_config("SpectrogramNetLSTM"), torch::kCPU);
  try {
    lstm->load(dir / "simple.pth");
    FAIL() << "expected an error";
  } catch (const auralflow::Error& error) {
    EXPECT_NE(std::string(error.what()).find("SpectrogramNetSimple"), std::string::npos)
        << error.what();
  }
  auto config = tiny_config("SpectrogramNetSimple");
  config.set("hidden_channels", "4");
  auto wider = SeparationModel::create(config, torch::kCPU);
  EXPECT_THROW(wider->load(dir / "simple.pth"), auralflow::Error);
  auralflow::testing::write_bytes(dir / "broken.pth", "not a checkpoint");
  EXPECT_THROW(wider->load(dir / "broken.pth"), auralflow::Error);
}

TEST(SeparationModel, BadDataShapesAreErrors) {
  auto model = SeparationModel::create(tiny_config("SpectrogramNetSimple"), torch::kCPU);
  EXPECT_THROW(model->set_data(torch::zeros({2, 1000})), auralflow::Error);
  EXPECT_THROW(model->set_data(torch::zeros({1, 2, 1000}), torch::zeros({1, 2, 2, 1000})),
               auralflow::Error);
  EXPECT_THROW(model->compute_loss(), auralflow::Error);
}

TEST(SeparationModel, SeparateFollowsWeightChangesOfTheFoldedNetwork) {
  // separate() runs a BatchNorm-folded copy of the network in eval mode; it must match the
  // module's own forward, also after a training step changed the weights and statistics.
  for (const std::string type : {"SpectrogramNetSimple", "SpectrogramNetLSTM"}) {
    SCOPED_TRACE(type);
    torch::manual_seed(11);
    Config config = tiny_config(type);
    auto model = SeparationModel::create(config, torch::kCPU);
    const auto input = torch::randn({2, 2, 3000});
    const auto unfolded = [&] {
      torch::NoGradGuard no_grad;
      model->set_data(input);
      model->forward();
      return model->estimate_audio();
    };
    for (int round = 0; round < 2; ++round) {
      model->eval();
      const auto separated = model->separate(input);
      const auto expected = unfolded();
      EXPECT_LE((separated - expected).abs().max().item<double>(),
                1e-4 * std::max(1.0, expected.abs().max().item<double>()))
          << "round " << round;
      model->train();  // a step: new weights and running statistics
      const auto target = torch::randn({2, 1, 2, 3000});
      model->set_data(input, target);
      model->forward();
      model->compute_loss();
      model->backward();
      model->optimizer_step();
    }
  }
}

TEST(SeparationModel, InferencePrecisionChoosesTheBFloat16FormWhereThereIsOne) {
  using auralflow::InferencePrecision;
  torch::manual_seed(12);
  auto model = SeparationModel::create(tiny_config("SpectrogramNetSimple"), torch::kCPU);
  model->eval();
  ASSERT_TRUE(model->has_bfloat16_form());
  EXPECT_EQ(model->inference_precision(), InferencePrecision::kFloat32);  // the default
  const auto input = torch::randn({2, 2, 3000});
  const auto single = model->separate(input);
  model->set_inference_precision(InferencePrecision::kBFloat16);
  EXPECT_TRUE(model->separates_in_bfloat16());
  const auto half = model->separate(input);
  // The estimate differs by bfloat16 rounding of the mask: ~40 dB below the estimate itself.
  const double error = (half - single).pow(2).sum().item<double>();
  const double energy = single.pow(2).sum().item<double>();
  EXPECT_GT(error, 0.0);
  EXPECT_LT(error, 1e-3 * energy);
  model->set_inference_precision(InferencePrecision::kAuto);
  EXPECT_EQ(model->separates_in_bfloat16(), auralflow::cpu_computes_bfloat16());
  model->set_inference_precision(InferencePrecision::kFloat32);
  EXPECT_TRUE(model->separate(input).equal(single));  // back to the float32 form

  // Networks without a bfloat16 form: auto stays float32, bfloat16 is an error naming it.
  auto umx = SeparationModel::create(tiny_config("SpectrogramNetUMX"), torch::kCPU);
  EXPECT_FALSE(umx->has_bfloat16_form());
  umx->set_inference_precision(InferencePrecision::kAuto);
  EXPECT_FALSE(umx->separates_in_bfloat16());
  try {
    umx->set_inference_precision(InferencePrecision::kBFloat16);
    FAIL() << "no error";
  } catch (const auralflow::Error& error) {
    EXPECT_NE(std::string(error.what()).find("SpectrogramNetUMX"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(umx->inference_precision(), InferencePrecision::kAuto);  // unchanged
}

TEST(InferencePrecision, NamesRoundTripAndUnknownOnesAreErrors) {
  using auralflow::InferencePrecision;
  for (const auto precision :
       {InferencePrecision::kAuto, InferencePrecision::kFloat32, InferencePrecision::kBFloat16}) {
    EXPECT_EQ(auralflow::parse_inference_precision(auralflow::to_string(precision)), precision);
  }
  EXPECT_EQ(auralflow::to_string(InferencePrecision::kBFloat16), "bfloat16");
  EXPECT_THROW(auralflow::parse_inference_precision("half"), auralflow::Error);
  EXPECT_THROW(auralflow::parse_inference_precision(""), auralflow::Error);
}
