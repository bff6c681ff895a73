#include "auralflow/overlap_add.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "auralflow/error.hpp"

namespace auralflow {
namespace {

// (length,) linear fade-in and fade-out over `fade` samples, flat 1 between; every
// weight > 0, and overlapping fades of two chunks sum to exactly 1.
torch::Tensor trapezoid(int64_t length, int64_t fade) {
  const auto n = torch::arange(length, torch::kFloat64);
  const auto rise = (n + 1) / static_cast<double>(fade + 1);
  const auto fall = (static_cast<double>(length) - n) / static_cast<double>(fade + 1);
  return torch::minimum(torch::minimum(rise, fall), torch::ones_like(n)).to(torch::kFloat32);
}

}  // namespace

void check_overlap(double overlap) {
  if (!(overlap >= 0.0 && overlap <= kMaxOverlap)) {
    char message[96];
    std::snprintf(message, sizeof(message), "overlap must be in [0, %g], got %g", kMaxOverlap,
                  overlap);
    throw UsageError(message);
  }
}

OverlapAdd::OverlapAdd(OverlapAddOptions options, ChunkFunction model)
    : options_(options), model_(std::move(model)) {
  if (options_.chunk_length <= 0) throw Error("chunk length must be positive");
  check_overlap(options_.overlap);
  if (options_.batch_size <= 0) throw Error("batch size must be positive");
  hop_ = std::max<int64_t>(
      1, static_cast<int64_t>(std::llround(options_.chunk_length * (1.0 - options_.overlap))));
  weights_ = trapezoid(options_.chunk_length, options_.chunk_length - hop_);
}

void OverlapAdd::run_chunks(const std::vector<int64_t>& starts) {
  const int64_t length = options_.chunk_length;
  std::vector<torch::Tensor> chunks;
  for (const int64_t start : starts) {
    const int64_t offset = start - input_start_;
    const int64_t available = std::min(length, input_.size(-1) - offset);
    auto chunk = input_.narrow(-1, offset, available);  // (C, available)
    chunks.push_back(torch::constant_pad_nd(chunk, {0, length - available}));
  }
  torch::Tensor estimates;  // (B, K, C, L)
  {
    torch::NoGradGuard no_grad;
    estimates = model_(torch::stack(chunks).to(input_.device()));
  }
  if (estimates.dim() != 4 || estimates.size(0) != static_cast<int64_t>(starts.size()) ||
      estimates.size(-1) != length)
    throw Error("the model returned estimates of shape " + c10::str(estimates.sizes()) +
                "; expected (batch, targets, channels, " + std::to_string(length) + ")");
  const auto weights = weights_.to(estimates.device());
  const int64_t needed = starts.back() + length - output_start_;
  if (!sum_.defined()) {
    sum_ = torch::zeros({estimates.size(1), estimates.size(2), 0}, estimates.options());
    weight_sum_ = torch::zeros({0}, estimates.options());
  }
  if (sum_.size(-1) < needed) {
    sum_ = torch::constant_pad_nd(sum_, {0, needed - sum_.size(-1)});
    weight_sum_ = torch::constant_pad_nd(weight_sum_, {0, needed - weight_sum_.size(-1)});
  }
  for (size_t i = 0; i < starts.size(); ++i) {
    const int64_t offset = starts[i] - output_start_;
    sum_.narrow(-1, offset, length)
        .add_(estimates[static_cast<int64_t>(i)].to(sum_.dtype()) * weights);
    weight_sum_.narrow(-1, offset, length).add_(weights);
  }
}

void OverlapAdd::run_chunks_while(const std::function<bool(int64_t)>& wanted) {
  std::vector<int64_t> starts;
  while (wanted(next_chunk_)) {
    starts.push_back(next_chunk_);
    next_chunk_ += hop_;
    if (static_cast<int64_t>(starts.size()) == options_.batch_size) {
      run_chunks(starts);
      starts.clear();
    }
  }
  if (!starts.empty()) run_chunks(starts);
}

torch::Tensor OverlapAdd::release_until(int64_t end) {
  const int64_t count = std::min(end - output_start_, sum_.defined() ? sum_.size(-1) : 0);
  if (count <= 0) return sum_.defined() ? sum_.narrow(-1, 0, 0) : torch::Tensor();
  auto released = sum_.narrow(-1, 0, count) / weight_sum_.narrow(-1, 0, count);
  sum_ = sum_.narrow(-1, count, sum_.size(-1) - count);
  weight_sum_ = weight_sum_.narrow(-1, count, weight_sum_.size(-1) - count);
  output_start_ += count;
  return released;
}

int64_t OverlapAdd::buffered_samples() const {
  return (input_.defined() ? input_.size(-1) : 0) + (sum_.defined() ? sum_.size(-1) : 0);
}

torch::Tensor OverlapAdd::push(const torch::Tensor& audio) {
  if (audio.dim() != 2) throw Error("overlap-add input must be (channels, samples)");
  input_ = input_.defined() ? torch::cat({input_, audio}, -1) : audio;
  const int64_t input_end = input_start_ + input_.size(-1);
  run_chunks_while([&](int64_t start) { return start + options_.chunk_length <= input_end; });
  // Input before the next chunk is no longer needed.
  const int64_t drop = std::min(next_chunk_ - input_start_, input_.size(-1));
  input_ = input_.narrow(-1, drop, input_.size(-1) - drop);
  input_start_ += drop;
  return release_until(next_chunk_);
}

torch::Tensor OverlapAdd::finish() {
  const int64_t input_end = input_.defined() ? input_start_ + input_.size(-1) : 0;
  // Chunks that still start inside the input (the last one zero-padded); at least one
  // chunk covers a short input.
  run_chunks_while([&](int64_t start) {
    return start < input_end && (start == 0 || start + options_.chunk_length - hop_ < input_end);
  });
  return release_until(input_end);
}

}  // namespace auralflow
