// Every network, through SeparationModel, learns a tiny two-source separation:
// the training loss falls well below its start within a few hundred steps.
#include <gtest/gtest.h>

#include "auralflow/config.hpp"
#include "auralflow/separation_model.hpp"

using auralflow::Config;
using auralflow::SeparationModel;

namespace {

Config tiny_config(const std::string& type) {
  Config config = Config::from_template(type, "tiny");
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"num_fft", "64"},
                                                        {"window_size", "64"},
                                                        {"hop_length", "16"},
                                                        {"hidden_channels", "2"},
                                                        {"hidden_size", "8"},
                                                        {"recurrent_depth", "1"},
                                                        {"wave_depth", "2"},
                                                        {"num_channels", "1"},
                                                        {"sample_rate", "8000"},
                                                        {"sample_length", "0.128"},
                                                        {"lr", "0.005"},
                                                        {"lr_lstm", "0.005"},
                                                        {"dropout_p", "0"},
                                                        {"criterion", "l1"},
                                                        {"targets", "vocals"}})
    config.set(key, value);
  return config;
}

}  // namespace

class Overfit : public ::testing::TestWithParam<std::string> {};

TEST_P(Overfit, LossFallsWellBelowItsStart) {
  torch::manual_seed(0);
  auto model = SeparationModel::create(tiny_config(GetParam()), torch::kCPU);
  const int64_t samples = 1024;
  const auto t = torch::arange(samples).to(torch::kFloat32) / 8000.0;
  const auto target = (0.5 * torch::sin(2 * M_PI * 500.0 * t)).reshape({1, 1, samples});
  const auto noise = 0.3 * torch::randn({1, 1, samples});
  model->train();
  model->set_data(target + noise, target.unsqueeze(1));
  double first = 0.0, best = 1e30;
  for (int step = 0; step < 150; ++step) {
    model->forward();
    const double loss = model->compute_loss().item<double>();
    if (step == 0) first = loss;
    best = std::min(best, loss);
    model->backward();
    model->optimizer_step();
  }
  EXPECT_LT(best, 0.5 * first) << GetParam() << ": first " << first << ", best " << best;
}

INSTANTIATE_TEST_SUITE_P(AllNetworks, Overfit, ::testing::ValuesIn(auralflow::model_types()));
