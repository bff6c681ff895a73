// The multichannel Wiener filter (filtering.hpp) against norbert's expectation_maximization:
// reference vectors in tests/data/wiener (made by tests/data/make_wiener.py).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "auralflow/error.hpp"
#include "auralflow/filtering.hpp"
#include "test_support.hpp"

namespace {

// [re, im, ...] of `shape` -> a complex double tensor of that shape.
torch::Tensor complex_tensor(const nlohmann::json& pairs, std::vector<int64_t> shape) {
  const auto values = pairs.get<std::vector<double>>();
  shape.push_back(2);
  return torch::view_as_complex(torch::tensor(values, torch::kDouble).reshape(shape));
}

}  // namespace

TEST(WienerFilter, ExpectationMaximizationMatchesNorbert) {
  std::ifstream stream(auralflow::testing::fixture_path("wiener/norbert_em.json"));
  const auto document = nlohmann::json::parse(stream);
  ASSERT_EQ(document["cases"].size(), 3u);
  for (const auto& item : document["cases"]) {
    const int64_t frames = item["frames"], bins = item["bins"], channels = item["channels"],
                  sources = item["sources"];
    // norbert: x (T, F, C), y (T, F, C, J); here x (B, F, T, C), y (B, J, F, T, C).
    const auto x = complex_tensor(item["x"], {frames, bins, channels}).permute({1, 0, 2});
    const auto y =
        complex_tensor(item["y"], {frames, bins, channels, sources}).permute({3, 1, 0, 2});
    const auto expected =
        complex_tensor(item["expected"], {frames, bins, channels, sources}).permute({3, 1, 0, 2});
    const auto refined = auralflow::wiener_expectation_maximization(
        x.unsqueeze(0), y.unsqueeze(0), item["iterations"].get<int>())[0];
    ASSERT_EQ(refined.sizes(), expected.sizes()) << item["name"];
    const double error = (refined - expected).abs().max().item<double>();
    EXPECT_LT(error, 1e-9 * expected.abs().max().item<double>()) << item["name"];
    // The test can fail: one iteration fewer is far from norbert's result.
    if (item["iterations"].get<int>() > 1) {
      const auto fewer = auralflow::wiener_expectation_maximization(
          x.unsqueeze(0), y.unsqueeze(0), item["iterations"].get<int>() - 1)[0];
      EXPECT_GT((fewer - expected).abs().max().item<double>(), 1e-3) << item["name"];
    }
  }
}

TEST(WienerFilter, RejectsFewerThanOneIteration) {
  const auto x = torch::ones({1, 3, 2, 2}, torch::kComplexFloat);
  const auto y = torch::ones({1, 2, 3, 2, 2}, torch::kComplexFloat);
  EXPECT_THROW(auralflow::wiener_expectation_maximization(x, y, 0), auralflow::UsageError);
}
