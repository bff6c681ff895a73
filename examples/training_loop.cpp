// Example 3: a custom training loop with SeparationModel's stateful calls.
//
// The Trainer (trainer.hpp, `auralflow train`) runs this loop with checkpoints, resume, early
// stopping, TensorBoard and distributed training. Written out, one step is
//   set_data(mixture, targets) → forward() → compute_loss() → backward() → optimizer_step()
// and one epoch ends with a validation loss (test()) handed to scheduler_step(), which lowers
// the learning rate on a plateau and says when to stop. save() writes a checkpoint, load()
// resumes from it.
//
// The data: a tiny generated dataset (synth.hpp, as `auralflow synth`): 2 training songs and 1
// test song of 4 seconds in MUSDB18-HQ layout. The model: a small SpectrogramNetSimple on 1 s
// mono chunks, so the whole program runs in seconds on a CPU.
//
// Usage: example_training_loop FOLDER   (writes FOLDER/data and FOLDER/my_model)
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <iostream>

#include "auralflow/config.hpp"
#include "auralflow/datasets.hpp"
#include "auralflow/model_folder.hpp"
#include "auralflow/separation_model.hpp"
#include "auralflow/synth.hpp"

int main(int argc, char** argv) {
  using namespace auralflow;
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " FOLDER\n";
    return 2;
  }
  const std::filesystem::path folder = argv[1];

  // Training data: FOLDER/data/{train,test}/synth_000N/{mixture,vocals,drums,bass,other}.wav.
  const std::filesystem::path data = folder / "data";
  synth::write_dataset(
      data,
      synth::SynthOptions().tracks(2).test_tracks(1).duration(4.0).seed(7).threads(1).force(true));

  // The model folder's config: what to separate, the network, the chunks, the optimizer.
  const ModelFolder model_folder =
      ModelFolder::create(folder, "my_model", "SpectrogramNetSimple", /*force=*/true);
  Config config = model_folder.load_config();
  config.set("targets", "vocals");
  config.set("hidden_channels", "4");
  config.set("sample_length", "1");  // seconds per chunk
  config.set("batch_size", "2");
  config.set("max_num_samples", "4");  // chunks per epoch: 2 batches
  config.set("num_workers", "0");      // batches are read on this thread
  config.set("lr", "0.001");
  model_folder.save_config(config);

  // Random chunks of the training songs (augmented: gain, channel swap, remix), and a fixed
  // validation batch from the test song without augmentation.
  const DatasetOptions options = DatasetOptions::from_config(config);
  const AudioFolder train(data, "train", options);
  DatasetOptions plain = options;
  plain.augment_gain(false).augment_channel_swap(false).augment_remix(false);
  const Batch validation = AudioFolder(data, "test", plain).batch(/*epoch=*/0, /*index=*/0);

  torch::manual_seed(0);
  const auto model = SeparationModel::create(config, torch::kCPU);
  int64_t step = 0;
  bool finite = true;  // every loss is a number
  for (int64_t epoch = 0; epoch < 2; ++epoch) {
    model->train();
    double train_loss = 0.0;
    int64_t batches = 0;
    auto epoch_batches = train.epoch(epoch);
    while (const auto batch = epoch_batches.next()) {
      // mixture (B, C, N), targets (B, K, C, N): K = 1 (vocals), C = 1 (mono), N = 44100.
      model->set_data(batch->mixture, batch->targets);
      model->forward();
      train_loss += model->compute_loss().item<double>();
      model->backward();
      model->optimizer_step();  // clips the gradients, steps, zeroes them
      ++step;
      ++batches;
    }
    model->eval();
    model->set_data(validation.mixture, validation.targets);
    const double valid_loss = model->test().item<double>();  // forward + loss, no gradients
    const bool stop = model->scheduler_step(valid_loss);
    std::cout << "epoch " << epoch + 1 << ": " << batches << " batches, train loss "
              << train_loss / static_cast<double>(batches) << ", valid loss " << valid_loss
              << (stop ? ", stop" : "") << "\n";
    finite = finite && std::isfinite(train_loss) && std::isfinite(valid_loss);
    if (stop) break;
  }

  // checkpoint/last.pth: weights, optimizer, scheduler, grad scaler and the step. The folder
  // is now a trained model folder: `auralflow separate FOLDER/my_model song.wav` uses it.
  std::filesystem::create_directories(model_folder.checkpoint_dir());
  model->save(model_folder.last_checkpoint(), step);
  std::cout << "saved " << model_folder.last_checkpoint().string() << " after " << step
            << " steps\n";

  // Resuming: a model built from the folder's config.json loads the checkpoint and its step.
  const auto resumed =
      SeparationModel::create(Config::load(model_folder.config_file()), torch::kCPU);
  const int64_t resumed_step = resumed->load(model_folder.last_checkpoint());

  // The example checks its result, so that the tests (ctest -R Examples) catch a change.
  if (!finite || step != 4 || resumed_step != step) {
    std::cerr << "error: a loss is not finite, or the checkpoint did not load back\n";
    return 1;
  }
  return 0;
}
