// make_network: every model type from its config template, the waveform keys reach the
// AudioNets, and HybridNet branches chosen by type name or taken from trained model folders.
#include <gtest/gtest.h>

#include "auralflow/error.hpp"
#include "auralflow/model_folder.hpp"
#include "auralflow/models/hybrid_net.hpp"
#include "auralflow/network.hpp"
#include "auralflow/separation_model.hpp"
#include "auralflow/state_dict.hpp"
#include "test_support.hpp"

using auralflow::Config;
using auralflow::Domain;
using auralflow::make_network;
using auralflow::ModelFolder;
using auralflow::testing::TempDir;

namespace {

// Small sizes so that every type builds and runs in well under a second.
const auralflow::testing::Settings kSmallSettings = {
    {"num_fft", "64"},        {"window_size", "64"}, {"hop_length", "16"},
    {"hidden_channels", "2"}, {"hidden_size", "4"},  {"recurrent_depth", "1"},
    {"wave_depth", "2"},      {"num_channels", "2"}, {"targets", "vocals,drums"}};

Config small_config(const std::string& type) {
  Config config = Config::from_template(type, "small");
  for (const auto& [key, value] : kSmallSettings) config.set(key, value);
  return config;
}

int64_t count_parameters(const torch::nn::Module& module) {
  int64_t count = 0;
  for (const auto& p : module.parameters()) count += p.numel();
  return count;
}

// A model folder under `parent` holding a checkpoint of a fresh small `type` network.
ModelFolder trained_folder(const TempDir& parent, const std::string& name,
                           const std::string& type) {
  return auralflow::testing::write_model_folder(parent.path(), name, type, kSmallSettings);
}

}  // namespace

class EveryType : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryType, BuildsFromItsConfigAndRunsStereoTwoTargets) {
  auto network = make_network(small_config(GetParam()));
  EXPECT_EQ(network.type(), GetParam());
  network.module().eval();
  torch::NoGradGuard no_grad;
  const bool spectrogram = network.domain() == Domain::Spectrogram;
  const auto input = spectrogram ? torch::rand({1, 2, 33, 9}) : torch::randn({1, 2, 777});
  const auto out = network(input);
  const std::vector<int64_t> expected =
      spectrogram ? std::vector<int64_t>{1, 2, 2, 33, 9} : std::vector<int64_t>{1, 2, 2, 777};
  EXPECT_EQ(out.estimate.sizes().vec(), expected);
  EXPECT_EQ(out.mu.defined(), GetParam().find("VAE") != std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(AllNetworks, EveryType, ::testing::ValuesIn(auralflow::model_types()));

TEST(MakeNetwork, WaveKeysShapeTheAudioNets) {
  auto config = small_config("AudioNetSimple");
  const auto shallow = count_parameters(make_network(config).module());
  config.set("wave_depth", "3");
  const auto deeper = count_parameters(make_network(config).module());
  config.set("wave_kernel_size", "12");
  const auto wider = count_parameters(make_network(config).module());
  EXPECT_LT(shallow, deeper);
  EXPECT_LT(deeper, wider);
}

TEST(MakeNetwork, SameSeedSameWeights) {
  const auto config = small_config("HybridNet");
  const auto a = auralflow::state_dict(make_network(config).module());
  const auto b = auralflow::state_dict(make_network(config).module());
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, tensor] : a) EXPECT_TRUE(torch::equal(tensor, b.at(name))) << name;
}

TEST(HybridNetwork, BranchTypesComeFromTheConfig) {
  auto config = small_config("HybridNet");
  config.set("spectrogram_model", "SpectrogramNetVAE");
  config.set("audio_model", "AudioNetSimple");
  auto network = make_network(config);
  auto& net = dynamic_cast<auralflow::models::HybridNetImpl&>(network.module());
  EXPECT_TRUE(std::holds_alternative<auralflow::models::SpectrogramNetVAE>(net.spectrogram));
  EXPECT_TRUE(std::holds_alternative<auralflow::models::AudioNetSimple>(net.waveform));
  // The VAE branch's latent reaches the output for the KL term.
  network.module().train();
  EXPECT_TRUE(network(torch::randn({1, 2, 500})).mu.defined());
}

TEST(HybridNetwork, BranchesFromTrainedFoldersKeepTheirWeights) {
  TempDir dir;
  const auto spectrogram = trained_folder(dir, "spec", "SpectrogramNetSimple");
  const auto waveform = trained_folder(dir, "wave", "AudioNetVAE");
  auto config = small_config("HybridNet");
  config.set("spectrogram_model", spectrogram.root().string());
  config.set("audio_model", waveform.root().string());
  const auto hybrid = auralflow::state_dict(make_network(config).module());

  const auto check = [&](const ModelFolder& folder, const std::string& prefix) {
    auto model = auralflow::SeparationModel::create(folder.load_config(), torch::kCPU);
    model->load(folder.best_checkpoint(), {true, false, false, false});
    for (const auto& [name, tensor] : auralflow::state_dict(model->network().module()))
      EXPECT_TRUE(torch::equal(tensor, hybrid.at(prefix + name))) << prefix << name;
  };
  check(spectrogram, "spectrogram.");
  check(waveform, "waveform.");
}

TEST(HybridNetwork, BadBranchSettingsAreClearErrors) {
  TempDir dir;
  const auto waveform = trained_folder(dir, "wave", "AudioNetSimple");
  auto config = small_config("HybridNet");
  config.set("spectrogram_model", waveform.root().string());
  try {
    make_network(config);
    FAIL() << "a waveform model as the spectrogram branch was accepted";
  } catch (const auralflow::Error& error) {
    EXPECT_NE(std::string(error.what()).find("is a AudioNetSimple"), std::string::npos)
        << error.what();
  }
  config.set("spectrogram_model", (dir / "missing").string());
  EXPECT_THROW(make_network(config), auralflow::Error);

  const auto untrained = ModelFolder::create(dir.path(), "untrained", "AudioNetSimple", false);
  config.set("spectrogram_model", "");
  config.set("audio_model", untrained.root().string());
  try {
    make_network(config);
    FAIL() << "a model folder without checkpoint was accepted";
  } catch (const auralflow::Error& error) {
    EXPECT_NE(std::string(error.what()).find("no checkpoint"), std::string::npos) << error.what();
  }
}
