#include "auralflow/models/folded_unet.hpp"

#include <torch/torch.h>

#include "auralflow/error.hpp"

namespace auralflow::models {

bool FoldedSpectrogramNet::supports(const torch::nn::Module& net) {
  return dynamic_cast<const SpectrogramNetSimpleImpl*>(&net) != nullptr ||
         dynamic_cast<const SpectrogramNetLSTMImpl*>(&net) != nullptr;
}

FoldedSpectrogramNet::Triple FoldedSpectrogramNet::fold(const ConvBlockTripleImpl& triple,
                                                        const ChannelAffine& input) const {
  Triple folded;
  ChannelAffine before = input;
  for (size_t i = 0; i < 3; ++i) {
    const auto& block = *triple.conv->ptr<ConvBlockImpl>(i);
    const auto& weight = block.conv->weight;
    folded.convs[i] = FoldedConv2d(weight, block.conv->bias, (weight.size(2) - 1) / 2, before, {},
                                   format_, dtype_);
    folded.leaks[i] = block.leak();
    before = ChannelAffine::of(*block.bn);
  }
  folded.last = before;
  return folded;
}

torch::Tensor FoldedSpectrogramNet::Triple::operator()(const torch::Tensor& x) const {
  torch::Tensor y = x;
  for (size_t i = 0; i < 3; ++i) {
    y = convs[i](y);
    y = leaks[i] > 0 ? torch::leaky_relu_(y, leaks[i]) : torch::selu_(y);
  }
  return y;
}

FoldedSpectrogramNet::FoldedSpectrogramNet(std::shared_ptr<torch::nn::Module> net,
                                           c10::MemoryFormat format, torch::ScalarType dtype)
    : module_(std::move(net)), format_(format), dtype_(dtype) {
  if (!module_ || !supports(*module_)) {
    throw Error("FoldedSpectrogramNet: only SpectrogramNetSimple and SpectrogramNetLSTM fold");
  }
  if (module_->is_training()) throw Error("FoldedSpectrogramNet: the network must be in eval mode");
  if (dtype_ != torch::kFloat32 && dtype_ != torch::kBFloat16) {
    throw Error("FoldedSpectrogramNet: float32 or bfloat16, not " +
                std::string(c10::toString(dtype_)));
  }
  net_ = dynamic_cast<SpectrogramUNetImpl*>(module_.get());
  recurrent_ = dynamic_cast<SpectrogramNetLSTMImpl*>(module_.get());

  ChannelAffine pending;  // the affine the next encoder level's input still needs
  for (size_t k = 0; k < down_.size(); ++k) {
    down_[k] = fold(*net_->down[k]->conv_block, pending);
    skip_folded_[k] = down_[k].last.is_monotone();  // commutes with the max-pool
    pending = skip_folded_[k] ? down_[k].last : ChannelAffine{};
  }
  if (const auto* simple = dynamic_cast<SpectrogramNetSimpleImpl*>(net_)) {
    bottleneck_ = fold(*simple->bottleneck, pending);
  }
  for (size_t j = 0; j < up_.size(); ++j) {
    const auto& up = *net_->up[j];
    up_conv_[j] = FoldedConvTranspose2d(up.up->weight, up.up->bias, 2, ChannelAffine::of(*up.bn),
                                        format_, dtype_);
    const size_t k = down_.size() - 1 - j;  // the skip's level
    const auto& options = up.up->weight.options();
    const int64_t upsampled = up.up->weight.size(1);
    const int64_t skip_channels =
        up.conv_block->conv->ptr<ConvBlockImpl>(0)->conv->weight.size(1) - upsampled;
    const ChannelAffine skip =
        skip_folded_[k] ? down_[k].last : ChannelAffine::identity(skip_channels, options);
    up_[j] = fold(*up.conv_block, ChannelAffine::identity(upsampled, options).then(skip));
  }
  const auto& conv = *net_->soft_conv->ptr<torch::nn::Conv2dImpl>(0);
  const auto& bn = dynamic_cast<const torch::nn::BatchNorm2dImpl&>(*net_->soft_conv->ptr(1));
  soft_conv_ = FoldedConv2d(conv.weight, conv.bias, 0, up_.back().last, ChannelAffine::of(bn),
                            format_, dtype_);
}

torch::Tensor FoldedSpectrogramNet::forward(const torch::Tensor& spec) const {
  const auto& options = net_->options();
  if (spec.dim() != 4 || spec.size(1) != options.num_channels() ||
      spec.size(2) != options.num_bins()) {
    throw Error("SpectrogramNet: expected a spectrogram (batch, " +
                std::to_string(options.num_channels()) + ", " + std::to_string(options.num_bins()) +
                ", frames), got " + c10::str(spec.sizes()));
  }
  constexpr int64_t kMinFrames = 32;
  const int64_t frames = spec.size(3);
  torch::Tensor x = net_->input_norm ? net_->input_norm->forward(spec) : spec;
  if (frames < kMinFrames) x = torch::constant_pad_nd(x, {0, kMinFrames - frames});
  x = x.to(dtype_).contiguous(format_);

  std::array<torch::Tensor, 5> skips;  // before their last BN where skip_folded_
  for (size_t k = 0; k < down_.size(); ++k) {
    torch::Tensor skip = down_[k](x);
    if (!skip_folded_[k]) skip = down_[k].last(skip);
    x = torch::max_pool2d(skip, 2);
    skips[k] = skip;
  }
  torch::Tensor latent;
  if (recurrent_ != nullptr) {
    const auto code =
        (skip_folded_.back() ? down_.back().last(x) : x).to(torch::kFloat32).contiguous();
    latent =
        recurrent_->to_latent(recurrent_->to_sequence(code), code).to(dtype_).contiguous(format_);
  } else {
    latent = bottleneck_.last(bottleneck_(x));
  }

  x = latent;
  for (size_t j = 0; j < up_.size(); ++j) {
    const auto& skip = skips[down_.size() - 1 - j];
    const auto [pad_f, out_pad_f] = deconv_padding(x.size(2), skip.size(2));
    const auto [pad_t, out_pad_t] = deconv_padding(x.size(3), skip.size(3));
    x = up_conv_[j](x, {pad_f, pad_t}, {out_pad_f, out_pad_t}).contiguous(format_);
    x = up_[j](torch::cat({x, skip}, 1));
    if (j + 1 < up_.size()) x = up_[j].last(x);  // the last one is in soft_conv_
  }
  x = soft_conv_(x).to(torch::kFloat32);  // (B, K·C, F, T')
  if (net_->output_norm) x = net_->output_norm->forward(x);
  x = x.narrow(3, 0, frames).contiguous();
  x = x.reshape({x.size(0), options.num_targets(), options.num_channels(), x.size(2), x.size(3)});
  return net_->mask_activation->forward(x);
}

}  // namespace auralflow::models
