#include "auralflow/models/folded_conv.hpp"

#include <torch/torch.h>

#include <string>
#include <vector>

#include "auralflow/error.hpp"
#include "subpixel_conv.hpp"

namespace auralflow::models {
namespace {

// (C,) → shape (1, C, 1, …) broadcasting over x (B, C, …).
torch::Tensor per_channel(const torch::Tensor& values, int64_t dims, int64_t dim = 1) {
  std::vector<int64_t> shape(static_cast<size_t>(dims), 1);
  shape[static_cast<size_t>(dim)] = values.size(0);
  return values.view(shape);
}

}  // namespace

ChannelAffine ChannelAffine::of(const torch::nn::BatchNorm2dImpl& bn) {
  if (!bn.options.track_running_stats() || !bn.running_mean.defined()) {
    throw Error("cannot fold a BatchNorm2d without running statistics");
  }
  const auto inverse_std =
      torch::rsqrt(bn.running_var.to(torch::kDouble) + bn.options.eps());  // (C,)
  auto scale =
      bn.options.affine() ? bn.weight.detach().to(torch::kDouble) * inverse_std : inverse_std;
  auto shift = -bn.running_mean.to(torch::kDouble) * scale;
  if (bn.options.affine()) shift = shift + bn.bias.detach().to(torch::kDouble);
  return {scale, shift};
}

ChannelAffine ChannelAffine::identity(int64_t channels, const torch::TensorOptions& options) {
  return {torch::ones({channels}, options.dtype(torch::kDouble)),
          torch::zeros({channels}, options.dtype(torch::kDouble))};
}

ChannelAffine ChannelAffine::then(const ChannelAffine& next) const {
  if (is_identity() || next.is_identity()) {
    throw Error("ChannelAffine::then: both affines need their channel counts");
  }
  return {torch::cat({scale, next.scale}), torch::cat({shift, next.shift})};
}

bool ChannelAffine::is_monotone() const { return is_identity() || (scale >= 0).all().item<bool>(); }

torch::Tensor ChannelAffine::operator()(const torch::Tensor& x) const {
  if (is_identity()) return x;
  return torch::addcmul(per_channel(shift.to(x.scalar_type()), x.dim()), x,
                        per_channel(scale.to(x.scalar_type()), x.dim()));
}

FoldedConv2d::FoldedConv2d(const torch::Tensor& weight, const torch::Tensor& bias, int64_t padding,
                           const ChannelAffine& input, const ChannelAffine& output,
                           c10::MemoryFormat format, std::optional<torch::ScalarType> dtype)
    : padding_(padding) {
  const int64_t outputs = weight.size(0);
  const int64_t kernel = weight.size(2);
  if (weight.dim() != 4 || weight.size(3) != kernel ||
      (padding != 0 && kernel != 2 * padding + 1)) {
    throw Error("FoldedConv2d: expected a square kernel with 'same' or no padding, got weight " +
                c10::str(weight.sizes()) + " and padding " + std::to_string(padding));
  }
  auto w = weight.detach().to(torch::kDouble);
  auto b = bias.defined() ? bias.detach().to(torch::kDouble) : torch::zeros({outputs}, w.options());
  if (!input.is_identity()) {
    // The shift's contribution through each tap, (O, k, k); inside the map all taps see it.
    const auto taps = (w * per_channel(input.shift.to(w.device()), 4)).sum(1);
    w = w * per_channel(input.scale.to(w.device()), 4);
    if (padding_ == 0) {
      b = b + taps.sum({1, 2});
    } else {
      // The shift term of a (2p+1)-square map: row p / column p are the interior classes.
      const int64_t side = 2 * padding_ + 1;
      const auto map = torch::conv2d(torch::ones({1, 1, side, side}, w.options()),
                                     taps.unsqueeze(1), {}, 1, padding_)
                           .squeeze(0);                                   // (O, side, side)
      const auto interior = map.select(1, padding_).select(1, padding_);  // (O,)
      b = b + interior;
      border_ = map - interior.view({outputs, 1, 1});
      taps_ = taps.unsqueeze(1);  // (O, 1, k, k)
      interior_ = interior;
    }
  }
  if (!output.is_identity()) {
    const auto scale = output.scale.to(w.device());
    w = w * scale.view({outputs, 1, 1, 1});
    b = b * scale + output.shift.to(w.device());
    if (border_.defined()) {
      border_ = border_ * scale.view({outputs, 1, 1});
      taps_ = taps_ * scale.view({outputs, 1, 1, 1});
      interior_ = interior_ * scale;
    }
  }
  const auto type = dtype.value_or(weight.scalar_type());
  weight_ = w.to(type).contiguous(format);
  bias_ = b.to(type);
  if (border_.defined()) {
    border_ = border_.to(type);
    taps_ = taps_.to(type);
    interior_ = interior_.to(type);
  }
}

torch::Tensor FoldedConv2d::operator()(const torch::Tensor& x) const {
  torch::Tensor y = torch::conv2d(x, weight_, bias_, 1, padding_);
  if (!border_.defined()) return y;
  const int64_t p = padding_;
  const int64_t height = y.size(2);
  const int64_t width = y.size(3);
  const int64_t outputs = border_.size(0);
  // Expands a border row class (O, p, 2p+1) to the map's width: (O, p, W).
  const auto full_rows = [&](const torch::Tensor& rows) {
    return torch::cat(
        {rows.narrow(2, 0, p), rows.narrow(2, p, 1).expand({outputs, p, width - 2 * p}),
         rows.narrow(2, p + 1, p)},
        2);
  };
  if (height > 2 * p && width > 2 * p) {
    y.narrow(2, 0, p).add_(full_rows(border_.narrow(1, 0, p)));
    y.narrow(2, height - p, p).add_(full_rows(border_.narrow(1, p + 1, p)));
    const auto middle = y.narrow(2, p, height - 2 * p);
    const auto middle_border = border_.narrow(1, p, 1);  // (O, 1, 2p+1)
    middle.narrow(3, 0, p).add_(middle_border.narrow(2, 0, p));
    middle.narrow(3, width - p, p).add_(middle_border.narrow(2, p + 1, p));
    return y;
  }
  // A map too thin for the classes (each row or column near both edges): the whole shift
  // term, from a map of ones through the taps.
  const auto ones = torch::ones({1, 1, height, width}, y.options());
  return y.add_(torch::conv2d(ones, taps_, {}, 1, p) - interior_.view({1, outputs, 1, 1}));
}

FoldedConvTranspose2d::FoldedConvTranspose2d(const torch::Tensor& weight, const torch::Tensor& bias,
                                             int64_t stride, const ChannelAffine& output,
                                             c10::MemoryFormat format,
                                             std::optional<torch::ScalarType> dtype)
    : stride_(stride), kernel_(weight.size(2)) {
  const int64_t outputs = weight.size(1);
  auto w = weight.detach().to(torch::kDouble);
  auto b = bias.defined() ? bias.detach().to(torch::kDouble) : torch::zeros({outputs}, w.options());
  if (!output.is_identity()) {
    const auto scale = output.scale.to(w.device());
    w = w * scale.view({1, outputs, 1, 1});
    b = b * scale + output.shift.to(w.device());
  }
  const auto type = dtype.value_or(weight.scalar_type());
  weight_ = detail::subpixel_weight(w, stride).to(type).contiguous(format);
  bias_ = b.repeat_interleave(stride * stride).to(type);
}

torch::Tensor FoldedConvTranspose2d::operator()(const torch::Tensor& x, torch::IntArrayRef padding,
                                                torch::IntArrayRef output_padding) const {
  return detail::subpixel_conv_transpose2d(x, weight_, bias_, stride_, kernel_, padding,
                                           output_padding);
}

}  // namespace auralflow::models
