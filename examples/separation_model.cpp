// Example 2: a SeparationModel from a config.json: separate a waveform.
//
// A model is described by a model folder's config.json (settings in four groups: model_params,
// dataset_params, training_params, visualizer_params; every key is listed in the README). This
// program does what `auralflow config my_model SpectrogramNetSimple --targets vocals,drums ...`
// does, then loads that config.json and builds a SeparationModel from it: the network with its
// STFT, loss, optimizer and LR schedule. separate() takes whole waveforms, (batch, channels,
// samples), and returns one waveform per target, (batch, targets, channels, samples).
//
// Usage: example_separation_model FOLDER   (writes FOLDER/my_model/config.json)
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "auralflow/config.hpp"
#include "auralflow/model_folder.hpp"
#include "auralflow/separation_model.hpp"

int main(int argc, char** argv) {
  using namespace auralflow;
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " FOLDER\n";
    return 2;
  }
  torch::manual_seed(0);

  // The template of the network type, edited and saved as FOLDER/my_model/config.json. Each
  // set() is validated (type, range, allowed values) and names the key when it is wrong.
  const ModelFolder folder = ModelFolder::create(argv[1], "my_model", "SpectrogramNetSimple",
                                                 /*force=*/true);
  Config config = folder.load_config();
  config.set("targets", "vocals,drums");
  config.set("hidden_channels", "8");
  config.set("num_channels", "2");
  folder.save_config(config);

  // Later, or in another program: load the config.json and build the model on the CPU.
  const Config loaded = Config::load(folder.config_file());
  const std::unique_ptr<SeparationModel> model = SeparationModel::create(loaded, torch::kCPU);
  model->eval();  // separate() runs in inference mode; eval() turns dropout off

  // Two seconds of a stereo test signal at the config's rate: a 440 Hz tone plus noise.
  const int64_t rate = loaded.get_int("sample_rate");
  const torch::Tensor time = torch::arange(2 * rate, torch::kFloat32) / static_cast<double>(rate);
  const torch::Tensor tone = 0.3 * torch::sin(2 * M_PI * 440.0 * time);
  const torch::Tensor mixture = (tone + 0.05 * torch::randn({1, 2, 2 * rate})).clamp(-1, 1);

  const torch::Tensor stems = model->separate(mixture);  // (1, 2, 2, 2·rate)
  std::cout << "config: " << folder.config_file().string() << "\n"
            << "model: " << model->network().type() << ", targets:";
  for (const auto& target : model->targets()) std::cout << " " << target;
  std::cout << "\nmixture: " << mixture.sizes() << "\nstems: " << stems.sizes() << "\n";
  for (size_t k = 0; k < model->targets().size(); ++k) {
    const double rms = stems[0][static_cast<int64_t>(k)].square().mean().sqrt().item<double>();
    std::cout << model->targets()[k] << " rms: " << rms << "\n";
  }

  // The example checks its result, so that the tests (ctest -R Examples) catch a change.
  if (model->targets() != std::vector<std::string>{"vocals", "drums"} ||
      stems.sizes().vec() != std::vector<int64_t>{1, 2, 2, 2 * rate} ||
      !torch::isfinite(stems).all().item<bool>()) {
    std::cerr << "error: unexpected targets or stems\n";
    return 1;
  }
  return 0;
}
