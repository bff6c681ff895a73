// StreamResampler: libsoxr's streaming interface with the io and quality specs of
// resample(), so the streamed output equals the one-shot output sample for sample.
#include <soxr.h>

#include <cmath>
#include <string>
#include <vector>

#include "auralflow/audio_stream.hpp"
#include "auralflow/error.hpp"

namespace auralflow::audio {

StreamResampler::StreamResampler(int channels, int from_rate, int to_rate)
    : channels_(channels), from_rate_(from_rate), to_rate_(to_rate) {
  if (channels <= 0 || from_rate <= 0 || to_rate <= 0) {
    throw Error("resample: channels and sample rates must be positive, got " +
                std::to_string(channels) + " channels, " + std::to_string(from_rate) + " -> " +
                std::to_string(to_rate) + " Hz");
  }
  if (from_rate == to_rate) return;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  soxr_error_t error = nullptr;
  soxr_ = soxr_create(from_rate, to_rate, static_cast<unsigned>(channels), &error, &io, &quality,
                      nullptr);
  if (error != nullptr) throw Error(std::string("resample: libsoxr failed: ") + error);
}

StreamResampler::~StreamResampler() { soxr_delete(soxr_); }

torch::Tensor StreamResampler::process(const torch::Tensor& input) {
  const bool flush = !input.defined();
  const int64_t frames = flush ? 0 : input.size(1);
  // soxr may hold back up to its filter length; room for that plus the new samples.
  const auto room =
      static_cast<int64_t>(std::ceil(static_cast<double>(frames) * to_rate_ / from_rate_)) +
      static_cast<int64_t>(std::ceil(soxr_delay(soxr_))) + 64;
  std::vector<torch::Tensor> outputs;
  int64_t consumed = 0;
  while (true) {
    torch::Tensor output = torch::empty({channels_, room});  // (C, room)
    std::vector<const float*> in_planes(channels_);
    std::vector<float*> out_planes(channels_);
    for (int c = 0; c < channels_; ++c) {
      if (!flush) in_planes[c] = input[c].data_ptr<float>() + consumed;
      out_planes[c] = output[c].data_ptr<float>();
    }
    size_t used = 0;
    size_t done = 0;
    const soxr_error_t error = soxr_process(soxr_, flush ? nullptr : in_planes.data(),
                                            static_cast<size_t>(frames - consumed), &used,
                                            out_planes.data(), static_cast<size_t>(room), &done);
    if (error != nullptr) throw Error(std::string("resample: libsoxr failed: ") + error);
    consumed += static_cast<int64_t>(used);
    outputs.push_back(output.narrow(1, 0, static_cast<int64_t>(done)));
    // Done when the input is used up and soxr had no more to give than fitted.
    if (consumed == frames && static_cast<int64_t>(done) < room) break;
  }
  return torch::cat(outputs, 1);
}

torch::Tensor StreamResampler::push(const torch::Tensor& audio) {
  if (audio.dim() != 2 || audio.size(0) != channels_) {
    throw Error("resample: expected audio shaped (" + std::to_string(channels_) +
                ", samples), got " + c10::str(audio.sizes()));
  }
  const torch::Tensor input = audio.to(torch::kCPU, torch::kFloat).contiguous();  // (C, n)
  input_samples_ += input.size(1);
  const torch::Tensor output = soxr_ != nullptr ? process(input) : input;
  output_samples_ += output.size(1);
  return output;
}

torch::Tensor StreamResampler::finish(std::optional<int64_t> total) {
  const int64_t wanted =
      total.value_or(std::llround(static_cast<double>(input_samples_) * to_rate_ / from_rate_));
  if (wanted < output_samples_) {
    throw Error("resample: " + std::to_string(output_samples_) +
                " samples are already out, more than the " + std::to_string(wanted) + " asked");
  }
  torch::Tensor rest = soxr_ != nullptr ? process({}) : torch::empty({channels_, 0});
  const int64_t missing = wanted - output_samples_;
  rest = rest.size(1) >= missing ? rest.narrow(1, 0, missing)
                                 : torch::constant_pad_nd(rest, {0, missing - rest.size(1)});
  output_samples_ = wanted;
  return rest;
}

}  // namespace auralflow::audio
