#pragma once
// Helpers shared by the benchmark programs.
#include <sys/resource.h>

namespace auralflow::bench {

/// Peak resident set size of this process so far, MiB (Linux reports ru_maxrss in KiB).
inline double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace auralflow::bench
