#pragma once
// Decodes PNG bytes with libpng in the tests, independently of auralflow::visualize.
#include <png.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace auralflow::testing {

struct DecodedPng {
  uint32_t height = 0;
  uint32_t width = 0;
  std::vector<uint8_t> rgb;  // (height, width, 3)

  std::vector<uint8_t> pixel(uint32_t y, uint32_t x) const {
    const auto at = rgb.begin() + (static_cast<size_t>(y) * width + x) * 3;
    return {at, at + 3};
  }
};

/// PNG file bytes -> 8-bit RGB pixels; std::runtime_error when libpng cannot read them.
inline DecodedPng decode_png(const std::string& bytes) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()) == 0) {
    throw std::runtime_error(std::string("libpng: ") + image.message);
  }
  image.format = PNG_FORMAT_RGB;
  DecodedPng decoded{image.height, image.width, std::vector<uint8_t>(PNG_IMAGE_SIZE(image))};
  if (png_image_finish_read(&image, nullptr, decoded.rgb.data(), 0, nullptr) == 0) {
    throw std::runtime_error(std::string("libpng: ") + image.message);
  }
  return decoded;
}

}  // namespace auralflow::testing
