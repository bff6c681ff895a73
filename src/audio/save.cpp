// save(): WAV (16/24-bit PCM, 32-bit float) and FLAC through libsndfile, written to a
// temporary sibling and renamed (auralflow::write_atomically).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>

#include "auralflow/atomic_file.hpp"
#include "auralflow/audio.hpp"
#include "auralflow/audio_stream.hpp"
#include "auralflow/error.hpp"

namespace auralflow::audio {
namespace {

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
  check_extension(path, format);
  write_atomically(path, [&](const std::filesystem::path& temporary) {
    StreamWriter writer(temporary.string(), sample_rate, static_cast<int>(audio.size(0)), format,
                        path);
    writer.write(audio);
    writer.close();
  });
}

}  // namespace auralflow::audio
