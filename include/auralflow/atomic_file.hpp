#pragma once
/// @file
/// "Nothing lost": outputs and checkpoints are written to a temporary name in the
/// target's folder and renamed over the target only once complete. A crash,
/// Ctrl-C or full disk mid-write leaves the previous file (if any) intact.
#include <filesystem>
#include <functional>
#include <string>

namespace auralflow {

/// Calls `write(temporary_path)`, then renames the temporary file to `target`.
/// If `write` throws (or the rename fails) the temporary file is removed and the
/// error is rethrown as auralflow::Error naming `target`; `target` is untouched.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path&)>& write);

/// Writes `contents` to `target` atomically (flushes and checks for write errors).
void write_text_atomically(const std::filesystem::path& target, const std::string& contents);

}  // namespace auralflow
