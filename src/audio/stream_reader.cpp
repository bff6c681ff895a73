// StreamReader: the file is opened (and checked) with the decoders of load(); libsndfile
// formats are then read sequentially from one open handle, FFmpeg formats block by block
// through range reads (which equal the slices of a whole read, see ffmpeg_reader.cpp).
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "auralflow/audio_stream.hpp"
#include "auralflow/error.hpp"
#include "reader.hpp"

namespace auralflow::audio {

StreamReader::StreamReader(const std::string& path, const StreamRange& range)
    : path_(path), stream_(range.stream) {
  if (!(range.offset >= 0.0) || !std::isfinite(range.offset)) {
    throw UsageError(
        file_message(path, "offset must be >= 0 seconds, got " + std::to_string(range.offset)));
  }
  if (range.duration && (!(*range.duration >= 0.0) || !std::isfinite(*range.duration))) {
    throw UsageError(file_message(
        path, "duration must be >= 0 seconds, got " + std::to_string(*range.duration)));
  }
  info_ = detail::open_reader(path, range.stream)->info();  // checks the file, reads the tags
  start_ = std::llround(range.offset * info_.sample_rate);
  if (range.duration) limit_ = std::llround(*range.duration * info_.sample_rate);
  expected_ = std::max<int64_t>(0, info_.frames - start_);
  if (limit_) expected_ = std::min(expected_, *limit_);

  SF_INFO header{};
  sndfile_ = detail::is_mpeg_audio(path) ? nullptr : sf_open(path.c_str(), SFM_READ, &header);
  if (sndfile_ != nullptr && (header.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG) {
    sf_close(sndfile_);  // MPEG found by its content: FFmpeg reads it (as in open_reader)
    sndfile_ = nullptr;
  }
  if (sndfile_ == nullptr) return;  // not a libsndfile format: FFmpeg range reads
  if (start_ >= info_.frames) {
    limit_ = 0;
  } else if (start_ > 0 && sf_seek(sndfile_, start_, SEEK_SET) < 0) {  // a new handle is at 0
    throw Error(file_message(path, "truncated or corrupt: cannot seek to frame " +
                                       std::to_string(start_) + ": " + sf_strerror(sndfile_)));
  }
}

StreamReader::~StreamReader() {
  if (sndfile_ != nullptr) sf_close(sndfile_);
}

torch::Tensor StreamReader::read(int64_t frames) {
  if (limit_) frames = std::min(frames, *limit_ - position_);
  frames = std::max<int64_t>(frames, 0);
  torch::Tensor block = sndfile_ != nullptr ? read_sndfile(frames) : read_ffmpeg(frames);
  position_ += block.size(1);
  return block;
}

torch::Tensor StreamReader::read_sndfile(int64_t frames) {
  torch::Tensor interleaved = torch::empty({frames, info_.channels});  // (frames, channels)
  const sf_count_t got =
      frames > 0 ? sf_readf_float(sndfile_, interleaved.data_ptr<float>(), frames) : 0;
  if (sf_error(sndfile_) != SF_ERR_NO_ERROR) {
    throw Error(file_message(path_, std::string("truncated or corrupt: ") + sf_strerror(sndfile_)));
  }
  // A file with fewer frames than its header states is truncated (as load() reports).
  if (got < frames && start_ + position_ + got < info_.frames) {
    throw Error(file_message(path_, "truncated or corrupt: read " +
                                        std::to_string(start_ + position_ + got) + " of " +
                                        std::to_string(info_.frames) + " frames"));
  }
  return interleaved.narrow(0, 0, got).t().contiguous();  // (channels, got)
}

torch::Tensor StreamReader::read_ffmpeg(int64_t frames) {
  if (frames == 0) return torch::empty({info_.channels, 0});
  return detail::open_reader(path_, stream_)->read(start_ + position_, frames);
}

}  // namespace auralflow::audio
