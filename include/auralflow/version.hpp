#pragma once
/// @file
/// The version of the library (the project version of the top-level CMakeLists.txt).
#include <string>

namespace auralflow {

/// The library version, e.g. "0.1.0".
std::string version();

/// One line describing the build: version, LibTorch version, CUDA availability.
std::string build_info();

}  // namespace auralflow
