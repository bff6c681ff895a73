#include "worker_launcher.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "auralflow/error.hpp"

namespace auralflow::cli {
namespace {

std::vector<pid_t> workers;             // read by the signal handler
std::vector<std::string> command_line;  // argv[1:]

void forward_signal(int signal) {
  for (const pid_t pid : workers)
    if (pid > 0) ::kill(pid, signal);
}

// A TCP port that is free on 127.0.0.1 now (rank 0's store binds it moments later).
int free_port() {
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (probe < 0 || ::bind(probe, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw Error("cannot find a free TCP port on 127.0.0.1 for the workers");
  ::close(probe);
  return ntohs(address.sin_port);
}

pid_t start_worker(int rank, int nproc, int port, const std::vector<std::string>& arguments) {
  const pid_t pid = ::fork();
  if (pid < 0) throw Error("cannot start worker " + std::to_string(rank));
  if (pid > 0) return pid;
  ::setenv("MASTER_ADDR", "127.0.0.1", 1);
  ::setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
  ::setenv("WORLD_SIZE", std::to_string(nproc).c_str(), 1);
  ::setenv("RANK", std::to_string(rank).c_str(), 1);
  ::setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
  ::setenv("LOCAL_WORLD_SIZE", std::to_string(nproc).c_str(), 1);  // threads: CPUs / nproc
  std::vector<char*> argv;
  std::string program = "auralflow";
  argv.push_back(program.data());
  std::vector<std::string> copies = arguments;
  for (auto& argument : copies) argv.push_back(argument.data());
  argv.push_back(nullptr);
  ::execv("/proc/self/exe", argv.data());
  std::_Exit(127);
}

std::string describe(int status) {
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

// Stops the workers still running: SIGTERM, then SIGKILL after a grace period.
void stop_workers(std::vector<bool>& running) {
  forward_signal(SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    bool any = false;
    for (size_t rank = 0; rank < workers.size(); ++rank) {
      if (!running[rank]) continue;
      int status = 0;
      if (::waitpid(workers[rank], &status, WNOHANG) == workers[rank])
        running[rank] = false;
      else
        any = true;
    }
    if (!any) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (size_t rank = 0; rank < workers.size(); ++rank) {
    if (!running[rank]) continue;
    ::kill(workers[rank], SIGKILL);
    ::waitpid(workers[rank], nullptr, 0);
  }
}

}  // namespace

void remember_command_line(int argc, char** argv) { command_line.assign(argv + 1, argv + argc); }

void run_local_workers(int nproc) {
  std::vector<std::string> arguments;
  for (size_t i = 0; i < command_line.size(); ++i) {
    if (command_line[i] == "--nproc") {
      ++i;
      continue;
    }
    if (command_line[i].rfind("--nproc=", 0) != 0) arguments.push_back(command_line[i]);
  }
  const int port = free_port();
  workers.assign(static_cast<size_t>(nproc), -1);
  for (int rank = 0; rank < nproc; ++rank)
    workers[rank] = start_worker(rank, nproc, port, arguments);
  std::signal(SIGINT, forward_signal);
  std::signal(SIGTERM, forward_signal);
  std::cerr << "started " << nproc << " workers on 127.0.0.1:" << port << " (pids";
  for (const pid_t pid : workers) std::cerr << " " << pid;
  std::cerr << ")\n";

  std::vector<bool> running(workers.size(), true);
  for (size_t left = workers.size(); left > 0; --left) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) break;
    size_t rank = 0;
    while (rank < workers.size() && workers[rank] != pid) ++rank;
    if (rank == workers.size()) {
      ++left;
      continue;
    }
    running[rank] = false;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) continue;
    stop_workers(running);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    throw Error("worker " + std::to_string(rank) + " of " + std::to_string(nproc) + " " +
                describe(status) + "; the other workers were stopped");
  }
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

}  // namespace auralflow::cli
