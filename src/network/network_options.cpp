#include "network/network_options.hpp"
#include "auralflow/audio.hpp"

namespace auralflow::detail {
namespace {

// Frames of one training chunk; input_axis 1 (LSTM over frequency rows) ties the
// network to this count, as in the original.
int64_t training_frames(const Config& config) {
  const int64_t samples =
      audio::samples_of(config.get_double("sample_length"), config.get_int("sample_rate"));
  return samples / config.get_int("hop_length") + 2;
}

int64_t num_targets(const Config& config) {
  return static_cast<int64_t>(config.get_strings("targets").size());
}

}  // namespace

models::SpectrogramNetOptions spectrogram_options(const Config& config) {
  return models::SpectrogramNetOptions(config.get_int("num_fft") / 2 + 1,
                                       config.get_int("num_channels"))
      .num_targets(num_targets(config))
      .hidden_channels(config.get_int("hidden_channels"))
      .mask_activation(config.get_string("mask_activation"))
      .leak_factor(config.get_double("leak_factor"))
      .dropout_p(config.get_double("dropout_p"))
      .normalize_input(config.get_bool("normalize_input"))
      .normalize_output(config.get_bool("normalize_output"))
      .recurrent_depth(config.get_int("recurrent_depth"))
      .hidden_size(config.get_int("hidden_size"))
      .input_axis(config.get_int("input_axis"))
      .num_frames(config.get_int("input_axis") == 1 ? training_frames(config) : 0);
}

models::UMXOptions umx_options(const Config& config) {
  // Open-Unmix's max_bin: the bins whose centre frequency is at most the bandwidth.
  const double bandwidth = config.get_double("bandwidth");
  const int64_t num_fft = config.get_int("num_fft");
  const int64_t input_bins =
      bandwidth <= 0 ? 0
                     : static_cast<int64_t>(bandwidth * static_cast<double>(num_fft) /
                                            static_cast<double>(config.get_int("sample_rate"))) +
                           1;
  return models::UMXOptions(num_fft / 2 + 1, config.get_int("num_channels"))
      .num_targets(num_targets(config))
      .input_bins(input_bins)
      .hidden_size(config.get_int("hidden_size"))
      .recurrent_depth(config.get_int("recurrent_depth"))
      .dropout_p(config.get_double("dropout_p"))
      .mask_activation(config.get_string("mask_activation"));
}

models::AudioNetOptions audio_options(const Config& config) {
  return models::AudioNetOptions(config.get_int("num_channels"))
      .num_targets(num_targets(config))
      .hidden_channels(config.get_int("hidden_channels"))
      .depth(config.get_int("wave_depth"))
      .kernel_size(config.get_int("wave_kernel_size"))
      .stride(config.get_int("wave_stride"))
      .dropout_p(config.get_double("dropout_p"))
      .normalize_input(config.get_bool("normalize_input"))
      .recurrent_depth(config.get_int("recurrent_depth"))
      .hidden_size(config.get_int("hidden_size"));
}

}  // namespace auralflow::detail
