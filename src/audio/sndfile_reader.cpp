// Reading through libsndfile: WAV, FLAC, OGG (Vorbis/Opus), MP3, AIFF and the rest
// of libsndfile's formats. Only the requested range is read (sf_seek + sf_readf_float),
// except for MPEG audio: libsndfile 1.2's MP3 seeks are off by up to thousands of samples
// and its frame counts can be estimates, so MP3 is decoded from the start (samples
// before the range dropped) up to the range's end or the end of the stream.
#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "auralflow/error.hpp"
#include "reader.hpp"
#include "sndfile_handle.hpp"

namespace auralflow::audio::detail {
namespace {

constexpr sf_count_t kChunkFrames = 16384;  // frames per read

std::string format_name(int format) {
  switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX:
    case SF_FORMAT_RF64:
      return "WAV";
    case SF_FORMAT_FLAC:
      return "FLAC";
    case SF_FORMAT_OGG:
      return "OGG";
    case SF_FORMAT_MPEG:
      return (format & SF_FORMAT_SUBMASK) == SF_FORMAT_MPEG_LAYER_III ? "MP3" : "MPEG";
    case SF_FORMAT_AIFF:
      return "AIFF";
    default: {
      SF_FORMAT_INFO major{};
      major.format = format & SF_FORMAT_TYPEMASK;
      sf_command(nullptr, SFC_GET_FORMAT_INFO, &major, sizeof(major));
      return major.name != nullptr ? major.name : "unknown";
    }
  }
}

std::string tag(SNDFILE* file, int type) {
  const char* value = sf_get_string(file, type);
  return value != nullptr ? value : "";
}

class SndfileReader : public Reader {
 public:
  SndfileReader(std::string path, SndfileHandle file, const SF_INFO& header)
      : path_(std::move(path)),
        file_(std::move(file)),
        seekable_((header.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG) {
    info_.sample_rate = header.samplerate;
    info_.channels = header.channels;
    info_.frames = header.frames;
    info_.duration = static_cast<double>(header.frames) / header.samplerate;
    info_.num_streams = 1;
    info_.format = format_name(header.format);
    info_.artist = tag(file_.get(), SF_STR_ARTIST);
    info_.title = tag(file_.get(), SF_STR_TITLE);
  }

  const AudioInfo& info() const override { return info_; }

  torch::Tensor read(int64_t start, int64_t count) override {
    return seekable_ ? read_range(start, count) : read_from_start(start, count);
  }

 private:
  // Seeks to `start` and reads the frames there, a chunk at a time into the (channels,
  // frames) result (no whole-range interleaved copy); fewer than the header promises means
  // the file is truncated or corrupt.
  torch::Tensor read_range(int64_t start, int64_t count) {
    start = std::min(start, info_.frames);
    const int64_t available = info_.frames - start;
    count = count < 0 ? available : std::min(count, available);
    const int64_t channels = info_.channels;
    torch::Tensor audio = torch::empty({channels, count});
    if (count > 0 && sf_seek(file_.get(), start, SEEK_SET) < 0) {
      throw Error(file_message(path_, "cannot seek to frame " + std::to_string(start) + ": " +
                                          sf_strerror(file_.get())));
    }
    std::vector<float> chunk(std::min<int64_t>(count, kChunkFrames) * channels);  // (frames, C)
    float* out = audio.data_ptr<float>();
    for (int64_t done = 0; done < count;) {
      const sf_count_t want = std::min<int64_t>(kChunkFrames, count - done);
      const sf_count_t got = sf_readf_float(file_.get(), chunk.data(), want);
      if (got != want) {
        throw Error(file_message(path_, "truncated or corrupt: read " +
                                            std::to_string(done + std::max<sf_count_t>(got, 0)) +
                                            " of " + std::to_string(count) + " frames from frame " +
                                            std::to_string(start)));
      }
      for (int64_t c = 0; c < channels; ++c) {
        float* row = out + c * count + done;
        for (sf_count_t n = 0; n < got; ++n) row[n] = chunk[n * channels + c];
      }
      done += got;
    }
    return audio;
  }

  // Decodes from the beginning, keeping frames [start, start + count) of what exists.
  torch::Tensor read_from_start(int64_t start, int64_t count) {
    const int64_t end = count < 0 ? std::numeric_limits<int64_t>::max() : start + count;
    const int64_t channels = info_.channels;
    std::vector<float> chunk(kChunkFrames * channels);  // (frames, channels)
    std::vector<float> kept;                            // (frames, channels)
    int64_t position = 0;
    while (position < end) {
      const sf_count_t got = sf_readf_float(file_.get(), chunk.data(), kChunkFrames);
      if (got <= 0) break;
      const int64_t first = std::clamp<int64_t>(start - position, 0, got);
      const int64_t last = std::clamp<int64_t>(end - position, 0, got);
      kept.insert(kept.end(), chunk.begin() + first * channels, chunk.begin() + last * channels);
      position += got;
    }
    if (sf_error(file_.get()) != SF_ERR_NO_ERROR) {
      throw Error(
          file_message(path_, std::string("corrupt audio data: ") + sf_strerror(file_.get())));
    }
    const auto frames = static_cast<int64_t>(kept.size()) / channels;
    // (channels, frames), copied out of `kept` (a mono .t() view would still point into it).
    return torch::from_blob(kept.data(), {frames, channels})
        .t()
        .clone(at::MemoryFormat::Contiguous);
  }

  std::string path_;
  SndfileHandle file_;
  bool seekable_;  // sf_seek is sample-accurate and the header's frame count exact
  AudioInfo info_;
};

}  // namespace

std::unique_ptr<Reader> open_sndfile(const std::string& path) {
  SF_INFO header{};
  SndfileHandle file(sf_open(path.c_str(), SFM_READ, &header));
  if (!file) {
    if (sf_error(nullptr) == SF_ERR_UNRECOGNISED_FORMAT) return nullptr;
    throw Error(file_message(path, std::string("cannot read: ") + sf_strerror(nullptr)));
  }
  if (header.samplerate <= 0 || header.channels <= 0 || header.frames < 0) {
    throw Error(file_message(path, "corrupt header: " + std::to_string(header.channels) +
                                       " channels at " + std::to_string(header.samplerate) +
                                       " Hz"));
  }
  return std::make_unique<SndfileReader>(path, std::move(file), header);
}

}  // namespace auralflow::audio::detail
