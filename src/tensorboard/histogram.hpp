#pragma once
// Private to src/tensorboard: TensorBoard's HistogramProto from a tensor.
#include <torch/types.h>

#include "summary.pb.h"

namespace auralflow::tensorboard::detail {

/// Fills `histogram` from the finite values of `values` (any shape, any device):
/// min, max, num, sum, sum_squares and `num_buckets` (> 0) equal-width buckets, bucket i
/// counting the values in (bucket_limit[i - 1], bucket_limit[i]] (the first from min, the
/// last limit is max). All values equal: one bucket. No finite values: num 0, no buckets.
void fill_histogram(const torch::Tensor& values, int64_t num_buckets,
                    pb::HistogramProto& histogram);

}  // namespace auralflow::tensorboard::detail
