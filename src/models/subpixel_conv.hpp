#pragma once
// Transposed convolutions in "sub-pixel" form (private to src/models): a stride-s transposed
// convolution with a k × k kernel is s² stride-1 convolutions with J × J kernels, J = ⌈k / s⌉
// (one per output phase), run as one conv2d with s²·O output channels and interleaved by a
// pixel shuffle. LibTorch 1.13 runs that conv2d on oneDNN, forward and backward, where its
// own transposed convolution falls back to im2col and BLAS (3-6x slower per layer on the
// development machine, for (sJ / k)² = 1.44x the multiply-adds at k 5, s 2). Every step is
// differentiable, so training uses it as well as the folded inference network.
#include <torch/types.h>

#include <cstdint>

namespace auralflow::models::detail {

/// The phase weights of a transposed convolution's weight: (C, O, k, k) → (s²·O, C, J, J),
/// output channel o·s² + r_h·s + r_w holds phase (r_h, r_w) of output channel o.
torch::Tensor subpixel_weight(const torch::Tensor& weight, int64_t stride);

/// conv_transpose2d(x, weight, bias, stride, padding, output_padding) from the phase weights
/// and phase bias (s²·O,) (or undefined) of subpixel_weight. x (B, C, H, W) → (B, O, H', W'),
/// H' = (H − 1)·s − 2·padding[0] + k + output_padding[0], likewise W'.
torch::Tensor subpixel_conv_transpose2d(const torch::Tensor& x, const torch::Tensor& phase_weight,
                                        const torch::Tensor& phase_bias, int64_t stride,
                                        int64_t kernel, torch::IntArrayRef padding,
                                        torch::IntArrayRef output_padding);

}  // namespace auralflow::models::detail
