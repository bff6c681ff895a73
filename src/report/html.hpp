#pragma once
// Small HTML-writing helpers for the report page.
#include <string>

namespace auralflow::report {

/// `text` with & < > " ' escaped, for element content and attribute values.
std::string escape(const std::string& text);

/// A value in dB with 2 decimals, "nan", "inf" or "-inf".
std::string decibels(double value);

/// `path` percent-encoded for an href/src attribute (unreserved characters and '/' kept).
std::string url_path(const std::string& path);

/// "data:<mime>;base64,..." for `bytes`.
std::string data_url(const std::string& mime, const std::string& bytes);

}  // namespace auralflow::report
