// Reading through FFmpeg (libavformat/libavcodec/libswresample): MP4, M4A, AAC and
// the multi-stream MUSDB18 `.stem.mp4`. A range read seeks (av_seek_frame) a little
// before the start so the decoder warms up, then drops samples up to the exact start.
// Where the container states the stream's length (MP4), decoding stops there: the
// encoder's padding of the last frame is dropped, so load() returns info().frames.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswresample/swresample.h>
}

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "auralflow/error.hpp"
#include "reader.hpp"

namespace auralflow::audio::detail {
namespace {

// Samples decoded (and dropped) before a seek target: warms up codecs whose frames
// overlap (AAC's MDCT, MP3's bit reservoir) so a range read matches a full read.
constexpr int64_t kSeekPreroll = 8192;

struct FormatCloser {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
struct CodecCloser {
  void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct ResamplerCloser {
  void operator()(SwrContext* context) const { swr_free(&context); }
};
struct PacketCloser {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FrameCloser {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};

std::string av_message(int code) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buffer, sizeof(buffer));
  return buffer;
}

void silence_ffmpeg_log() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

// "mov,mp4,m4a,3gp,3g2,mj2" -> "MP4", "aac" -> "AAC".
std::string container_name(const AVInputFormat* format) {
  std::string name = format->name;
  if (name.rfind("mov,", 0) == 0) return "MP4";
  name = name.substr(0, name.find(','));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name;
}

std::string tag(const AVFormatContext* format, const AVStream* stream, const char* key) {
  const AVDictionaryEntry* entry = av_dict_get(format->metadata, key, nullptr, 0);
  if (entry == nullptr) entry = av_dict_get(stream->metadata, key, nullptr, 0);
  return entry != nullptr ? entry->value : "";
}

class FfmpegReader : public Reader {
 public:
  FfmpegReader(const std::string& path, int stream) : path_(path) {
    silence_ffmpeg_log();
    AVFormatContext* opened = nullptr;
    if (const int error = avformat_open_input(&opened, path.c_str(), nullptr, nullptr); error < 0) {
      throw Error(file_message(path, "not a recognised audio file (" + av_message(error) + ")"));
    }
    format_.reset(opened);
    if (const int error = avformat_find_stream_info(opened, nullptr); error < 0) {
      throw Error(file_message(path, "cannot read the stream headers: " + av_message(error)));
    }
    // Keep the requested audio stream; the demuxer skips the others (covers, other stems).
    int audio_streams = 0;
    for (unsigned i = 0; i < opened->nb_streams; ++i) {
      AVStream* candidate = opened->streams[i];
      const bool audio = candidate->codecpar->codec_type == AVMEDIA_TYPE_AUDIO;
      if (audio && audio_streams++ == stream) {
        stream_ = candidate;
      } else {
        candidate->discard = AVDISCARD_ALL;
      }
    }
    if (audio_streams == 0) throw Error(file_message(path, "no audio stream in the file"));
    if (stream_ == nullptr) throw Error(file_message(path, no_such_stream(stream, audio_streams)));

    const AVCodecParameters* parameters = stream_->codecpar;
    if (parameters->sample_rate <= 0 || parameters->ch_layout.nb_channels <= 0) {
      throw Error(file_message(path, "audio stream " + std::to_string(stream) + " (" +
                                         avcodec_get_name(parameters->codec_id) +
                                         ") has no sample rate or channel count"));
    }
    info_.sample_rate = parameters->sample_rate;
    info_.channels = parameters->ch_layout.nb_channels;
    exact_length_ = stream_->duration != AV_NOPTS_VALUE &&
                    opened->duration_estimation_method != AVFMT_DURATION_FROM_BITRATE;
    info_.frames = header_frames();
    info_.duration = static_cast<double>(info_.frames) / info_.sample_rate;
    info_.num_streams = audio_streams;
    info_.format = container_name(opened->iformat);
    info_.artist = tag(opened, stream_, "artist");
    info_.title = tag(opened, stream_, "title");
  }

  const AudioInfo& info() const override { return info_; }

  torch::Tensor read(int64_t start, int64_t count) override {
    open_decoder();
    int64_t end = count < 0 ? std::numeric_limits<int64_t>::max() : start + count;
    if (exact_length_) end = std::min(end, info_.frames);
    const bool seeked = start > 0 && seek(std::max<int64_t>(0, start - kSeekPreroll));
    std::vector<std::vector<float>> channels(info_.channels);  // (channels, frames) kept
    for (auto& channel : channels) {
      channel.reserve(
          static_cast<size_t>(std::max<int64_t>(0, std::min(end, info_.frames) - start)));
    }

    std::unique_ptr<AVPacket, PacketCloser> packet(av_packet_alloc());
    std::unique_ptr<AVFrame, FrameCloser> frame(av_frame_alloc());
    bool anchored = false;  // true once `position` (the next decoded frame index) is known
    int64_t position = 0;
    bool flushed = false;
    while (!flushed && position < end) {
      const int status = av_read_frame(format_.get(), packet.get());
      if (status == AVERROR_EOF) {
        flushed = true;
        decode(nullptr);  // drains the decoder's delayed frames
      } else if (status < 0) {
        throw Error(file_message(path_, "read error: " + av_message(status)));
      } else {
        const bool ours = packet->stream_index == stream_->index;
        if (ours) decode(packet.get());
        av_packet_unref(packet.get());
        if (!ours) continue;
      }
      int received = 0;
      while ((received = avcodec_receive_frame(decoder_.get(), frame.get())) >= 0) {
        if (!anchored) {
          position = first_position(*frame, seeked);
          anchored = true;
        }
        keep(*frame, position, start, end, channels);
        position += frame->nb_samples;
        av_frame_unref(frame.get());
      }
      if (received != AVERROR(EAGAIN) && received != AVERROR_EOF) {
        throw Error(file_message(path_, "corrupt audio data: " + av_message(received)));
      }
    }
    // Audio ending well before the stated length is a truncated file (two frames of
    // slack for decoders that drop a partial last frame).
    if (exact_length_ && flushed && position + 2 * std::max(1024, decoder_->frame_size) < end) {
      throw Error(file_message(path_, "truncated: audio ends at frame " + std::to_string(position) +
                                          " of " + std::to_string(info_.frames)));
    }

    const int64_t kept = static_cast<int64_t>(channels.front().size());
    torch::Tensor audio = torch::empty({info_.channels, kept});  // (channels, frames)
    for (int c = 0; c < info_.channels; ++c) {
      std::memcpy(audio[c].data_ptr<float>(), channels[c].data(), kept * sizeof(float));
    }
    return audio;
  }

 private:
  int64_t header_frames() const {
    if (stream_->duration != AV_NOPTS_VALUE) {
      return av_rescale_q(stream_->duration, stream_->time_base, {1, info_.sample_rate});
    }
    if (format_->duration != AV_NOPTS_VALUE) {
      return av_rescale(format_->duration, info_.sample_rate, AV_TIME_BASE);
    }
    return 0;
  }

  int64_t start_time() const {
    return stream_->start_time != AV_NOPTS_VALUE ? stream_->start_time : 0;
  }

  void open_decoder() {
    const AVCodecParameters* parameters = stream_->codecpar;
    const AVCodec* codec = avcodec_find_decoder(parameters->codec_id);
    if (codec == nullptr) {
      throw Error(file_message(path_, std::string("unsupported codec '") +
                                          avcodec_get_name(parameters->codec_id) + "'"));
    }
    decoder_.reset(avcodec_alloc_context3(codec));
    if (!decoder_) throw Error(file_message(path_, "out of memory for the decoder"));
    int error = avcodec_parameters_to_context(decoder_.get(), parameters);
    decoder_->pkt_timebase = stream_->time_base;
    if (error >= 0) error = avcodec_open2(decoder_.get(), codec, nullptr);
    if (error < 0) {
      throw Error(file_message(
          path_, std::string("cannot open the ") + codec->name + " decoder: " + av_message(error)));
    }
  }

  // Seeks to a keyframe at or before `frame`; false when the container cannot seek
  // (then decoding starts at the beginning and samples before the start are dropped).
  bool seek(int64_t frame) {
    const int64_t timestamp =
        start_time() + av_rescale_q(frame, {1, info_.sample_rate}, stream_->time_base);
    if (av_seek_frame(format_.get(), stream_->index, timestamp, AVSEEK_FLAG_BACKWARD) < 0) {
      return false;
    }
    avcodec_flush_buffers(decoder_.get());
    return true;
  }

  // Index of the first sample of the first decoded frame.
  int64_t first_position(const AVFrame& frame, bool seeked) const {
    const int64_t pts = frame.pts != AV_NOPTS_VALUE ? frame.pts : frame.best_effort_timestamp;
    if (pts == AV_NOPTS_VALUE) {
      if (seeked) throw Error(file_message(path_, "cannot seek: the stream has no timestamps"));
      return 0;
    }
    return av_rescale_q(pts - start_time(), stream_->time_base, {1, info_.sample_rate});
  }

  void decode(const AVPacket* packet) {
    const int error = avcodec_send_packet(decoder_.get(), packet);
    if (error < 0 && error != AVERROR_EOF) {
      throw Error(file_message(path_, "corrupt audio data: " + av_message(error)));
    }
  }

  // Converts `frame` (any sample format) to planar float and appends the part of it
  // inside [start, end) to `channels`; the frame starts at sample `position`.
  void keep(const AVFrame& frame, int64_t position, int64_t start, int64_t end,
            std::vector<std::vector<float>>& channels) {
    if (frame.ch_layout.nb_channels != info_.channels || frame.sample_rate != info_.sample_rate) {
      throw Error(file_message(path_, "the channel count or sample rate changes mid-stream"));
    }
    if (!resampler_) {
      SwrContext* created = nullptr;
      // FFmpeg 5 takes the layouts as non-const pointers but only reads them.
      auto* layout = const_cast<AVChannelLayout*>(&frame.ch_layout);
      const int error = swr_alloc_set_opts2(&created, layout, AV_SAMPLE_FMT_FLTP, frame.sample_rate,
                                            layout, static_cast<AVSampleFormat>(frame.format),
                                            frame.sample_rate, 0, nullptr);
      resampler_.reset(created);
      if (error < 0 || swr_init(created) < 0) {
        throw Error(file_message(path_, "cannot convert the decoded sample format"));
      }
    }
    const int64_t first = std::max<int64_t>(0, start - position);
    const int64_t last = std::min<int64_t>(frame.nb_samples, end - position);
    if (first >= last) return;
    converted_.resize(static_cast<size_t>(info_.channels) * frame.nb_samples);
    std::vector<uint8_t*> planes(info_.channels);
    for (int c = 0; c < info_.channels; ++c) {
      planes[c] = reinterpret_cast<uint8_t*>(converted_.data() + c * frame.nb_samples);
    }
    const int done =
        swr_convert(resampler_.get(), planes.data(), frame.nb_samples,
                    const_cast<const uint8_t**>(frame.extended_data), frame.nb_samples);
    if (done != frame.nb_samples) {
      throw Error(file_message(path_, "cannot convert the decoded sample format"));
    }
    for (int c = 0; c < info_.channels; ++c) {
      const float* plane = converted_.data() + c * frame.nb_samples;
      channels[c].insert(channels[c].end(), plane + first, plane + last);
    }
  }

  std::string path_;
  std::unique_ptr<AVFormatContext, FormatCloser> format_;
  AVStream* stream_ = nullptr;  // owned by format_
  bool exact_length_ = false;   // info_.frames comes from the container, not an estimate
  std::unique_ptr<AVCodecContext, CodecCloser> decoder_;
  std::unique_ptr<SwrContext, ResamplerCloser> resampler_;
  std::vector<float> converted_;  // (channels, frame samples) scratch for one frame
  AudioInfo info_;
};

}  // namespace

std::unique_ptr<Reader> open_ffmpeg(const std::string& path, int stream) {
  return std::make_unique<FfmpegReader>(path, stream);
}

}  // namespace auralflow::audio::detail
