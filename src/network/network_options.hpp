#pragma once
// The network options that a config's model_params and dataset_params describe.
#include "auralflow/config.hpp"
#include "auralflow/models/audio_net.hpp"
#include "auralflow/models/spectrogram_net.hpp"
#include "auralflow/models/spectrogram_net_umx.hpp"

namespace auralflow::detail {

/// SpectrogramNet* options: num_fft / 2 + 1 bins, channels, targets, the U-Net and LSTM keys.
models::SpectrogramNetOptions spectrogram_options(const Config& config);

/// SpectrogramNetUMX options: bins, channels, targets, the bins below bandwidth, hidden_size,
/// recurrent_depth, dropout_p and mask_activation.
models::UMXOptions umx_options(const Config& config);

/// AudioNet* options: channels, targets, hidden_channels, wave_depth, wave_kernel_size,
/// wave_stride, dropout_p, normalize_input, recurrent_depth, hidden_size.
models::AudioNetOptions audio_options(const Config& config);

}  // namespace auralflow::detail
