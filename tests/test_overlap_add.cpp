// Chunked overlap-add separation: exact reconstruction, streaming, bounded memory.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "auralflow/error.hpp"
#include "auralflow/overlap_add.hpp"

using auralflow::OverlapAdd;
using auralflow::OverlapAddOptions;

namespace {

// (B, C, L) -> (B, 1, C, L): the estimate is the input.
torch::Tensor identity(const torch::Tensor& chunks) { return chunks.unsqueeze(1); }

// Pushes `audio` (C, N) in blocks of `block` samples and joins every output.
torch::Tensor run_streaming(OverlapAdd& overlap_add, const torch::Tensor& audio, int64_t block) {
  std::vector<torch::Tensor> outputs;
  for (int64_t start = 0; start < audio.size(-1); start += block) {
    const int64_t count = std::min(block, audio.size(-1) - start);
    const auto out = overlap_add.push(audio.narrow(-1, start, count));
    if (out.defined()) outputs.push_back(out);
  }
  outputs.push_back(overlap_add.finish());
  return torch::cat(outputs, -1);
}

}  // namespace

TEST(OverlapAdd, IdentityModelReproducesInputWithoutSeams) {
  torch::manual_seed(0);
  const auto audio = torch::randn({2, 10007});
  for (const double overlap : {0.0, 0.25, 0.5, 0.75}) {
    for (const int64_t block : {1000, 4096, 20000}) {
      OverlapAdd overlap_add({1024, overlap, 3}, identity);
      const auto out = run_streaming(overlap_add, audio, block);
      ASSERT_EQ(out.sizes(), (std::vector<int64_t>{1, 2, 10007}));
      EXPECT_LT((out[0] - audio).abs().max().item<double>(), 1e-5)
          << "overlap " << overlap << " block " << block;
    }
  }
}

TEST(OverlapAdd, OverlapOutsideItsRangeIsAUsageError) {
  for (const double overlap : {-0.1, 0.95, 1.0}) {
    try {
      OverlapAdd({1024, overlap, 1}, identity);
      FAIL() << "accepted overlap " << overlap;
    } catch (const auralflow::UsageError& error) {
      EXPECT_NE(std::string(error.what()).find("[0, 0.9]"), std::string::npos) << error.what();
    }
  }
  EXPECT_NO_THROW(OverlapAdd({1024, auralflow::kMaxOverlap, 1}, identity));
}

TEST(OverlapAdd, InputShorterThanOneChunk) {
  const auto audio = torch::randn({1, 300});
  OverlapAdd overlap_add({1024, 0.25, 4}, identity);
  const auto out = run_streaming(overlap_add, audio, 300);
  ASSERT_EQ(out.size(-1), 300);
  EXPECT_LT((out[0] - audio).abs().max().item<double>(), 1e-6);
}

TEST(OverlapAdd, CrossFadeIsSmoothBetweenChunksOfDifferentEstimates) {
  // Each chunk's estimate is a constant equal to its index: without a cross-fade the
  // output would jump by 1 at each boundary; with a 500-sample fade a step is at most 2/500
  // (where one fade ends and the next begins).
  int calls = 0;
  auto staircase = [&](const torch::Tensor& chunks) {
    auto out = torch::zeros({chunks.size(0), 1, chunks.size(1), chunks.size(2)});
    for (int64_t i = 0; i < chunks.size(0); ++i) out[i].fill_(static_cast<float>(calls++));
    return out;
  };
  OverlapAdd overlap_add({1000, 0.5, 2}, staircase);
  const auto out = run_streaming(overlap_add, torch::zeros({1, 8000}), 700);
  const auto steps = (out.narrow(-1, 1, 7999) - out.narrow(-1, 0, 7999)).abs();
  EXPECT_LE(steps.max().item<double>(), 2.0 / 500 + 1e-5);
  EXPECT_GT(out.max().item<double>(), 10.0);  // the chunks really differed
}

TEST(OverlapAdd, SeveralTargetsAndBatching) {
  std::vector<int64_t> batch_sizes;
  auto two_targets = [&](const torch::Tensor& chunks) {
    batch_sizes.push_back(chunks.size(0));
    return torch::stack({chunks * 0.25, chunks * 0.75}, 1);  // (B, 2, C, L)
  };
  const auto audio = torch::randn({2, 5000});
  OverlapAdd overlap_add({1000, 0.0, 2}, two_targets);
  const auto out = run_streaming(overlap_add, audio, 5000);
  ASSERT_EQ(out.sizes(), (std::vector<int64_t>{2, 2, 5000}));
  EXPECT_TRUE(torch::allclose(out.sum(0), audio, 1e-5, 1e-6));
  EXPECT_EQ(batch_sizes, (std::vector<int64_t>{2, 2, 1}));
}

TEST(OverlapAdd, MemoryStaysBoundedForLongInput) {
  // Test-sized proxy of a 10-minute track: 400 chunks pushed in small blocks.
  OverlapAdd overlap_add({512, 0.25, 4}, identity);
  int64_t most_buffered = 0;
  int64_t produced = 0;
  for (int i = 0; i < 400; ++i) {
    produced += overlap_add.push(torch::randn({2, 384})).size(-1);
    most_buffered = std::max(most_buffered, overlap_add.buffered_samples());
  }
  produced += overlap_add.finish().size(-1);
  EXPECT_EQ(produced, 400 * 384);
  EXPECT_LE(most_buffered, 4 * 512 + 4 * 384);
}

TEST(OverlapAdd, RejectsBadOptionsAndBadModelOutput) {
  EXPECT_THROW(OverlapAdd({0, 0.25, 1}, identity), auralflow::Error);
  EXPECT_THROW(OverlapAdd({100, 1.0, 1}, identity), auralflow::Error);
  OverlapAdd wrong({100, 0.0, 1}, [](const torch::Tensor& x) { return x; });
  EXPECT_THROW(wrong.push(torch::zeros({1, 200})), auralflow::Error);
}
