#include "auralflow/inference_precision.hpp"

#include <array>
#include <utility>

#include "auralflow/error.hpp"

namespace auralflow {
namespace {

constexpr std::array<std::pair<const char*, InferencePrecision>, 3> kNames{{
    {"auto", InferencePrecision::kAuto},
    {"float32", InferencePrecision::kFloat32},
    {"bfloat16", InferencePrecision::kBFloat16},
}};

}  // namespace

InferencePrecision parse_inference_precision(const std::string& name) {
  for (const auto& [known, precision] : kNames) {
    if (name == known) return precision;
  }
  throw Error("unknown inference precision '" + name + "' (auto, float32 or bfloat16)");
}

std::string to_string(InferencePrecision precision) {
  for (const auto& [name, known] : kNames) {
    if (precision == known) return name;
  }
  throw Error("to_string: not an InferencePrecision");
}

bool cpu_computes_bfloat16() {
#if defined(__x86_64__) || defined(__i386__)
  // libgcc's and compiler-rt's check includes the OS saving the AVX-512 registers (XCR0).
  return __builtin_cpu_supports("avx512bf16") != 0;
#else
  return false;
#endif
}

}  // namespace auralflow
