#include "tensorboard/event_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "auralflow/error.hpp"
#include "tensorboard/crc32c.hpp"

namespace auralflow::tensorboard::detail {
namespace {

std::string hostname() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

void append_little_endian(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
}

std::string frame(const std::string& payload) {
  std::string record;
  record.reserve(payload.size() + 16);
  append_little_endian(record, payload.size(), 8);
  append_little_endian(record, masked_crc32c(record), 4);
  record += payload;
  append_little_endian(record, masked_crc32c(payload), 4);
  return record;
}

}  // namespace

EventFile::EventFile(const std::filesystem::path& run_dir) {
  std::error_code error;
  std::filesystem::create_directories(run_dir, error);
  if (error) {
    throw Error(file_message(run_dir.string(),
                             "cannot create the TensorBoard run folder: " + error.message()));
  }
  const std::string base =
      "events.out.tfevents." + std::to_string(std::time(nullptr)) + "." + hostname();
  for (int suffix = 0; descriptor_ < 0; ++suffix) {
    path_ = run_dir / (suffix == 0 ? base : base + "." + std::to_string(suffix));
    descriptor_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (descriptor_ < 0 && errno != EEXIST) {
      throw Error(file_message(path_.string(), std::string("cannot create the TensorBoard event "
                                                           "file: ") +
                                                   std::strerror(errno)));
    }
  }
}

EventFile::~EventFile() { ::close(descriptor_); }

void EventFile::append(const std::string& payload) {
  const std::string record = frame(payload);
  size_t written = 0;
  while (written < record.size()) {
    const ssize_t count = ::write(descriptor_, record.data() + written, record.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      throw Error(file_message(
          path_.string(),
          std::string("write failed: ") + (count < 0 ? std::strerror(errno) : "no space")));
    }
    written += static_cast<size_t>(count);
  }
}

void EventFile::sync() {
  if (::fdatasync(descriptor_) != 0) {
    throw Error(file_message(path_.string(), std::string("sync failed: ") + std::strerror(errno)));
  }
}

}  // namespace auralflow::tensorboard::detail
