#pragma once
// Private to src/tensorboard: CRC-32C (Castagnoli), the checksum of TFRecord framing.
// Debian 12 packages no C/C++ CRC32C library, hence this table-driven one.
#include <cstdint>
#include <string_view>

namespace auralflow::tensorboard::detail {

/// CRC-32C of `data` (reflected polynomial 0x82F63B78); crc32c("123456789") = 0xE3069283.
uint32_t crc32c(std::string_view data);

/// TFRecord's masked form: rotate right by 15 bits, then add 0xA282EAD8.
uint32_t masked_crc32c(std::string_view data);

}  // namespace auralflow::tensorboard::detail
