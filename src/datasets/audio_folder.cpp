// AudioFolder: batches of random chunks, each batch seeded by (seed, epoch, index) and
// prepared ahead on background threads.
#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"
#include "chunk_sampler.hpp"
#include "random.hpp"

namespace auralflow {

namespace {

void check_sources(const std::vector<DataSource>& sources) {
  if (sources.empty()) throw UsageError("training needs at least one data set");
  for (const auto& source : sources) {
    if (!(source.weight > 0.0) || !std::isfinite(source.weight))
      throw UsageError("the weight of data set '" + source.root.string() +
                       "' must be a positive number, got " + std::to_string(source.weight));
  }
}

}  // namespace

// One data set: its verified tracks and the sampler drawing chunks from them.
struct AudioFolder::Source {
  Source(double weight_in, DatasetReport report_in, const DatasetOptions& options)
      : weight(weight_in), report(std::move(report_in)), sampler(report.tracks, options) {}

  double weight;
  DatasetReport report;
  datasets::ChunkSampler sampler;
};

struct AudioFolder::Impl {
  explicit Impl(DatasetOptions options_in) : options(std::move(options_in)) {}

  DatasetOptions options;
  std::vector<Source> sources;
  double total_weight = 0.0;

  // The source of the next chunk: by weight; with one source no draw is spent.
  const Source& pick(datasets::Rng& rng) const {
    if (sources.size() == 1) return sources.front();
    double u = rng.uniform(0.0, total_weight);
    for (const auto& source : sources) {
      if (u < source.weight) return source;
      u -= source.weight;
    }
    return sources.back();
  }
};

AudioFolder::AudioFolder(const std::filesystem::path& root, const std::string& split,
                         DatasetOptions options)
    : AudioFolder(std::vector<DataSource>{{root, 1.0}}, split, std::move(options)) {}

AudioFolder::AudioFolder(const std::vector<DataSource>& sources, const std::string& split,
                         DatasetOptions options) {
  check_sources(sources);
  auto impl = std::make_shared<Impl>(std::move(options));
  impl->sources.reserve(sources.size());
  for (const auto& source : sources) {
    impl->sources.emplace_back(source.weight, verify_dataset(source.root, split, impl->options),
                               impl->options);
    impl->total_weight += source.weight;
  }
  impl_ = std::move(impl);
}

AudioFolder AudioFolder::from_config(const Config& config, const std::filesystem::path& root,
                                     const std::string& split) {
  return AudioFolder(root, split, DatasetOptions::from_config(config));
}

const DatasetOptions& AudioFolder::options() const { return impl_->options; }

size_t AudioFolder::num_sources() const { return impl_->sources.size(); }

const DatasetReport& AudioFolder::report(size_t source) const {
  return impl_->sources.at(source).report;
}

int64_t AudioFolder::num_batches() const {
  const DatasetOptions& options = impl_->options;
  return (options.max_num_samples() + options.batch_size() - 1) / options.batch_size();
}

Batch AudioFolder::batch(int64_t epoch, int64_t index) const {
  const DatasetOptions& options = impl_->options;
  if (index < 0 || index >= num_batches()) {
    throw UsageError("batch index " + std::to_string(index) + " is outside the epoch's " +
                     std::to_string(num_batches()) + " batches");
  }
  const int64_t size =
      std::min(options.batch_size(), options.max_num_samples() - index * options.batch_size());
  datasets::Rng rng(datasets::mix_seed(datasets::mix_seed(options.seed(), epoch), index));
  std::vector<torch::Tensor> mixtures, targets;
  for (int64_t i = 0; i < size; ++i) {
    auto [mixture, target] = impl_->pick(rng).sampler.draw(rng);
    mixtures.push_back(std::move(mixture));
    targets.push_back(std::move(target));
  }
  return {torch::stack(mixtures), torch::stack(targets)};  // (B, C, N), (B, K, C, N)
}

// Workers claim batch indices in order, at most `depth` ahead of the consumer; finished
// batches wait in `ready` until next() hands them out in order.
struct AudioFolder::Epoch::State {
  AudioFolder folder;
  int64_t epoch;
  int64_t count;
  int64_t depth;
  std::mutex mutex;
  std::condition_variable work;  // a worker may claim another batch, or must stop
  std::condition_variable done;  // a batch is ready, or a worker failed
  int64_t claimed = 0;           // next index to claim
  int64_t delivered = 0;         // next index next() returns
  std::map<int64_t, Batch> ready;
  std::exception_ptr error;
  bool stopping = false;
  std::vector<std::thread> workers;

  State(AudioFolder folder_in, int64_t epoch_in)
      : folder(std::move(folder_in)),
        epoch(epoch_in),
        count(folder.num_batches()),
        depth(2 * int64_t{folder.options().num_workers()}) {}

  // Workers finish the batch they are reading, then stop.
  ~State() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    work.notify_all();
    for (auto& worker : workers) worker.join();
  }

  void work_loop() {
    std::unique_lock<std::mutex> lock(mutex);
    while (true) {
      work.wait(lock, [&] { return stopping || claimed >= count || claimed < delivered + depth; });
      if (stopping || claimed >= count) return;
      const int64_t index = claimed++;
      lock.unlock();
      try {
        Batch batch = folder.batch(epoch, index);
        lock.lock();
        ready.emplace(index, std::move(batch));
      } catch (...) {
        lock.lock();
        if (!error) error = std::current_exception();
      }
      done.notify_all();
    }
  }
};

AudioFolder::Epoch::Epoch(std::unique_ptr<State> state) : state_(std::move(state)) {
  for (int i = 0; i < state_->folder.options().num_workers(); ++i) {
    state_->workers.emplace_back([state = state_.get()] { state->work_loop(); });
  }
}

AudioFolder::Epoch::Epoch(Epoch&&) noexcept = default;
AudioFolder::Epoch& AudioFolder::Epoch::operator=(Epoch&&) noexcept = default;

AudioFolder::Epoch::~Epoch() = default;

std::optional<Batch> AudioFolder::Epoch::next() {
  State& state = *state_;
  if (state.delivered >= state.count) return std::nullopt;
  if (state.workers.empty()) return state.folder.batch(state.epoch, state.delivered++);
  std::unique_lock<std::mutex> lock(state.mutex);
  state.done.wait(lock, [&] { return state.error || state.ready.count(state.delivered) != 0; });
  const auto found = state.ready.find(state.delivered);
  if (found == state.ready.end()) std::rethrow_exception(state.error);
  Batch batch = std::move(found->second);
  state.ready.erase(found);
  ++state.delivered;
  lock.unlock();
  state.work.notify_all();
  return batch;
}

AudioFolder::Epoch AudioFolder::epoch(int64_t epoch) const {
  return Epoch(std::make_unique<Epoch::State>(*this, epoch));
}

}  // namespace auralflow
