#pragma once
// `auralflow train ... --nproc N`: runs N copies of this command on this machine as the ranks
// of one distributed job (torchrun's variables set for each), and supervises them: when one
// fails, the others are stopped and the launch fails with a line naming the rank.
#include <string>
#include <vector>

namespace auralflow::cli {

/// Keeps this process's command line for run_local_workers (main calls it first).
void remember_command_line(int argc, char** argv);

/// Starts `nproc` workers running this executable with the remembered arguments less
/// `--nproc N`, as RANK 0..nproc-1 on 127.0.0.1 and a free port; returns when all have exited.
/// Ctrl-C is passed on to them. Throws auralflow::Error naming the first rank that failed.
void run_local_workers(int nproc);

}  // namespace auralflow::cli
