#pragma once
/// @file
/// The number format a model separates in. Spectrogram U-Nets (SpectrogramNetSimple and
/// SpectrogramNetLSTM) have a bfloat16 form on the CPU: their convolutions and activations in
/// bfloat16 (8 significant bits), the STFT, the normalisation, the LSTM and the mask in
/// float32. On a CPU with bfloat16 instructions (AVX512-BF16) oneDNN runs those convolutions
/// faster (a whole separation about 1.5× faster: bench/README.md); elsewhere it would emulate
/// them, slower than float32.
///
/// @code
///   model->set_inference_precision(InferencePrecision::kAuto);  // bfloat16 where it pays
///   model->set_inference_precision(parse_inference_precision("bfloat16"));
/// @endcode
#include <string>

namespace auralflow {

/// How separate() computes (SeparationModel::set_inference_precision).
enum class InferencePrecision {
  kAuto,      ///< bfloat16 where the network has that form and the CPU computes it natively
  kFloat32,   ///< everything in float32 (the network module's own results)
  kBFloat16,  ///< the network's bfloat16 form (an error for a network without one)
};

/// "auto", "float32" or "bfloat16"; anything else is an auralflow::Error listing those.
InferencePrecision parse_inference_precision(const std::string& name);

/// The name parse_inference_precision() reads.
std::string to_string(InferencePrecision precision);

/// True when this CPU (and its operating system) has native bfloat16 arithmetic (AVX512-BF16).
bool cpu_computes_bfloat16();

}  // namespace auralflow
