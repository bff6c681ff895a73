#include "subpixel_conv.hpp"

#include <torch/torch.h>

#include "auralflow/error.hpp"

namespace auralflow::models::detail {

torch::Tensor subpixel_weight(const torch::Tensor& weight, int64_t stride) {
  const int64_t kernel = weight.size(2);
  if (weight.dim() != 4 || weight.size(3) != kernel || stride < 1) {
    throw Error("subpixel_weight: expected a square (C, O, k, k) kernel and stride >= 1, got " +
                c10::str(weight.sizes()) + " and " + std::to_string(stride));
  }
  const int64_t inputs = weight.size(0);
  const int64_t outputs = weight.size(1);
  const int64_t taps = (kernel + stride - 1) / stride;  // J
  // Output row s·m + r is Σ_j x[m − j]·w[r + s·j]: for phase r a correlation with the flipped
  // taps w[r + s·(J − 1 − t)], t < J, zero past the kernel, over x padded by J − 1.
  const int64_t padded = stride * taps;
  return torch::constant_pad_nd(weight, {0, padded - kernel, 0, padded - kernel})
      .view({inputs, outputs, taps, stride, taps, stride})  // (C, O, j_h, r_h, j_w, r_w)
      .flip({2, 4})                                         // j → t = J − 1 − j
      .permute({1, 3, 5, 0, 2, 4})                          // (O, r_h, r_w, C, t_h, t_w)
      .reshape({outputs * stride * stride, inputs, taps, taps});
}

torch::Tensor subpixel_conv_transpose2d(const torch::Tensor& x, const torch::Tensor& phase_weight,
                                        const torch::Tensor& phase_bias, int64_t stride,
                                        int64_t kernel, torch::IntArrayRef padding,
                                        torch::IntArrayRef output_padding) {
  const int64_t taps = phase_weight.size(2);
  const auto phases =
      torch::conv2d(x, phase_weight, phase_bias, 1, taps - 1);  // (B, s²·O, H+J−1, …)
  const auto full = torch::pixel_shuffle(phases, stride);       // (B, O, s·(H+J−1), …)
  const int64_t height = (x.size(2) - 1) * stride - 2 * padding[0] + kernel + output_padding[0];
  const int64_t width = (x.size(3) - 1) * stride - 2 * padding[1] + kernel + output_padding[1];
  if (padding[0] + height > full.size(2) || padding[1] + width > full.size(3)) {
    throw Error("subpixel_conv_transpose2d: output_padding too large for the padding");
  }
  return full.narrow(2, padding[0], height).narrow(3, padding[1], width);
}

}  // namespace auralflow::models::detail
