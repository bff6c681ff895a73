// The config.json schema: every key, its type, allowed values and meaning.
#include <algorithm>

#include "auralflow/config.hpp"
#include "auralflow/error.hpp"
#include "auralflow/losses.hpp"
#include "auralflow/models/mask_activation.hpp"
#include "auralflow/network.hpp"

namespace auralflow {
namespace {

constexpr double kMaxInt = 2147483647.0;

ConfigKey boolean(const char* group, const char* name, const char* help) {
  return {group, name, ValueKind::Bool, {}, {}, {}, help};
}
ConfigKey integer(const char* group, const char* name, double min, double max, const char* help) {
  return {group, name, ValueKind::Int, {}, min, max, help};
}
ConfigKey real(const char* group, const char* name, double min, double max, const char* help) {
  return {group, name, ValueKind::Float, {}, min, max, help};
}
ConfigKey text(const char* group, const char* name, std::vector<std::string> choices,
               const char* help) {
  return {group, name, ValueKind::String, std::move(choices), {}, {}, help};
}

std::vector<ConfigKey> build_schema() {
  const char* m = "model_params";
  const char* d = "dataset_params";
  const char* t = "training_params";
  const char* v = "visualizer_params";
  return {
      text(m, "model_type", model_types(), "network architecture"),
      text(m, "model_name", {}, "name of the model (defaults to the folder name)"),
      {m,
       "targets",
       ValueKind::StringList,
       {"vocals", "drums", "bass", "other"},
       {},
       {},
       "stems the network separates, e.g. vocals,drums"},
      integer(m, "hidden_channels", 1, 1024, "channels of the first encoder level"),
      text(m, "mask_activation", models::MaskActivationImpl::names(),
           "activation of the output mask (then clamped to [0, 1])"),
      real(m, "dropout_p", 0.0, 0.99, "dropout probability in the decoder"),
      real(m, "leak_factor", 0.0, 0.99, "LeakyReLU slope of the encoder (0: SELU)"),
      boolean(m, "normalize_input", "normalise the input spectrogram"),
      boolean(m, "normalize_output", "learned per-bin scale and shift of the output"),
      integer(m, "recurrent_depth", 1, 16, "LSTM layers of the recurrent bottleneck"),
      integer(m, "hidden_size", 1, 16384, "LSTM hidden size of the recurrent bottleneck"),
      integer(m, "input_axis", 0, 1, "LSTM sequence axis: 0 = time frames, 1 = frequency rows"),
      real(m, "bandwidth", 0, 96000,
           "SpectrogramNetUMX: highest frequency (Hz) of the bins it reads (0: all bins)"),
      integer(m, "wave_depth", 1, 10, "encoder levels of the waveform networks"),
      integer(m, "wave_kernel_size", 2, 64, "convolution kernel of the waveform networks"),
      integer(m, "wave_stride", 1, 16, "down/up-sampling stride of the waveform networks"),
      text(m, "spectrogram_model", {},
           "HybridNet spectrogram branch: a SpectrogramNet* type or a trained model folder "
           "(empty: SpectrogramNetLSTM)"),
      text(m, "audio_model", {},
           "HybridNet waveform branch: an AudioNet* type or a trained model folder "
           "(empty: AudioNetSimpleLSTM)"),

      integer(d, "sample_rate", 8000, 192000, "sample rate the model works at (Hz)"),
      integer(d, "num_channels", 1, 2, "1 = mono, 2 = stereo"),
      real(d, "sample_length", 0.1, 600, "training chunk length in seconds"),
      integer(d, "num_fft", 16, 32768, "FFT size"),
      integer(d, "window_size", 16, 32768, "STFT window length (<= num_fft)"),
      integer(d, "hop_length", 1, 32768, "STFT hop (<= window_size)"),
      integer(d, "max_num_tracks", 1, kMaxInt, "most tracks read from the dataset"),
      integer(d, "max_num_samples", 1, kMaxInt, "chunks drawn per epoch"),
      real(d, "val_split", 0.0, 0.9, "fraction of train tracks held out when there is no val/"),
      boolean(d, "augment_gain", "random gain per stem"),
      boolean(d, "augment_channel_swap", "random left/right swap"),
      boolean(d, "augment_remix", "random remixing of stems across tracks"),

      integer(t, "max_epochs", 1, kMaxInt, "epochs per 'auralflow train' run"),
      integer(t, "batch_size", 1, 65536, "chunks per batch"),
      real(t, "lr", 1e-9, 10, "learning rate"),
      real(t, "lr_lstm", 1e-9, 10, "learning rate of the recurrent layers"),
      text(t, "optimizer", {"adam", "adamw"}, "optimizer"),
      real(t, "weight_decay", 0, 10, "weight decay"),
      text(t, "criterion", criterion_names(), "training loss"),
      real(t, "alpha", 0, 10, "component_loss: weight of the residual term"),
      real(t, "beta", 0, 10, "component_loss: weight of the phase-free shape term (0: 2-term)"),
      boolean(t, "use_mixed_precision", "fp16 autocast with a grad scaler (CUDA only)"),
      boolean(t, "clip_grad", "clip the gradient norm"),
      real(t, "max_grad_norm", 1e-9, 1e9, "gradient norm limit when clip_grad is on"),
      integer(t, "stop_patience", 1, kMaxInt, "epochs without improvement before stopping"),
      integer(t, "max_lr_steps", 0, 1000, "learning-rate reductions before stopping"),
      real(t, "min_delta", 0, 1e9, "smallest validation-loss decrease that counts"),
      integer(t, "num_workers", 0, 256, "background data loading threads"),
      integer(t, "num_threads", 0, 1024, "compute threads (0: every CPU the process may use)"),
      integer(t, "seed", 0, kMaxInt, "random seed of every random choice"),
      text(t, "device", {"auto", "cpu", "cuda"}, "compute device"),

      boolean(v, "tensorboard", "write TensorBoard event files to runs/"),
      boolean(v, "view_spectrogram", "log spectrogram comparisons"),
      boolean(v, "view_waveform", "log waveform comparisons"),
      boolean(v, "view_gradient", "log gradient histograms"),
      boolean(v, "view_weights", "log weight histograms"),
      boolean(v, "play_audio", "log audio to TensorBoard"),
      boolean(v, "save_image", "save PNG figures to images/"),
      boolean(v, "save_audio", "save WAV snippets to audio/"),
      integer(v, "save_frequency", 1, kMaxInt, "epochs between saved figures and audio"),
  };
}

// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const std::vector<std::string>& model_types() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& type : network_types()) list.push_back(type.name);
    return list;
  }();
  return names;
}

const std::vector<std::string>& config_groups() {
  static const std::vector<std::string> groups{"model_params", "dataset_params", "training_params",
                                               "visualizer_params"};
  return groups;
}

const std::vector<ConfigKey>& config_schema() {
  static const std::vector<ConfigKey> schema = build_schema();
  return schema;
}

const ConfigKey& find_config_key(const std::string& name) {
  const auto& schema = config_schema();
  for (const auto& key : schema)
    if (key.name == name) return key;
  const auto closest =
      std::min_element(schema.begin(), schema.end(), [&](const ConfigKey& a, const ConfigKey& b) {
        return edit_distance(name, a.name) < edit_distance(name, b.name);
      });
  throw Error("unknown config key '" + name + "' (did you mean '" + closest->name + "'?)");
}

}  // namespace auralflow
