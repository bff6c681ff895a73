#pragma once
// Side-by-side benchmarks against a baseline program (private to bench/): runs a command as
// a child process and measures it, and the small helpers around its output.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace auralflow::bench {

struct Run {
  double wall = 0.0;     // seconds
  double peak_mb = 0.0;  // the process's peak resident set
  std::string output;    // stdout and stderr
  int status = 0;
};

// Runs argv as a child process, capturing its output, its wall time and peak RSS. The child
// is started through peak_rss_wrapper (PEAK_RSS_WRAPPER_PATH, built beside the benches), so
// its peak does not start from this process's.
inline Run run(const std::vector<std::string>& command) {
  char peak_file[] = "/tmp/auralflow-peak-XXXXXX";
  const int peak_descriptor = mkstemp(peak_file);
  if (peak_descriptor < 0) throw std::runtime_error("mkstemp failed");
  close(peak_descriptor);
  std::vector<std::string> arguments{PEAK_RSS_WRAPPER_PATH, peak_file};
  arguments.insert(arguments.end(), command.begin(), command.end());
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 2);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
  std::vector<char*> argv;
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  Run result;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("cannot start " + command[0]);
  }
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_ends[1]);
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_ends[0], buffer, sizeof(buffer))) > 0;)
    result.output.append(buffer, n);
  close(pipe_ends[0]);
  waitpid(pid, &result.status, 0);
  result.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ifstream peak_kib(peak_file);
  double kib = 0.0;
  peak_kib >> kib;
  std::remove(peak_file);
  result.peak_mb = kib / 1024.0;
  return result;
}

inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// The last line of a process's output, as a number (the baseline prints its seconds there).
inline double last_number(const std::string& output) {
  auto end = output.find_last_not_of(" \n");
  const auto begin = output.rfind('\n', end);
  return std::stod(output.substr(begin == std::string::npos ? 0 : begin + 1));
}

inline std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
  return text;
}

// The command line every side-by-side bench shares:
//   [--seconds S] [--rounds N] [--baselines DIR] [--dir DIR] [EXTRA FLAG VALUE...] [-- OPTIONS...]
// --baselines defaults to $AURALFLOW_BASELINES; OPTIONS go to the auralflow command measured.
struct Arguments {
  int64_t seconds = 0;
  int rounds = 3;
  std::filesystem::path baselines;
  std::filesystem::path dir;
  std::map<std::string, std::string> extra;  // the bench's own flags ("--name" -> value)
  std::vector<std::string> passed_on;        // after "--"

  // The value of the bench's own flag `name`, or `fallback` when it was not given.
  std::string extra_or(const std::string& name, const std::string& fallback) const {
    const auto found = extra.find(name);
    return found == extra.end() ? fallback : found->second;
  }
};

// Parses argv; on a usage error prints `usage` and returns nothing (the bench exits 2).
// extra_flags names the bench's own flags that take a value.
inline std::optional<Arguments> parse_arguments(int argc, char** argv, int64_t default_seconds,
                                                const std::vector<std::string>& extra_flags,
                                                const std::string& usage) {
  Arguments arguments;
  arguments.seconds = default_seconds;
  if (const char* variable = std::getenv("AURALFLOW_BASELINES")) arguments.baselines = variable;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--") {
      arguments.passed_on.assign(argv + i + 1, argv + argc);
      break;
    }
    const bool known =
        argument == "--seconds" || argument == "--rounds" || argument == "--baselines" ||
        argument == "--dir" ||
        std::find(extra_flags.begin(), extra_flags.end(), argument) != extra_flags.end();
    if (!known || i + 1 >= argc) {
      std::cerr << "usage: " << usage << "\n";
      return std::nullopt;
    }
    const std::string value = argv[++i];
    if (argument == "--seconds") {
      arguments.seconds = std::stoll(value);
    } else if (argument == "--rounds") {
      arguments.rounds = std::stoi(value);
    } else if (argument == "--baselines") {
      arguments.baselines = value;
    } else if (argument == "--dir") {
      arguments.dir = value;
    } else {
      arguments.extra[argument] = value;
    }
  }
  if (arguments.rounds < 1 || arguments.seconds < 1) {
    std::cerr << "--rounds and --seconds must be at least 1\n";
    return std::nullopt;
  }
  return arguments;
}

// Debian's interpreter, which has the python3-* packages the baselines import.
inline const char* const kPython = "/usr/bin/python3";

// The baseline script `name` in the --baselines folder, or nothing (after printing why the
// bench skips) when no folder was given, it lacks the script, or kPython cannot import
// `modules` (Debian's python3-<module> packages).
inline std::optional<std::filesystem::path> find_baseline(const Arguments& arguments,
                                                          const std::string& name,
                                                          const std::vector<std::string>& modules) {
  if (arguments.baselines.empty()) {
    std::cout << "SKIPPED: no baseline folder given (--baselines DIR or $AURALFLOW_BASELINES)\n";
    return std::nullopt;
  }
  const auto script = arguments.baselines / name;
  if (!std::filesystem::exists(script)) {
    std::cout << "SKIPPED: no baseline at " << script.string() << " (--baselines DIR)\n";
    return std::nullopt;
  }
  std::string imports, packages;
  for (const auto& module : modules) {
    imports += (imports.empty() ? "import " : ", ") + module;
    packages += " python3-" + module;
  }
  if (run({kPython, "-c", imports}).status != 0) {
    std::cout << "SKIPPED: the baseline needs Debian's " << kPython << " with" << packages
              << " (apt-get install -y" << packages << ")\n";
    return std::nullopt;
  }
  return script;
}

}  // namespace auralflow::bench
