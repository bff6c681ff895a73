// save(): WAV (16/24-bit PCM, 32-bit float) and FLAC through libsndfile, written to a
// temporary sibling and renamed (auralflow::write_atomically).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>

#include "auralflow/atomic_file.hpp"
#include "auralflow/audio.hpp"
#include "auralflow/error.hpp"
#include "sndfile_handle.hpp"

namespace auralflow::audio {
namespace {

int sndfile_format(SampleFormat format) {
  switch (format) {
    case SampleFormat::Pcm16:
      return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    case SampleFormat::Pcm24:
      return SF_FORMAT_WAV | SF_FORMAT_PCM_24;
    case SampleFormat::Float32:
      return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    case SampleFormat::Flac:
      return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  }
  throw Error("unknown SampleFormat");
}

// A ".wav" path must get a WAV format and a ".flac" path FLAC; other names take any.
void check_extension(const std::string& path, SampleFormat format) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool flac = format == SampleFormat::Flac;
  if ((extension == ".wav" && flac) || (extension == ".flac" && !flac)) {
    throw Error(file_message(path, std::string("the extension does not match the format (") +
                                       (flac ? "FLAC" : "WAV") + ")"));
  }
}

// Clamps (channels, samples) to [-1, 1], warning once on stderr when anything clipped.
torch::Tensor clip(const std::string& path, const torch::Tensor& audio) {
  const torch::Tensor magnitude = audio.abs();
  const int64_t clipped = (magnitude > 1.0f).sum().item<int64_t>();
  if (clipped == 0) return audio;
  std::ostringstream warning;
  warning << "auralflow: warning: "
          << file_message(path, "clipped " + std::to_string(clipped) + " samples to [-1, 1]")
          << " (peak " << magnitude.max().item<float>() << ")\n";
  std::cerr << warning.str() << std::flush;
  return audio.clamp(-1.0, 1.0);
}

}  // namespace

SampleFormat parse_sample_format(const std::string& name) {
  if (name == "wav16") return SampleFormat::Pcm16;
  if (name == "wav24") return SampleFormat::Pcm24;
  if (name == "float32") return SampleFormat::Float32;
  if (name == "flac") return SampleFormat::Flac;
  throw UsageError("unknown sample format '" + name + "' (expected wav16, wav24, float32 or flac)");
}

void save(const std::string& path, const torch::Tensor& audio, int sample_rate,
          SampleFormat format) {
  if (audio.dim() != 2 || audio.size(0) == 0) {
    throw Error(file_message(
        path, "expected audio shaped (channels, samples), got " + c10::str(audio.sizes())));
  }
  if (!audio.is_floating_point()) {
    throw Error(file_message(path, "expected floating-point audio, got " +
                                       std::string(c10::toString(audio.scalar_type()))));
  }
  check_extension(path, format);
  torch::Tensor samples = audio.detach().to(torch::kCPU, torch::kFloat).contiguous();  // (C, N)
  if (!torch::isfinite(samples).all().item<bool>()) {
    throw Error(file_message(path, "the audio contains NaN or infinite values"));
  }
  if (format != SampleFormat::Float32) samples = clip(path, samples);
  const torch::Tensor interleaved = samples.t().contiguous();  // (N, C)

  SF_INFO header{};
  header.samplerate = sample_rate;
  header.channels = static_cast<int>(samples.size(0));
  header.format = sndfile_format(format);
  if (sample_rate <= 0 || sf_format_check(&header) == 0) {
    throw Error(file_message(path, "cannot write " + std::to_string(header.channels) +
                                       " channels at " + std::to_string(sample_rate) +
                                       " Hz in this format"));
  }
  write_atomically(path, [&](const std::filesystem::path& temporary) {
    detail::SndfileHandle file(sf_open(temporary.c_str(), SFM_WRITE, &header));
    if (!file) {
      throw Error(file_message(path, std::string("cannot write: ") + sf_strerror(nullptr)));
    }
    const sf_count_t frames = interleaved.size(0);
    if (sf_writef_float(file.get(), interleaved.data_ptr<float>(), frames) != frames) {
      throw Error(file_message(path, std::string("write failed: ") + sf_strerror(file.get())));
    }
    if (const int error = sf_close(file.release()); error != 0) {
      throw Error(file_message(path, std::string("write failed: ") + sf_error_number(error)));
    }
  });
}

}  // namespace auralflow::audio
