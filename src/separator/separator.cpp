#include "auralflow/separator.hpp"
#include "auralflow/audio.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "auralflow/atomic_file.hpp"
#include "auralflow/audio_stream.hpp"
#include "auralflow/error.hpp"
#include "separator/pipeline.hpp"

namespace auralflow {
namespace {

// "1.50 s".
std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f s", seconds);
  return text;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// Calls write(temporaries) with a temporary sibling per target (write_atomically, nested),
// so all targets are renamed into place when it returns and none when it throws.
void write_all_atomically(
    const std::vector<std::filesystem::path>& targets,
    std::vector<std::filesystem::path>& temporaries,
    const std::function<void(const std::vector<std::filesystem::path>&)>& write) {
  if (temporaries.size() == targets.size()) return write(temporaries);
  write_atomically(targets[temporaries.size()], [&](const std::filesystem::path& temporary) {
    temporaries.push_back(temporary);
    write_all_atomically(targets, temporaries, write);
  });
}

}  // namespace

ChunkSeparator ChunkSeparator::from(std::shared_ptr<SeparationModel> model) {
  const Config& config = model->config();
  ChunkSeparator wrapped;
  wrapped.targets = model->targets();
  wrapped.sample_rate = static_cast<int>(config.get_int("sample_rate"));
  wrapped.channels = static_cast<int>(config.get_int("num_channels"));
  wrapped.chunk_length = audio::samples_of(config.get_double("sample_length"), wrapped.sample_rate);
  wrapped.transform = transform_of(config);
  model->eval();
  wrapped.separate = [model](const torch::Tensor& chunks) {
    return model->separate(chunks.to(model->device())).to(torch::kCPU, torch::kFloat);
  };
  return wrapped;
}

Separator::Separator(ChunkSeparator model, SeparatorOptions options)
    : model_(std::move(model)), options_(std::move(options)) {
  check_overlap(options_.overlap);
  if (options_.batch_size < 1) {
    throw UsageError("batch size must be at least 1, got " + std::to_string(options_.batch_size));
  }
  if (options_.workers < 1) {
    throw UsageError("workers must be at least 1, got " + std::to_string(options_.workers));
  }
  if (options_.wiener_iterations < 0) {
    throw UsageError("Wiener iterations must be >= 0, got " +
                     std::to_string(options_.wiener_iterations));
  }
  targets_ = options_.targets.empty() ? model_.targets : options_.targets;
  for (const auto& target : targets_) {
    const auto found = std::find(model_.targets.begin(), model_.targets.end(), target);
    if (found == model_.targets.end()) {
      throw UsageError("unknown target '" + target + "'; the model separates " +
                       joined(model_.targets));
    }
    if (std::count(targets_.begin(), targets_.end(), target) > 1) {
      throw UsageError("target '" + target + "' is asked for twice");
    }
    target_indices_.push_back(found - model_.targets.begin());
  }
}

torch::Tensor Separator::separate(const torch::Tensor& mixture, int sample_rate) const {
  if (mixture.dim() != 2) {
    throw Error("separate: expected audio shaped (channels, samples), got " +
                c10::str(mixture.sizes()));
  }
  detail::Pipeline pipeline(model_, options_, target_indices_, sample_rate, mixture.size(0));
  const auto first = pipeline.push(mixture);
  const auto rest = pipeline.finish();
  return torch::cat({first.stems, rest.stems}, -1).to(mixture.device());  // (K, C, N)
}

std::vector<std::filesystem::path> Separator::output_files(const std::filesystem::path& track_dir,
                                                           bool residual,
                                                           audio::SampleFormat format) const {
  const std::string extension = format == audio::SampleFormat::Flac ? ".flac" : ".wav";
  std::vector<std::filesystem::path> files{track_dir / ("original" + extension)};
  for (const auto& target : targets_) files.push_back(track_dir / (target + extension));
  if (residual) files.push_back(track_dir / ("residual" + extension));
  return files;
}

TrackResult Separator::separate_file(const std::filesystem::path& input,
                                     const std::filesystem::path& track_dir,
                                     const TrackOptions& options) const {
  TrackResult result;
  result.files = output_files(track_dir, options.residual, options.format);
  const auto exists = [](const auto& file) { return std::filesystem::exists(file); };
  if (!options.force && std::all_of(result.files.begin(), result.files.end(), exists)) {
    result.skipped = true;  // done by an earlier run
    return result;
  }
  if (!options.force) {
    for (const auto& file : result.files) {
      if (std::filesystem::exists(file)) {
        throw ExistsError(file_message(file.string(), "already exists"));
      }
    }
  }
  audio::StreamReader reader(input.string(), {options.offset, options.duration, 0});
  result.sample_rate = reader.info().sample_rate;
  result.channels = reader.info().channels;
  // The input's own faults (channels, samples) name the input, not the model or an output.
  const auto input_error = [&](const std::string& what) {
    return Error(file_message(input.string(), what));
  };
  std::optional<detail::Pipeline> pipeline;
  try {
    pipeline.emplace(model_, options_, target_indices_, result.sample_rate, result.channels);
  } catch (const Error& error) {
    throw input_error(error.what());
  }
  // Blocks of batch_size hops (at the input rate), so that each forward gets a full batch.
  const auto hop = static_cast<double>(model_.chunk_length) * (1.0 - options_.overlap);
  const auto block_frames = std::max<int64_t>(
      4096, std::llround(options_.batch_size * hop * result.sample_rate / model_.sample_rate));
  const auto check_samples = [&](const torch::Tensor& block) {  // (C, n)
    if (torch::isfinite(block).all().item<bool>()) return;
    const auto first = reader.position() - block.size(1);  // of the block, in the range
    throw input_error(
        "has NaN or infinite samples (in the block from " +
        seconds_text(options.offset + static_cast<double>(first) / result.sample_rate) + ")");
  };
  torch::Tensor block = reader.read(block_frames);  // (C, n)
  if (block.size(1) == 0) {
    throw input_error(reader.info().frames == 0
                          ? "holds no audio (0 frames)"
                          : "no audio to separate (the range starts at " +
                                seconds_text(options.offset) + "; the file is " +
                                seconds_text(reader.info().duration) + " long)");
  }
  check_samples(block);
  const bool new_folder = !std::filesystem::exists(track_dir);
  std::error_code error;
  std::filesystem::create_directories(track_dir, error);
  if (error) {
    throw Error(file_message(track_dir.string(), "cannot create the folder: " + error.message()));
  }

  std::vector<std::filesystem::path> temporaries;
  try {
    write_all_atomically(result.files, temporaries, [&](const auto& paths) {
      std::vector<std::unique_ptr<audio::StreamWriter>> writers;
      for (size_t i = 0; i < paths.size(); ++i) {
        writers.push_back(std::make_unique<audio::StreamWriter>(
            paths[i].string(), result.sample_rate, result.channels, options.format,
            result.files[i].string()));
      }
      const auto write = [&](const detail::SeparatedBlock& separated) {
        for (size_t k = 0; k < targets_.size(); ++k) {
          writers[k + 1]->write(separated.stems[static_cast<int64_t>(k)]);
        }
        if (options.residual) writers.back()->write(separated.mixture - separated.stems.sum(0));
      };
      try {
        for (; block.size(1) > 0; block = reader.read(block_frames)) {
          check_samples(block);
          writers.front()->write(block);
          write(pipeline->push(block));
          if (options.progress) options.progress(reader.position(), reader.expected_frames());
        }
        write(pipeline->finish());
      } catch (const c10::Error& failure) {  // from the model: name the input, drop the trace
        throw input_error(failure.what_without_backtrace());
      }
      for (auto& writer : writers) writer->close();
    });
  } catch (...) {
    if (new_folder) std::filesystem::remove(track_dir, error);  // only when left empty
    throw;
  }
  result.frames = reader.position();
  result.peak_buffered_samples = pipeline->peak_buffered_samples();
  return result;
}

}  // namespace auralflow
