// Reading through libsndfile: WAV, FLAC, OGG (Vorbis/Opus), AIFF and the rest of
// libsndfile's formats but MPEG audio (FFmpeg reads it: see is_mpeg_audio). Only the
// requested range is read (sf_seek + sf_readf_float).
#include <algorithm>
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
      : path_(std::move(path)), file_(std::move(file)) {
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

  // Seeks to `start` and reads the frames there, a chunk at a time into the (channels,
  // frames) result (no whole-range interleaved copy); fewer than the header promises means
  // the file is truncated or corrupt.
  torch::Tensor read(int64_t start, int64_t count) override {
    start = std::min(start, info_.frames);
    const int64_t available = info_.frames - start;
    count = count < 0 ? available : std::min(count, available);
    const int64_t channels = info_.channels;
    torch::Tensor audio = torch::empty({channels, count});
    if (count > 0 && sf_seek(file_.get(), start, SEEK_SET) < 0) {
      throw Error(file_message(path_, "truncated or corrupt: cannot seek to frame " +
                                          std::to_string(start) + ": " + sf_strerror(file_.get())));
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

 private:
  std::string path_;
  SndfileHandle file_;
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
  if ((header.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG) return nullptr;  // for FFmpeg
  if (header.samplerate <= 0 || header.channels <= 0 || header.frames < 0) {
    throw Error(file_message(path, "corrupt header: " + std::to_string(header.channels) +
                                       " channels at " + std::to_string(header.samplerate) +
                                       " Hz"));
  }
  return std::make_unique<SndfileReader>(path, std::move(file), header);
}

}  // namespace auralflow::audio::detail
