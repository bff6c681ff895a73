#include "tensorboard/histogram.hpp"

#include <torch/torch.h>

namespace auralflow::tensorboard::detail {

void fill_histogram(const torch::Tensor& values, int64_t num_buckets,
                    pb::HistogramProto& histogram) {
  const auto all = values.detach().to(torch::kCPU, torch::kDouble).flatten();
  const auto finite = all.masked_select(torch::isfinite(all));  // (num,)
  const int64_t count = finite.numel();
  histogram.set_num(static_cast<double>(count));
  if (count == 0) return;
  const double low = finite.min().item<double>();
  const double high = finite.max().item<double>();
  histogram.set_min(low);
  histogram.set_max(high);
  histogram.set_sum(finite.sum().item<double>());
  histogram.set_sum_squares(finite.square().sum().item<double>());
  if (low == high) {
    histogram.add_bucket_limit(high);
    histogram.add_bucket(static_cast<double>(count));
    return;
  }
  // Upper edges (num_buckets,), the last exactly max; bucketize puts x in the first
  // bucket whose limit is >= x, which is the proto's (previous limit, limit] rule.
  auto limits = torch::linspace(low, high, num_buckets + 1, torch::kDouble).slice(0, 1);
  limits[-1] = high;
  const auto counts = torch::bincount(torch::bucketize(finite, limits), {}, num_buckets);
  const auto limit_values = limits.accessor<double, 1>();
  const auto count_values = counts.accessor<int64_t, 1>();
  for (int64_t i = 0; i < num_buckets; ++i) {
    histogram.add_bucket_limit(limit_values[i]);
    histogram.add_bucket(static_cast<double>(count_values[i]));
  }
}

}  // namespace auralflow::tensorboard::detail
