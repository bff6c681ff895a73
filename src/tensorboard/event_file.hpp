#pragma once
// Private to src/tensorboard: an append-only events.out.tfevents.* file of TFRecords.
#include <filesystem>
#include <string>

namespace auralflow::tensorboard::detail {

class EventFile {
 public:
  /// Creates `run_dir` if needed and a new `events.out.tfevents.<unix time>.<hostname>`
  /// in it (`.1`, `.2`, ... appended if that name exists); auralflow::Error if it cannot.
  explicit EventFile(const std::filesystem::path& run_dir);
  ~EventFile();
  EventFile(const EventFile&) = delete;
  EventFile& operator=(const EventFile&) = delete;

  const std::filesystem::path& path() const { return path_; }

  /// Appends `payload` as one TFRecord (length, masked CRC32C of the length, payload,
  /// masked CRC32C of the payload; integers little-endian) with a single write(2).
  void append(const std::string& payload);

  /// fdatasync(2).
  void sync();

 private:
  std::filesystem::path path_;
  int descriptor_ = -1;
};

}  // namespace auralflow::tensorboard::detail
