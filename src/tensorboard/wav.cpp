#include "tensorboard/wav.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>

#include "audio/sndfile_handle.hpp"
#include "auralflow/error.hpp"

namespace auralflow::tensorboard::detail {
namespace {

// A growable in-memory file for sf_open_virtual.
struct MemoryFile {
  std::string bytes;
  sf_count_t position = 0;
};

MemoryFile& file_of(void* user) { return *static_cast<MemoryFile*>(user); }

sf_count_t length(void* user) { return static_cast<sf_count_t>(file_of(user).bytes.size()); }

sf_count_t seek(sf_count_t offset, int whence, void* user) {
  MemoryFile& file = file_of(user);
  const sf_count_t origin = whence == SEEK_SET   ? 0
                            : whence == SEEK_CUR ? file.position
                                                 : static_cast<sf_count_t>(file.bytes.size());
  file.position = std::max<sf_count_t>(0, origin + offset);
  return file.position;
}

sf_count_t read(void* destination, sf_count_t count, void* user) {
  MemoryFile& file = file_of(user);
  const auto size = static_cast<sf_count_t>(file.bytes.size());
  const sf_count_t available = std::clamp<sf_count_t>(size - file.position, 0, count);
  std::memcpy(destination, file.bytes.data() + file.position, static_cast<size_t>(available));
  file.position += available;
  return available;
}

sf_count_t write(const void* source, sf_count_t count, void* user) {
  MemoryFile& file = file_of(user);
  const auto end = static_cast<size_t>(file.position + count);
  if (end > file.bytes.size()) file.bytes.resize(end);
  std::memcpy(file.bytes.data() + file.position, source, static_cast<size_t>(count));
  file.position += count;
  return count;
}

sf_count_t tell(void* user) { return file_of(user).position; }

}  // namespace

std::string encode_wav16(const torch::Tensor& audio, int sample_rate) {
  // Clamped here: libsndfile's own clipping mode rounds negative samples down.
  const torch::Tensor interleaved = audio.clamp(-1.0, 1.0).t().contiguous();  // (N, C)
  SF_INFO header{};
  header.samplerate = sample_rate;
  header.channels = static_cast<int>(audio.size(0));
  header.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SF_VIRTUAL_IO io{length, seek, read, write, tell};
  MemoryFile memory;
  audio::detail::SndfileHandle file(sf_open_virtual(&io, SFM_WRITE, &header, &memory));
  if (!file) throw Error(std::string("cannot encode WAV: ") + sf_strerror(nullptr));
  const sf_count_t frames = interleaved.size(0);
  if (sf_writef_float(file.get(), interleaved.data_ptr<float>(), frames) != frames) {
    throw Error(std::string("cannot encode WAV: ") + sf_strerror(file.get()));
  }
  if (const int error = sf_close(file.release()); error != 0) {
    throw Error(std::string("cannot encode WAV: ") + sf_error_number(error));
  }
  return std::move(memory.bytes);
}

}  // namespace auralflow::tensorboard::detail
