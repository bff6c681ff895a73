#include "auralflow/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>

#include "auralflow/error.hpp"

namespace auralflow {
namespace {

std::filesystem::path temporary_sibling(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  return target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                                 std::to_string(getpid()) + "-" + std::to_string(counter++));
}

}  // namespace

void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path&)>& write) {
  const auto temporary = temporary_sibling(target);
  try {
    write(temporary);
    std::filesystem::rename(temporary, target);
  } catch (const std::exception& error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    const std::string reason = error.what();
    // Messages that already name the file are passed through unchanged.
    if (dynamic_cast<const Error*>(&error) != nullptr) throw;
    throw Error(file_message(target.string(), "cannot write: " + reason));
  }
}

void write_text_atomically(const std::filesystem::path& target, const std::string& contents) {
  write_atomically(target, [&](const std::filesystem::path& temporary) {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(file_message(target.string(), "cannot open for writing"));
    out << contents;
    out.flush();
    if (!out) throw Error(file_message(target.string(), "write failed (disk full?)"));
  });
}

}  // namespace auralflow
