#pragma once
/// @file
/// Errors raised for user mistakes and bad input. The message names the file or
/// key and what is wrong; the CLI prints it as one line.
#include <stdexcept>
#include <string>

namespace auralflow {

/// Base of every error Auralflow throws on purpose.
class Error : public std::runtime_error {
 public:
  /// An error whose what() is `message`.
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// A command line or option value that cannot be used (CLI exit status 2).
class UsageError : public Error {
 public:
  using Error::Error;  ///< constructed from its message, as Error
};

/// An output that is already there and is not replaced unless asked (the `force` option of
/// the call; the CLI adds its `--force` hint).
class ExistsError : public Error {
 public:
  using Error::Error;  ///< constructed from its message, as Error
};

/// Builds `"<path>: <what>"`, the common shape of file-related messages.
std::string file_message(const std::string& path, const std::string& what);

}  // namespace auralflow
