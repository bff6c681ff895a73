// auralflow: the command-line program. Errors are one line on stderr:
// "auralflow: error: ..." with exit status 1 (2 for usage mistakes).
#include <CLI/CLI.hpp>

#include <iostream>

#include "auralflow/error.hpp"
#include "auralflow/version.hpp"
#include "commands.hpp"

int main(int argc, char** argv) {
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& success) {
    return app.exit(success);
  } catch (const CLI::ParseError& error) {
    std::cerr << "auralflow: error: " << error.what() << "\n"
              << "Run 'auralflow --help' for usage.\n";
    return 2;
  } catch (const auralflow::UsageError& error) {
    std::cerr << "auralflow: error: " << error.what() << "\n";
    return 2;
  } catch (const auralflow::Error& error) {
    std::cerr << "auralflow: error: " << error.what() << "\n";
    return 1;
  } catch (const c10::Error& error) {
    std::cerr << "auralflow: error: " << error.what_without_backtrace() << "\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "auralflow: error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
