#include "separator/pipeline.hpp"

#include <torch/torch.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <future>
#include <string>

#include "auralflow/error.hpp"
#include "auralflow/filtering.hpp"

namespace auralflow::detail {
namespace {

// Estimates (K, C, m) -> (K·C, m) for the back resampler; an empty release is (K·C, 0).
torch::Tensor as_rows(const torch::Tensor& estimates, int64_t rows) {
  if (!estimates.defined()) return torch::empty({rows, 0});
  return estimates.reshape({rows, estimates.size(-1)});
}

}  // namespace

Pipeline::Pipeline(const ChunkSeparator& model, const SeparatorOptions& options,
                   std::vector<int64_t> targets, int input_rate, int64_t input_channels)
    : model_(model),
      wiener_iterations_(options.wiener_iterations),
      workers_(std::max(1, options.workers)),
      targets_(torch::tensor(targets, torch::kInt64)),
      channels_(input_channels),
      to_model_(static_cast<int>(input_channels), input_rate, model.sample_rate),
      from_model_(static_cast<int>(targets.size() * input_channels), model.sample_rate, input_rate),
      overlap_add_({model.chunk_length, options.overlap, options.batch_size},
                   [this](const torch::Tensor& chunks) { return run_chunks(chunks); }),
      pending_mixture_(torch::empty({input_channels, 0})) {
  if (model.channels == 2 && input_channels > 2) {
    throw Error("the audio has " + std::to_string(input_channels) +
                " channels; a stereo model separates mono or stereo audio");
  }
}

torch::Tensor Pipeline::run_model(const torch::Tensor& items) const {
  const int64_t parts = std::min<int64_t>(workers_, items.size(0));
  if (parts <= 1) return model_.separate(items);
  const auto pieces = items.tensor_split(parts, 0);
  std::vector<std::future<torch::Tensor>> others;  // their destructors wait, also on a throw
  for (size_t i = 1; i < pieces.size(); ++i) {
    others.push_back(std::async(std::launch::async, [this, piece = pieces[i]] {
      at::init_num_threads();  // LibTorch's thread count, for this new thread too
      return model_.separate(piece);
    }));
  }
  std::vector<torch::Tensor> estimates{model_.separate(pieces[0])};
  for (auto& other : others) estimates.push_back(other.get());
  return torch::cat(estimates, 0);
}

torch::Tensor Pipeline::run_chunks(const torch::Tensor& chunks) const {
  const int64_t batch = chunks.size(0);
  const int64_t length = chunks.size(2);
  const auto num_targets = static_cast<int64_t>(model_.targets.size());
  torch::Tensor estimates;  // (B, K, C, L)
  if (channels_ == model_.channels) {
    estimates = run_model(chunks);
  } else if (model_.channels == 2) {  // mono into stereo: duplicate, average the estimates
    estimates = run_model(chunks.expand({batch, 2, length})).mean(2, /*keepdim=*/true);
  } else {  // C channels into mono: (B·C, 1, L) -> (B·C, K, 1, L) -> (B, K, C, L)
    estimates = run_model(chunks.reshape({batch * channels_, 1, length}))
                    .reshape({batch, channels_, num_targets, length})
                    .transpose(1, 2);
  }
  if (estimates.dim() != 4 || estimates.size(1) != num_targets) {
    throw Error("the model returned estimates of shape " + c10::str(estimates.sizes()) +
                "; expected (batch, " + std::to_string(num_targets) + " targets, channels, " +
                std::to_string(length) + ")");
  }
  if (wiener_iterations_ > 0) {
    estimates = wiener_filter(model_.transform, chunks, estimates, wiener_iterations_);
  }
  return estimates.index_select(1, targets_);
}

void Pipeline::track_buffers(int64_t block) {
  peak_buffered_ =
      std::max(peak_buffered_, block + overlap_add_.buffered_samples() + pending_mixture_.size(1));
}

SeparatedBlock Pipeline::emit(const torch::Tensor& estimates, bool last) {
  const int64_t rows = targets_.size(0) * channels_;
  torch::Tensor stems = from_model_.push(as_rows(estimates, rows));  // (K·C, m)
  if (last) stems = torch::cat({stems, from_model_.finish(to_model_.input_samples())}, 1);
  const int64_t count = stems.size(1);
  SeparatedBlock block{stems.reshape({targets_.size(0), channels_, count}),
                       pending_mixture_.narrow(1, 0, count)};
  pending_mixture_ = pending_mixture_.narrow(1, count, pending_mixture_.size(1) - count);
  return block;
}

SeparatedBlock Pipeline::push(const torch::Tensor& mixture) {
  if (mixture.dim() != 2 || mixture.size(0) != channels_) {
    throw Error("expected mixture audio shaped (" + std::to_string(channels_) + ", samples), got " +
                c10::str(mixture.sizes()));
  }
  const auto input = mixture.to(torch::kCPU, torch::kFloat);
  pending_mixture_ = torch::cat({pending_mixture_, input}, 1);
  const auto estimates = overlap_add_.push(to_model_.push(input));
  track_buffers(input.size(1));
  return emit(estimates, /*last=*/false);
}

SeparatedBlock Pipeline::finish() {
  const auto tail = overlap_add_.push(to_model_.finish());
  track_buffers(0);
  const auto rest = overlap_add_.finish();
  std::vector<torch::Tensor> parts;
  for (const auto& part : {tail, rest}) {
    if (part.defined()) parts.push_back(part);
  }
  const auto estimates = parts.empty() ? torch::Tensor() : torch::cat(parts, -1);
  return emit(estimates, /*last=*/true);
}

}  // namespace auralflow::detail
