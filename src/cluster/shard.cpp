#include "auralflow/shard.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "auralflow/error.hpp"

namespace auralflow {
namespace {

// A whole number, or nullopt for anything else (sign, spaces, text after the digits).
std::optional<int64_t> whole_number(const std::string& text) {
  if (text.empty() || text.size() > 12 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoll(text);
}

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::optional<std::string>(value) : std::nullopt;
}

// The value of environment variable `name` as a whole number; UsageError when it is not one.
std::optional<int64_t> environment_number(const char* name) {
  const auto text = environment(name);
  if (!text) return std::nullopt;
  const auto number = whole_number(*text);
  if (!number) throw UsageError(std::string(name) + "='" + *text + "' is not a whole number");
  return number;
}

Shard checked(Shard shard) {
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count) {
    throw UsageError("shard " + shard.text() + " (from " + shard.source +
                     ") does not exist: shards are 1/N to N/N");
  }
  return shard;
}

std::optional<Shard> slurm_shard() {
  const auto id = environment_number("SLURM_ARRAY_TASK_ID");
  if (!id) return std::nullopt;
  const auto count = environment_number("SLURM_ARRAY_TASK_COUNT");
  if (!count) throw UsageError("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not");
  const int64_t min = environment_number("SLURM_ARRAY_TASK_MIN").value_or(0);
  const int64_t step =
      std::max<int64_t>(1, environment_number("SLURM_ARRAY_TASK_STEP").value_or(1));
  const std::string source = "SLURM_ARRAY_TASK_ID=" + std::to_string(*id);
  if (*id < min || (*id - min) % step != 0) {
    throw UsageError(source + " is not in the array " + std::to_string(min) +
                     "-...:" + std::to_string(step) + " (SLURM_ARRAY_TASK_MIN/STEP)");
  }
  return checked({(*id - min) / step + 1, *count, source});
}

std::optional<Shard> indexed_job_shard(std::optional<int64_t> count,
                                       const ShardSettingNames& names) {
  const auto index = environment_number("JOB_COMPLETION_INDEX");
  if (!index) return std::nullopt;
  if (!count) {
    throw UsageError("JOB_COMPLETION_INDEX is set: give the " + names.count +
                     " N (the Job's completions)");
  }
  return checked({*index + 1, *count, "JOB_COMPLETION_INDEX=" + std::to_string(*index)});
}

}  // namespace

std::string Shard::text() const { return std::to_string(index) + "/" + std::to_string(count); }

std::string Shard::file_tag() const {
  return "shard-" + std::to_string(index) + "-of-" + std::to_string(count);
}

Shard parse_shard(const std::string& text, const std::string& source) {
  const auto slash = text.find('/');
  const auto index = whole_number(text.substr(0, slash));
  const auto count =
      slash == std::string::npos ? std::nullopt : whole_number(text.substr(slash + 1));
  if (!index || !count) throw UsageError(source + " '" + text + "': expected K/N, e.g. 2/3");
  return checked({*index, *count, source});
}

std::optional<Shard> resolve_shard(const std::optional<std::string>& given,
                                   std::optional<int64_t> count, const ShardSettingNames& names) {
  if (given) {
    if (count) {
      throw UsageError("the " + names.count + " goes with JOB_COMPLETION_INDEX, not with a " +
                       names.shard + " K/N");
    }
    return parse_shard(*given, names.shard);
  }
  if (auto shard = slurm_shard()) return shard;
  if (auto shard = indexed_job_shard(count, names)) return shard;
  if (count) {
    throw UsageError("the " + names.count +
                     " needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)");
  }
  return std::nullopt;
}

std::vector<size_t> shard_members(const std::vector<double>& given, const Shard& shard) {
  std::vector<double> durations(given.size());  // unknown (NaN) or negative: 0
  std::transform(given.begin(), given.end(), durations.begin(), [](double seconds) {
    return std::isfinite(seconds) ? std::max(0.0, seconds) : 0.0;
  });
  std::vector<size_t> order(durations.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Longest first; equal durations keep their list order (stable), so the split is deterministic.
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return durations[a] > durations[b]; });
  std::vector<double> load(static_cast<size_t>(shard.count), 0.0);
  std::vector<size_t> members;
  for (size_t item : order) {
    const auto lightest = static_cast<size_t>(std::min_element(load.begin(), load.end()) -
                                              load.begin());  // first of equal loads
    load[lightest] += durations[item];
    if (static_cast<int64_t>(lightest) + 1 == shard.index) members.push_back(item);
  }
  std::sort(members.begin(), members.end());
  return members;
}

}  // namespace auralflow
