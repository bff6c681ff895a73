#include "projection.hpp"

#include <torch/fft.h>

#include <algorithm>

#include "numerics.hpp"

namespace auralflow::metrics::detail {
namespace {

/// Largest FFT used for one block of a frame (a 1 s frame at 44.1 kHz fits in one block).
constexpr int64_t kMaxBlockFft = int64_t{1} << 16;

/// Energy per stem: (J, C, T) -> (J) as doubles.
std::vector<double> energies(const torch::Tensor& signals) {
  const auto sums = signals.square().sum({1, 2}).contiguous();
  return {sums.data_ptr<double>(), sums.data_ptr<double>() + sums.numel()};
}

}  // namespace

FrameProjector::FrameProjector(const DistortionFilters& filters, int64_t frame_length)
    : frame_length_(frame_length), taps_(filters.full.size(3)) {
  fft_size_ = std::min(next_power_of_two(frame_length + taps_ - 1),
                       std::max(kMaxBlockFft, next_power_of_two(2 * taps_)));
  block_ = fft_size_ - taps_ + 1;
  blocks_ = (frame_length + block_ - 1) / block_;
  const int64_t stems = filters.full.size(0);
  const int64_t basis = filters.full.size(1);
  const int64_t channels = filters.full.size(2);
  // (J, P, C, L) -> (P, J, C, L) -> (P, J*C, F)
  full_spectra_ = torch::fft::rfft(filters.full.permute({1, 0, 2, 3}), fft_size_)
                      .reshape({basis, stems * channels, -1});
  // (J, C', C, L) -> (C', J, C, F)
  own_spectra_ = torch::fft::rfft(filters.own.permute({1, 0, 2, 3}), fft_size_);
}

torch::Tensor FrameProjector::overlap_add(const torch::Tensor& spectra) const {
  const int64_t rows = spectra.size(0);
  const auto pieces = torch::fft::irfft(spectra, fft_size_);  // (rows, K, fft_size)
  // block k starts at k * block; its last L - 1 samples overlap block k + 1
  auto out = torch::zeros({rows, (blocks_ + 1) * block_}, pieces.options());
  out.narrow(1, 0, blocks_ * block_)
      .view({rows, blocks_, block_})
      .add_(pieces.narrow(2, 0, block_));
  out.narrow(1, block_, blocks_ * block_)
      .view({rows, blocks_, block_})
      .narrow(2, 0, taps_ - 1)
      .add_(pieces.narrow(2, block_, taps_ - 1));
  return out.narrow(1, 0, frame_length_ + taps_ - 1);
}

std::vector<BssEvalValues> FrameProjector::frame_metrics(const torch::Tensor& references,
                                                         const torch::Tensor& estimates) const {
  const int64_t stems = references.size(0);
  const int64_t channels = references.size(1);
  const int64_t tail = taps_ - 1;
  // (P, K, F): spectra of the frame-limited references, block by block
  const auto padded = torch::constant_pad_nd(references.reshape({stems * channels, -1}),
                                             {0, blocks_ * block_ - frame_length_});
  const auto spectra =
      torch::fft::rfft(padded.view({stems * channels, blocks_, block_}), fft_size_);

  // Projection on all references: sum over p of x_p * A_j[p, :, c] -> (J*C, K, F)
  auto full = torch::zeros({stems * channels, blocks_, spectra.size(2)}, spectra.options());
  for (int64_t p = 0; p < stems * channels; ++p) {
    full.add_(full_spectra_[p].unsqueeze(1) * spectra[p].unsqueeze(0));
  }
  // Projection on the own reference: sum over c' of x_{j,c'} * B_j[c', c] -> (J, C, K, F)
  const auto by_stem = spectra.view({stems, channels, blocks_, -1});
  auto own = torch::zeros({stems, channels, blocks_, spectra.size(2)}, spectra.options());
  for (int64_t c = 0; c < channels; ++c) {
    own.add_(own_spectra_[c].unsqueeze(2) * by_stem.select(1, c).unsqueeze(1));
  }

  // (J, C, M + L - 1) each
  const auto projection_all = overlap_add(full).view({stems, channels, -1});
  const auto projection_own =
      overlap_add(own.view({stems * channels, blocks_, -1})).view({stems, channels, -1});
  const auto target = torch::constant_pad_nd(references, {0, tail});
  const auto estimate = torch::constant_pad_nd(estimates, {0, tail});

  const auto target_energy = energies(target);
  const auto error_energy = energies(estimate - target);
  const auto own_energy = energies(projection_own);
  const auto all_energy = energies(projection_all);
  const auto spatial_error = energies(projection_own - target);
  const auto interference = energies(projection_all - projection_own);
  const auto artifacts = energies(estimate - projection_all);
  std::vector<BssEvalValues> metrics(stems);
  for (int64_t j = 0; j < stems; ++j) {
    // SDR does not depend on the filters: e_spat + e_interf + e_artif = estimate - target
    metrics[j].sdr = safe_db(target_energy[j], error_energy[j]);
    metrics[j].isr = safe_db(target_energy[j], spatial_error[j]);
    metrics[j].sir = safe_db(own_energy[j], interference[j]);
    metrics[j].sar = safe_db(all_energy[j], artifacts[j]);
  }
  return metrics;
}

}  // namespace auralflow::metrics::detail
