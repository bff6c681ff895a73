#include "html.hpp"

#include <openssl/evp.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

namespace auralflow::report {

std::string escape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string decibels(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f", value);
  return text;
}

std::string url_path(const std::string& path) {
  std::string url;
  for (unsigned char c : path) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      url += static_cast<char>(c);
    } else {
      char encoded[4];
      std::snprintf(encoded, sizeof(encoded), "%%%02X", c);
      url += encoded;
    }
  }
  return url;
}

std::string data_url(const std::string& mime, const std::string& bytes) {
  std::vector<unsigned char> base64(4 * ((bytes.size() + 2) / 3) + 1);
  const int length =
      EVP_EncodeBlock(base64.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  return "data:" + mime + ";base64," +
         std::string(reinterpret_cast<const char*>(base64.data()), static_cast<size_t>(length));
}

}  // namespace auralflow::report
