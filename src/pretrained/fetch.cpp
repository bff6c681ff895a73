// `auralflow pretrained fetch`: download with libcurl into the cache, verify, then publish.
#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <mutex>

#include "auralflow/atomic_file.hpp"
#include "auralflow/error.hpp"
#include "auralflow/pretrained.hpp"

namespace auralflow::pretrained {
namespace {

struct Download {
  std::FILE* file = nullptr;
  const FetchOptions* options = nullptr;
};

size_t write_chunk(char* data, size_t size, size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  return std::fwrite(data, size, count, download->file) * size;
}

int report_progress(void* user, curl_off_t total, curl_off_t done, curl_off_t, curl_off_t) {
  const auto* download = static_cast<Download*>(user);
  if (download->options->progress) download->options->progress(done, total);
  return 0;
}

// Downloads `url` into `file`; an Error with curl's reason (or the HTTP status) on failure.
void download(const std::string& url, const std::filesystem::path& file,
              const FetchOptions& options) {
  static std::once_flag initialised;
  std::call_once(initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                                 &curl_easy_cleanup);
  if (!curl) throw Error("cannot start libcurl");
  const std::unique_ptr<std::FILE, decltype(&std::fclose)> out(std::fopen(file.c_str(), "wb"),
                                                               &std::fclose);
  if (!out) throw Error(file_message(file.string(), "cannot open for writing"));
  Download state{out.get(), &options};
  char reason[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, reason);
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 30L);
  // Give up when fewer than 1 byte/s arrive for 60 s (a stalled server), not on slow links.
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &write_chunk);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, &report_progress);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &state);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK)
    throw Error("download of " + url + " failed: " +
                (reason[0] ? std::string(reason) : std::string(curl_easy_strerror(code))));
  if (std::fflush(out.get()) != 0 || std::ferror(out.get()))
    throw Error(file_message(file.string(), "write error (disk full?)"));
}

bool verified(const std::filesystem::path& file, const RegistryEntry& entry) {
  return std::filesystem::is_regular_file(file) && sha256_of_file(file) == entry.sha256;
}

}  // namespace

std::filesystem::path fetch(const RegistryEntry& entry, const FetchOptions& options) {
  if (entry.bundled()) return entry.file;
  const auto target = cached_model_file(options.cache, entry.name);
  if (std::filesystem::exists(target)) {
    const bool intact = verified(target, entry);
    if (intact && !options.force) return target;
    if (!intact) std::filesystem::remove(target);  // a stale or damaged copy is not kept
  }
  std::filesystem::create_directories(target.parent_path());
  write_atomically(target, [&](const std::filesystem::path& temporary) {
    download(entry.url, temporary, options);
    const auto size = static_cast<int64_t>(std::filesystem::file_size(temporary));
    if (entry.size > 0 && size != entry.size)
      throw Error("download of '" + entry.name + "' has " + std::to_string(size) +
                  " bytes, the registry says " + std::to_string(entry.size) + "; discarded");
    const auto digest = sha256_of_file(temporary);
    if (digest != entry.sha256)
      throw Error("checksum mismatch for '" + entry.name + "': expected sha256 " + entry.sha256 +
                  ", got " + digest + "; the download was discarded");
  });
  return target;
}

}  // namespace auralflow::pretrained
