// load() and info(): open the file with the right decoder, read the requested
// range, then mix channels and resample as asked.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "auralflow/audio.hpp"
#include "auralflow/error.hpp"
#include "reader.hpp"

namespace auralflow::audio {
namespace detail {

// MPEG audio (MP1/2/3) by name or by its first bytes (an ID3 tag or a frame sync). It goes
// to FFmpeg, whose logging is off: libsndfile's MP3 decoder, libmpg123, prints warnings
// about damaged streams to the terminal by itself.
bool is_mpeg_audio(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".mp3" || extension == ".mp2" || extension == ".mpga") return true;
  std::ifstream file(path, std::ios::binary);
  unsigned char head[3] = {};
  file.read(reinterpret_cast<char*>(head), sizeof(head));
  if (file.gcount() < 3) return false;
  return (head[0] == 'I' && head[1] == 'D' && head[2] == '3') ||
         (head[0] == 0xff && (head[1] & 0xe0) == 0xe0);
}

std::string no_such_stream(int stream, int num_streams) {
  return "audio stream " + std::to_string(stream) + " does not exist (the file has " +
         std::to_string(num_streams) + " audio stream" + (num_streams == 1 ? ")" : "s)");
}

std::unique_ptr<Reader> open_reader(const std::string& path, int stream) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) throw Error(file_message(path, "no such file"));
  if (std::filesystem::is_directory(status)) {
    throw Error(file_message(path, "is a folder, not an audio file"));
  }
  if (std::filesystem::is_regular_file(status) && std::filesystem::file_size(path, error) == 0) {
    throw Error(file_message(path, "the file is empty"));
  }
  if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
    std::fclose(file);
  } else {
    throw Error(file_message(path, std::string("cannot open: ") + std::strerror(errno)));
  }
  if (!is_mpeg_audio(path)) {
    if (auto reader = open_sndfile(path)) {
      if (stream != 0) throw Error(file_message(path, no_such_stream(stream, 1)));
      return reader;
    }
  }
  return open_ffmpeg(path, stream);
}

}  // namespace detail

namespace {

void check_options(const std::string& path, const LoadOptions& options) {
  const auto bad = [&](const std::string& what) { throw UsageError(file_message(path, what)); };
  if (options.sample_rate && *options.sample_rate <= 0) {
    bad("sample rate must be positive, got " + std::to_string(*options.sample_rate));
  }
  if (options.channels && *options.channels != 1 && *options.channels != 2) {
    bad("channels must be 1 or 2, got " + std::to_string(*options.channels));
  }
  if (!(options.offset >= 0.0) || !std::isfinite(options.offset)) {
    bad("offset must be >= 0 seconds, got " + std::to_string(options.offset));
  }
  if (options.duration && (!(*options.duration >= 0.0) || !std::isfinite(*options.duration))) {
    bad("duration must be >= 0 seconds, got " + std::to_string(*options.duration));
  }
  if (options.stream < 0) bad("stream must be >= 0, got " + std::to_string(options.stream));
}

// (C, samples) -> (channels, samples) for C in {1, 2}: mean to mono, duplicate to stereo.
torch::Tensor mix_channels(const torch::Tensor& audio, int channels) {
  if (audio.size(0) == channels) return audio;
  if (channels == 1) return audio.mean(0, /*keepdim=*/true);
  return audio.expand({channels, audio.size(1)}).contiguous();
}

}  // namespace

torch::Tensor load(const std::string& path, const LoadOptions& options) {
  check_options(path, options);
  const auto reader = detail::open_reader(path, options.stream);
  const AudioInfo& header = reader->info();
  if (options.channels && header.channels > 2) {
    throw Error(file_message(path, "has " + std::to_string(header.channels) +
                                       " channels; only mono or stereo files can be loaded as " +
                                       std::to_string(*options.channels) + " channel(s)"));
  }
  const int64_t start = std::llround(options.offset * header.sample_rate);
  const int64_t count =
      options.duration ? std::llround(*options.duration * header.sample_rate) : int64_t{-1};
  torch::Tensor audio = reader->read(start, count);  // (file channels, samples)
  if (options.channels) audio = mix_channels(audio, *options.channels);
  if (options.sample_rate && *options.sample_rate != header.sample_rate) {
    audio = resample(audio, header.sample_rate, *options.sample_rate);
  }
  return audio;
}

int64_t samples_of(double seconds, double sample_rate) {
  return std::llround(seconds * sample_rate);
}

AudioInfo info(const std::string& path) { return detail::open_reader(path, 0)->info(); }

}  // namespace auralflow::audio
