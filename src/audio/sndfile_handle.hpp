#pragma once
// Private to src/audio: an owning SNDFILE* (closed with sf_close).
#include <sndfile.h>

#include <memory>

namespace auralflow::audio::detail {

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

}  // namespace auralflow::audio::detail
