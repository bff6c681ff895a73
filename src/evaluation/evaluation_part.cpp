#include "auralflow/evaluation_part.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "auralflow/atomic_file.hpp"
#include "auralflow/error.hpp"

namespace auralflow {
namespace {

using metrics::Metric;
using nlohmann::json;

constexpr const char* kFormat = "auralflow evaluation part";
constexpr int kVersion = 1;

json value_json(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

double value_of(const json& value) {
  if (value.is_number()) return value.get<double>();
  const auto text = value.get<std::string>();
  if (text == "nan") return std::nan("");
  if (text == "inf" || text == "-inf") return text == "inf" ? INFINITY : -INFINITY;
  throw Error("not a number: '" + text + "'");
}

json results_json(const std::vector<EvaluatedTrack>& results) {
  json list = json::array();
  for (const auto& track : results) {
    json targets = json::object();
    for (const auto& [target, scores] : track.scores.targets) {
      for (Metric metric : metrics::all_metrics())
        targets[target][metrics::to_string(metric)] =
            value_json(metrics::track_value(scores, metric));
    }
    list.push_back({{"track", track.name}, {"targets", targets}});
  }
  return list;
}

std::vector<EvaluatedTrack> results_of(const json& list) {
  std::vector<EvaluatedTrack> results;
  for (const auto& item : list) {
    EvaluatedTrack track{item.at("track").get<std::string>(), {}};
    for (const auto& [target, values] : item.at("targets").items()) {
      auto& scores = track.scores.targets[target];
      for (Metric metric : metrics::all_metrics())
        metrics::track_value(scores, metric) = value_of(values.at(metrics::to_string(metric)));
    }
    results.push_back(std::move(track));
  }
  return results;
}

std::string shard_name(const EvaluationPart& part) { return "shard " + part.shard.text(); }

// Error when the parts cannot be merged: other settings or counts, shards missing or twice.
void check_compatible(const std::vector<EvaluationPart>& parts) {
  if (parts.empty()) throw UsageError("no evaluation parts to merge");
  const auto& first = parts.front();
  std::set<int64_t> seen;
  for (const auto& part : parts) {
    for (const auto& [key, value] : first.scored) {
      const auto theirs = part.scored.find(key);
      if (theirs == part.scored.end() || theirs->second != value) {
        throw Error("the parts scored different things: " + shard_name(first) + " has " + key +
                    " = " + value + ", " + shard_name(part) + " has " +
                    (theirs == part.scored.end() ? "none" : theirs->second));
      }
    }
    if (part.scored.size() != first.scored.size())
      throw Error("the parts scored different things (" + shard_name(part) + " has other fields)");
    if (part.shard.count != first.shard.count)
      throw Error("the parts come from different splits: " + shard_name(first) + " and " +
                  shard_name(part));
    if (part.split_tracks != first.split_tracks)
      throw Error("the parts list different tracks for the split (" + shard_name(first) + " and " +
                  shard_name(part) + "): was the data set changed?");
    if (!seen.insert(part.shard.index).second) throw Error(shard_name(part) + " is given twice");
  }
  std::string missing;
  for (int64_t index = 1; index <= first.shard.count; ++index)
    if (seen.count(index) == 0) missing += (missing.empty() ? "" : ", ") + std::to_string(index);
  if (!missing.empty())
    throw Error("missing shard(s) " + missing + " of " + std::to_string(first.shard.count));
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

std::filesystem::path evaluation_part_file(const std::filesystem::path& csv, const Shard& shard) {
  return csv.parent_path() / (csv.stem().string() + "." + shard.file_tag() + ".json");
}

void write_evaluation_part(const std::filesystem::path& file, const EvaluationPart& part) {
  json scored = json::object();
  for (const auto& [key, value] : part.scored) scored[key] = json::parse(value);
  const json document = {{"format", kFormat},
                         {"version", kVersion},
                         {"output", part.output.string()},
                         {"scored", scored},
                         {"shard", {{"index", part.shard.index}, {"count", part.shard.count}}},
                         {"split_tracks", part.split_tracks},
                         {"shard_tracks", part.shard_tracks},
                         {"results", results_json(part.results)}};
  write_text_atomically(file, document.dump(1) + "\n");
}

EvaluationPart read_evaluation_part(const std::filesystem::path& file) {
  std::ifstream stream(file);
  if (!stream) throw Error(file_message(file.string(), "cannot open the evaluation part"));
  try {
    const json document = json::parse(stream);
    if (document.value("format", "") != kFormat)
      throw Error("not an evaluation part (one shard's scores, see docs/cluster.md)");
    if (document.at("version").get<int>() != kVersion)
      throw Error("evaluation part version " + document.at("version").dump() + ", expected " +
                  std::to_string(kVersion));
    EvaluationPart part;
    part.output = document.at("output").get<std::string>();
    for (const auto& [key, value] : document.at("scored").items()) part.scored[key] = value.dump();
    part.shard = {document.at("shard").at("index").get<int64_t>(),
                  document.at("shard").at("count").get<int64_t>(), file.string()};
    part.split_tracks = document.at("split_tracks").get<std::vector<std::string>>();
    part.shard_tracks = document.at("shard_tracks").get<std::vector<std::string>>();
    part.results = results_of(document.at("results"));
    return part;
  } catch (const json::exception& error) {
    throw Error(
        file_message(file.string(), std::string("not a valid evaluation part: ") + error.what()));
  } catch (const Error& error) {
    throw Error(file_message(file.string(), error.what()));
  }
}

std::vector<std::filesystem::path> find_evaluation_parts(
    const std::vector<std::filesystem::path>& paths) {
  static const std::regex part_name(R"(.*\.shard-[0-9]+-of-[0-9]+\.json)");
  std::vector<std::filesystem::path> files;
  for (const auto& path : paths) {
    if (!std::filesystem::is_directory(path)) {
      if (!std::filesystem::exists(path))
        throw Error(file_message(path.string(), "no such evaluation part or folder"));
      files.push_back(path);
      continue;
    }
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(path))
      if (entry.is_regular_file() && std::regex_match(entry.path().filename().string(), part_name))
        found.push_back(entry.path());
    if (found.empty())
      throw Error(file_message(path.string(), "no evaluation parts (*.shard-K-of-N.json) here"));
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

std::vector<EvaluatedTrack> merge_evaluation_parts(const std::vector<EvaluationPart>& parts) {
  check_compatible(parts);
  std::map<std::string, EvaluatedTrack> scored;       // track -> its scores
  std::map<std::string, std::string> shard_of_track;  // track -> "shard K/N" it belongs to
  std::vector<std::string> doubled;
  for (const auto& part : parts) {
    for (const auto& name : part.shard_tracks) shard_of_track[name] = shard_name(part);
    for (const auto& track : part.results)
      if (!scored.emplace(track.name, track).second) doubled.push_back(track.name);
  }
  if (!doubled.empty()) throw Error("tracks scored in two parts: " + joined(doubled));
  std::vector<std::string> missing;
  std::vector<EvaluatedTrack> merged;
  for (const auto& name : parts.front().split_tracks) {
    const auto found = scored.find(name);
    if (found == scored.end()) {
      const auto shard = shard_of_track.find(name);
      missing.push_back(name + " (" +
                        (shard == shard_of_track.end() ? "in no shard" : shard->second) + ")");
    } else {
      merged.push_back(found->second);
    }
  }
  if (!missing.empty())
    throw Error("tracks not scored yet (re-run their shard): " + joined(missing));
  return merged;
}

}  // namespace auralflow
