// Image storage and PNG output through libpng's simplified API (no setjmp needed).
#include <png.h>

#include "auralflow/atomic_file.hpp"
#include "auralflow/error.hpp"
#include "auralflow/visualize.hpp"

namespace auralflow::visualize {
namespace {

size_t offset(const Image& image, int64_t y, int64_t x) {
  if (y < 0 || y >= image.height || x < 0 || x >= image.width) {
    throw Error("Image: pixel (" + std::to_string(y) + ", " + std::to_string(x) +
                ") is outside a " + std::to_string(image.height) + " x " +
                std::to_string(image.width) + " image");
  }
  return static_cast<size_t>((y * image.width + x) * 3);
}

}  // namespace

Image::Image(int64_t height, int64_t width, Rgb fill) : height(height), width(width) {
  if (height < 0 || width < 0) throw Error("Image: negative size");
  pixels.resize(static_cast<size_t>(height * width * 3));
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = fill[i % 3];
}

Rgb Image::at(int64_t y, int64_t x) const {
  const size_t i = offset(*this, y, x);
  return {pixels[i], pixels[i + 1], pixels[i + 2]};
}

void Image::set(int64_t y, int64_t x, Rgb colour) {
  const size_t i = offset(*this, y, x);
  for (size_t c = 0; c < 3; ++c) pixels[i + c] = colour[c];
}

std::string encode_png(const Image& image) {
  if (image.height <= 0 || image.width <= 0 || image.height > PNG_UINT_31_MAX ||
      image.width > PNG_UINT_31_MAX ||
      image.pixels.size() != static_cast<size_t>(image.height * image.width * 3)) {
    throw Error("encode_png: expected a non-empty RGB image, got " + std::to_string(image.height) +
                " x " + std::to_string(image.width) + " with " +
                std::to_string(image.pixels.size()) + " bytes");
  }
  png_image header{};
  header.version = PNG_IMAGE_VERSION;
  header.width = static_cast<png_uint_32>(image.width);
  header.height = static_cast<png_uint_32>(image.height);
  header.format = PNG_FORMAT_RGB;
  // First call: the size; second call: the bytes.
  png_alloc_size_t size = 0;
  if (png_image_write_to_memory(&header, nullptr, &size, 0, image.pixels.data(), 0, nullptr) == 0) {
    throw Error(std::string("encode_png: libpng: ") + header.message);
  }
  std::string bytes(size, '\0');
  if (png_image_write_to_memory(&header, bytes.data(), &size, 0, image.pixels.data(), 0, nullptr) ==
      0) {
    throw Error(std::string("encode_png: libpng: ") + header.message);
  }
  bytes.resize(size);
  return bytes;
}

void save_png(const std::filesystem::path& path, const Image& image) {
  write_text_atomically(path, encode_png(image));
}

}  // namespace auralflow::visualize
