// audio::open_signal: a libsndfile file (WAV, FLAC, AIFF: sample-exact seeking) read a block at
// a time behind a small cache, shared by the threads that read it.
#include <algorithm>
#include <cmath>
#include <mutex>
#include <vector>

#include "auralflow/audio_signal.hpp"
#include "auralflow/error.hpp"
#include "reader.hpp"

namespace auralflow::audio {
namespace {

constexpr int64_t kBlockFrames = 16384;
constexpr size_t kCachedBlocks = 8;  // a few blocks per reading thread

class FileSignal : public Signal {
 public:
  FileSignal(std::unique_ptr<detail::Reader> reader, int64_t samples)
      : reader_(std::move(reader)), samples_(samples) {}

  int64_t channels() const override { return reader_->info().channels; }
  int64_t samples() const override { return samples_; }

  void read(int64_t channel, int64_t begin, int64_t count, double* out) const override {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (int64_t done = 0; done < count;) {
      const int64_t position = begin + done;
      const int64_t offset = position % kBlockFrames;
      const auto& block = cached_block(position / kBlockFrames);  // (C, ≤ kBlockFrames)
      const int64_t n = std::min(count - done, block.size(1) - offset);
      const float* row = block.data_ptr<float>() + channel * block.size(1) + offset;
      std::copy(row, row + n, out + done);
      done += n;
    }
  }

 private:
  struct Block {
    int64_t index = -1;
    torch::Tensor audio;  // (C, frames) float32
    uint64_t last_use = 0;
  };

  const torch::Tensor& cached_block(int64_t index) const {
    ++clock_;
    auto found = std::find_if(cache_.begin(), cache_.end(),
                              [index](const Block& block) { return block.index == index; });
    if (found == cache_.end()) {
      if (cache_.size() < kCachedBlocks) {
        found = cache_.emplace(cache_.end());
      } else {
        found = std::min_element(cache_.begin(), cache_.end(), [](const auto& a, const auto& b) {
          return a.last_use < b.last_use;
        });
      }
      const int64_t start = index * kBlockFrames;
      found->audio = reader_->read(start, std::min(kBlockFrames, samples_ - start));
      found->index = index;
    }
    found->last_use = clock_;
    return found->audio;
  }

  std::unique_ptr<detail::Reader> reader_;
  int64_t samples_;
  mutable std::mutex mutex_;
  mutable std::vector<Block> cache_;  // least recently used block replaced first
  mutable uint64_t clock_ = 0;
};

}  // namespace

SignalPtr open_signal(const std::string& path, std::optional<double> duration) {
  if (duration && !(*duration >= 0.0)) {
    throw UsageError(file_message(path, "duration must be >= 0 seconds"));
  }
  auto reader = detail::open_reader(path, 0);
  const AudioInfo& info = reader->info();
  if (info.format != "WAV" && info.format != "FLAC" && info.format != "AIFF") return nullptr;
  int64_t samples = info.frames;
  if (duration) samples = std::min<int64_t>(samples, std::llround(*duration * info.sample_rate));
  return std::make_shared<FileSignal>(std::move(reader), samples);
}

}  // namespace auralflow::audio
