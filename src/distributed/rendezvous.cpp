// torchrun's environment variables -> Rendezvous.
#include <cstdlib>
#include <stdexcept>

#include "auralflow/distributed.hpp"
#include "auralflow/error.hpp"

namespace auralflow::distributed {
namespace {

std::optional<std::string> variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

int integer_variable(const char* name, int fallback, int minimum) {
  const auto text = variable(name);
  if (!text) return fallback;
  size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text->size() || value < minimum)
    throw UsageError(std::string(name) + "='" + *text +
                     "' is not an integer >= " + std::to_string(minimum));
  return value;
}

}  // namespace

std::optional<Rendezvous> Rendezvous::from_environment() {
  if (!variable("WORLD_SIZE")) return std::nullopt;
  Rendezvous rendezvous;
  rendezvous.world_size = integer_variable("WORLD_SIZE", 1, 1);
  rendezvous.rank = integer_variable("RANK", 0, 0);
  rendezvous.local_rank = integer_variable("LOCAL_RANK", rendezvous.rank, 0);
  rendezvous.master_addr = variable("MASTER_ADDR").value_or("127.0.0.1");
  rendezvous.master_port = integer_variable("MASTER_PORT", 29500, 1);
  rendezvous.timeout =
      std::chrono::milliseconds(1000 * integer_variable("AURALFLOW_DIST_TIMEOUT", 120, 1));
  if (rendezvous.rank >= rendezvous.world_size)
    throw UsageError("RANK=" + std::to_string(rendezvous.rank) +
                     " is not below WORLD_SIZE=" + std::to_string(rendezvous.world_size));
  if (rendezvous.master_port > 65535)
    throw UsageError("MASTER_PORT=" + std::to_string(rendezvous.master_port) +
                     " is not a port number");
  return rendezvous;
}

}  // namespace auralflow::distributed
