#include <cstdio>
#include <ostream>

#include "auralflow/callbacks.hpp"

namespace auralflow {
namespace {

template <typename... Values>
std::string format(const char* pattern, Values... values) {
  char line[256];
  std::snprintf(line, sizeof(line), pattern, values...);
  return line;
}

// [#####.....] 12/40
std::string bar(int64_t done, int64_t total) {
  constexpr int64_t kWidth = 24;
  const int64_t filled = total > 0 ? done * kWidth / total : kWidth;
  return "[" + std::string(static_cast<size_t>(filled), '#') +
         std::string(static_cast<size_t>(kWidth - filled), '.') + "]";
}

}  // namespace

ProgressReporter::ProgressReporter(std::ostream& out, bool interactive)
    : out_(out), interactive_(interactive) {}

void ProgressReporter::on_batch_end(const BatchEnd& batch) {
  const std::string line =
      format("epoch %lld %s %lld/%lld  loss %.4f  mean %.4f  %.1f chunks/s",
             static_cast<long long>(batch.epoch), bar(batch.batch, batch.num_batches).c_str(),
             static_cast<long long>(batch.batch), static_cast<long long>(batch.num_batches),
             batch.loss, batch.mean_loss, batch.chunks_per_second);
  if (interactive_) {
    out_ << '\r' << line << "\x1b[K" << std::flush;
    return;
  }
  const int64_t step = std::max<int64_t>(1, batch.num_batches / 10);
  if (batch.batch % step == 0 || batch.batch == batch.num_batches) out_ << line << '\n';
}

void ProgressReporter::on_epoch_end(const SeparationModel&, const EpochEnd& epoch) {
  if (interactive_) out_ << '\r' << "\x1b[K";
  out_ << format("epoch %lld  train %.4f  valid %.4f%s  lr %.3g  %.1f s%s",
                 static_cast<long long>(epoch.epoch), epoch.train_loss, epoch.valid_loss,
                 epoch.best ? " (best)" : "", epoch.learning_rate, epoch.seconds,
                 epoch.stop ? "  early stop" : "")
       << '\n'
       << std::flush;
}

}  // namespace auralflow
