// StreamWriter: libsndfile in write mode, fed block by block with save()'s value rules.
#include <sndfile.h>

#include <algorithm>
#include <iostream>
#include <sstream>
#include <string>

#include "auralflow/audio_stream.hpp"
#include "auralflow/error.hpp"

namespace auralflow::audio {
namespace {

// The libsndfile format of each SampleFormat.
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

}  // namespace

StreamWriter::StreamWriter(const std::string& path, int sample_rate, int channels,
                           SampleFormat format, std::string name)
    : name_(name.empty() ? path : std::move(name)),
      channels_(channels),
      clamp_(format != SampleFormat::Float32) {
  SF_INFO header{};
  header.samplerate = sample_rate;
  header.channels = channels;
  header.format = sndfile_format(format);
  if (sample_rate <= 0 || channels <= 0 || sf_format_check(&header) == 0) {
    throw Error(file_message(name_, "cannot write " + std::to_string(channels) + " channels at " +
                                        std::to_string(sample_rate) + " Hz in this format"));
  }
  file_ = sf_open(path.c_str(), SFM_WRITE, &header);
  if (file_ == nullptr) {
    throw Error(file_message(name_, std::string("cannot write: ") + sf_strerror(nullptr)));
  }
  // A float WAV's PEAK chunk holds the time of writing: without it the same audio is the same
  // bytes (reproducible outputs; sharded runs equal one run).
  sf_command(file_, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
}

StreamWriter::~StreamWriter() {
  if (file_ != nullptr) sf_close(file_);
}

void StreamWriter::write(const torch::Tensor& audio) {
  if (file_ == nullptr) throw Error(file_message(name_, "write after close"));
  if (audio.dim() != 2 || audio.size(0) != channels_ || !audio.is_floating_point()) {
    throw Error(file_message(name_, "expected floating-point audio shaped (" +
                                        std::to_string(channels_) + ", samples), got " +
                                        c10::str(audio.sizes())));
  }
  torch::Tensor samples = audio.detach().to(torch::kCPU, torch::kFloat);  // (C, n)
  if (!torch::isfinite(samples).all().item<bool>()) {
    throw Error(file_message(name_, "the audio contains NaN or infinite values"));
  }
  if (clamp_ && samples.numel() > 0) {
    const torch::Tensor magnitude = samples.abs();
    clipped_ += (magnitude > 1.0f).sum().item<int64_t>();
    peak_ = std::max(peak_, magnitude.max().item<float>());
    samples = samples.clamp(-1.0, 1.0);
  }
  const torch::Tensor interleaved = samples.t().contiguous();  // (n, C)
  const sf_count_t frames = interleaved.size(0);
  if (sf_writef_float(file_, interleaved.data_ptr<float>(), frames) != frames) {
    throw Error(file_message(name_, std::string("write failed: ") + sf_strerror(file_)));
  }
  frames_ += frames;
}

void StreamWriter::close() {
  if (file_ == nullptr) return;
  const int error = sf_close(file_);
  file_ = nullptr;
  if (error != 0) {
    throw Error(file_message(name_, std::string("write failed: ") + sf_error_number(error)));
  }
  if (clipped_ > 0) {
    std::ostringstream warning;
    warning << "auralflow: warning: "
            << file_message(name_, "clipped " + std::to_string(clipped_) + " samples to [-1, 1]")
            << " (peak " << peak_ << ")\n";
    std::cerr << warning.str() << std::flush;
  }
}

}  // namespace auralflow::audio
