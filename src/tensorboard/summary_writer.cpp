// SummaryWriter: Event protobufs (event.proto / summary.proto) appended to an EventFile.
#include <torch/torch.h>

#include <chrono>
#include <mutex>

#include "auralflow/error.hpp"
#include "auralflow/tensorboard.hpp"
#include "event.pb.h"
#include "tensorboard/event_file.hpp"
#include "tensorboard/histogram.hpp"
#include "tensorboard/wav.hpp"

namespace auralflow::tensorboard {
namespace {

constexpr char kFileVersion[] = "brain.Event:2";
constexpr char kPngSignature[] = "\x89PNG\r\n\x1a\n";

double seconds_since_epoch() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

uint32_t big_endian_u32(const std::string& bytes, size_t at) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[at + i]);
  return value;
}

// Summary.Image colorspace for a PNG colour type (IHDR byte 25).
int colorspace_of(uint8_t png_colour_type) {
  switch (png_colour_type) {
    case 0:
      return 1;  // grayscale
    case 4:
      return 2;  // grayscale + alpha
    case 6:
      return 4;  // RGBA
    default:
      return 3;  // RGB, palette
  }
}

}  // namespace

struct SummaryWriter::Impl {
  explicit Impl(const std::filesystem::path& run_dir) : file(run_dir) {
    pb::Event event;
    event.set_file_version(kFileVersion);
    write(event);
  }

  // Stamps the wall time and appends `event` as one record.
  void write(pb::Event& event) {
    event.set_wall_time(seconds_since_epoch());
    const std::string payload = event.SerializeAsString();
    const std::lock_guard<std::mutex> lock(mutex);
    file.append(payload);
  }

  // A Summary event with one value tagged `tag`; `fill` sets the value's payload.
  template <typename Fill>
  void write_value(const std::string& tag, int64_t step, Fill&& fill) {
    pb::Event event;
    event.set_step(step);
    pb::Summary::Value& value = *event.mutable_summary()->add_value();
    value.set_tag(tag);
    fill(value);
    write(event);
  }

  std::string message(const std::string& kind, const std::string& tag, const std::string& what) {
    return file_message(file.path().string(), kind + " '" + tag + "': " + what);
  }

  detail::EventFile file;
  std::mutex mutex;
};

SummaryWriter::SummaryWriter(const std::filesystem::path& run_dir)
    : impl_(std::make_unique<Impl>(run_dir)) {}
SummaryWriter::~SummaryWriter() = default;
SummaryWriter::SummaryWriter(SummaryWriter&&) noexcept = default;
SummaryWriter& SummaryWriter::operator=(SummaryWriter&&) noexcept = default;

const std::filesystem::path& SummaryWriter::path() const { return impl_->file.path(); }

void SummaryWriter::add_scalar(const std::string& tag, double value, int64_t step) {
  impl_->write_value(
      tag, step, [&](pb::Summary::Value& out) { out.set_simple_value(static_cast<float>(value)); });
}

void SummaryWriter::add_histogram(const std::string& tag, const torch::Tensor& values, int64_t step,
                                  int64_t num_buckets) {
  if (num_buckets <= 0) throw Error(impl_->message("histogram", tag, "num_buckets must be > 0"));
  if (!values.defined()) throw Error(impl_->message("histogram", tag, "undefined tensor"));
  impl_->write_value(tag, step, [&](pb::Summary::Value& out) {
    detail::fill_histogram(values, num_buckets, *out.mutable_histo());
  });
}

void SummaryWriter::add_image(const std::string& tag, const visualize::Image& image, int64_t step) {
  add_image(tag, visualize::encode_png(image), step);
}

void SummaryWriter::add_image(const std::string& tag, const std::string& png, int64_t step) {
  // Signature (8 bytes), IHDR length and type (8), width, height, bit depth, colour type.
  if (png.size() < 26 || png.compare(0, 8, kPngSignature, 8) != 0 ||
      png.compare(12, 4, "IHDR") != 0) {
    throw Error(impl_->message("image", tag, "not PNG data"));
  }
  impl_->write_value(tag, step, [&](pb::Summary::Value& out) {
    pb::Summary::Image& image = *out.mutable_image();
    image.set_width(static_cast<int32_t>(big_endian_u32(png, 16)));
    image.set_height(static_cast<int32_t>(big_endian_u32(png, 20)));
    image.set_colorspace(colorspace_of(static_cast<uint8_t>(png[25])));
    image.set_encoded_image_string(png);
  });
}

void SummaryWriter::add_audio(const std::string& tag, const torch::Tensor& waveform,
                              int sample_rate, int64_t step) {
  if (!waveform.defined() || waveform.dim() < 1 || waveform.dim() > 2 || waveform.numel() == 0 ||
      !waveform.is_floating_point()) {
    throw Error(impl_->message("audio", tag,
                               "expected non-empty float audio shaped (channels, samples) or "
                               "(samples), got " +
                                   (waveform.defined() ? c10::str(waveform.sizes()) : "none")));
  }
  if (sample_rate <= 0) throw Error(impl_->message("audio", tag, "sample_rate must be > 0"));
  const auto samples = (waveform.dim() == 2 ? waveform : waveform.unsqueeze(0))
                           .detach()
                           .to(torch::kCPU, torch::kFloat);  // (C, N)
  if (!torch::isfinite(samples).all().item<bool>()) {
    throw Error(impl_->message("audio", tag, "the audio contains NaN or infinite values"));
  }
  const std::string wav = detail::encode_wav16(samples, sample_rate);
  impl_->write_value(tag, step, [&](pb::Summary::Value& out) {
    pb::Summary::Audio& audio = *out.mutable_audio();
    audio.set_sample_rate(static_cast<float>(sample_rate));
    audio.set_num_channels(samples.size(0));
    audio.set_length_frames(samples.size(1));
    audio.set_encoded_audio_string(wav);
    audio.set_content_type("audio/wav");
  });
}

void SummaryWriter::flush() {
  const std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->file.sync();
}

}  // namespace auralflow::tensorboard
