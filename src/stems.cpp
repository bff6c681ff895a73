#include "auralflow/stems.hpp"

namespace auralflow {

const std::vector<std::string>& stem_names() {
  static const std::vector<std::string> names{"drums", "bass", "other", "vocals"};
  return names;
}

}  // namespace auralflow
