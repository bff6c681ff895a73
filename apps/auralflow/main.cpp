// auralflow: the command-line program. Errors are one line on stderr:
// "auralflow: error: ..." with exit status 1 (2 for usage mistakes).
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

#include "auralflow/error.hpp"
#include "auralflow/version.hpp"
#include "blas_kernels.hpp"
#include "commands.hpp"
#include "worker_launcher.hpp"

namespace {

// "auralflow: error: " (with the rank in a distributed job, whose workers share a terminal).
std::string error_prefix() {
  const char* rank = std::getenv("RANK");
  const char* world_size = std::getenv("WORLD_SIZE");
  if (rank == nullptr || world_size == nullptr || std::string(world_size) == "1")
    return "auralflow: error: ";
  return std::string("auralflow [rank ") + rank + "]: error: ";
}

}  // namespace

int main(int argc, char** argv) {
  auralflow::cli::use_blas_kernels_for_this_cpu(argv);
  auralflow::cli::remember_command_line(argc, argv);
  CLI::App app{"Auralflow: music source separation (vocals, drums, bass, other) on LibTorch."};
  app.name("auralflow");
  app.set_version_flag("--version", auralflow::build_info());
  app.require_subcommand(1);
  auralflow::cli::add_config_command(app);
  auralflow::cli::add_train_command(app);
  auralflow::cli::add_separate_command(app);
  auralflow::cli::add_evaluate_command(app);
  auralflow::cli::add_synth_command(app);
  auralflow::cli::add_pretrained_command(app);
  auralflow::cli::add_report_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& success) {
    return app.exit(success);
  } catch (const CLI::ParseError& error) {
    std::cerr << error_prefix() << error.what() << "\n"
              << "Run 'auralflow --help' for usage.\n";
    return 2;
  } catch (const auralflow::UsageError& error) {
    std::cerr << error_prefix() << error.what() << "\n";
    return 2;
  } catch (const auralflow::ExistsError& error) {
    std::cerr << error_prefix() << error.what() << " (--force replaces it)\n";
    return 1;
  } catch (const auralflow::Error& error) {
    std::cerr << error_prefix() << error.what() << "\n";
    return 1;
  } catch (const c10::Error& error) {
    std::cerr << error_prefix() << error.what_without_backtrace() << "\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << error_prefix() << error.what() << "\n";
    return 1;
  }
  return 0;
}
