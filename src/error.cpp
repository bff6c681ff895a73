#include "auralflow/error.hpp"

namespace auralflow {

std::string file_message(const std::string& path, const std::string& what) {
  return "'" + path + "': " + what;
}

}  // namespace auralflow
