// Runs a command and writes its peak resident set (KiB) to a file (private to bench/):
//   peak_rss_wrapper OUT_FILE PROGRAM [ARGUMENTS...]
// exits with the command's status (128 + signal when killed).
//
// Why a separate small program: Linux carries the old address space's high-water mark into
// ru_maxrss at exec, and a child started from a large process (posix_spawn shares, fork
// copies its pages) starts from the parent's. This program is small, so the command it
// forks is measured from near zero.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: peak_rss_wrapper OUT_FILE PROGRAM [ARGUMENTS...]\n");
    return 2;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("peak_rss_wrapper: fork");
    return 1;
  }
  if (pid == 0) {
    execv(argv[2], argv + 2);
    std::perror(argv[2]);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) < 0) {
    std::perror("peak_rss_wrapper: wait4");
    return 1;
  }
  if (std::FILE* out = std::fopen(argv[1], "w")) {
    std::fprintf(out, "%ld\n", usage.ru_maxrss);
    std::fclose(out);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
