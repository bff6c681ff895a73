// Synthesizer::render: compose the song, write the four parts, render each on its own
// synthesizer, balance the levels.
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <functional>
#include <future>
#include <sstream>

#include "auralflow/synth.hpp"
#include "synth/levels.hpp"
#include "synth/part_renderer.hpp"
#include "synth/parts.hpp"
#include "synth/song.hpp"
#include "synth/soundfont_bank.hpp"

namespace auralflow::synth {
namespace {

using detail::Part;
using detail::Random;

// The stems of the composer's parts, in the order their random streams are forked and drawn:
// changing it changes every generated song. RenderedTrack::stems is in stem_names() order.
const std::array<std::string, 4> kPartStems = {"vocals", "drums", "bass", "other"};

// (4, channels, samples) in kPartStems order -> the same in stem_names() order.
torch::Tensor in_stem_order(const torch::Tensor& part_stems) {
  std::vector<int64_t> order;
  for (const std::string& stem : stem_names()) {
    order.push_back(std::find(kPartStems.begin(), kPartStems.end(), stem) - kPartStems.begin());
  }
  return part_stems.index_select(0, torch::tensor(order));
}

// Stem loudness around -20 dBFS (active blocks): the part's own offset plus a per-track draw.
constexpr double kStemDb = -20.0;

std::string describe(const detail::Song& song, const std::array<Part, 4>& parts,
                     const std::array<size_t, 4>& fonts, const detail::SoundFontBank& bank) {
  std::ostringstream text;
  text << song.description();
  for (size_t k = 0; k < parts.size(); ++k) {
    text << (k == 0 ? "; " : ", ") << kPartStems[k] << ":";
    if (parts[k].notes.empty()) text << " (silent)";
    for (const detail::Instrument& instrument : parts[k].instruments) {
      text << " " << bank.resolve(fonts[k], instrument.bank, instrument.program).name;
      if (!instrument.role.empty()) text << " (" << instrument.role << ")";
    }
  }
  return text.str();
}

}  // namespace

torch::Tensor RenderedTrack::mixture() const {
  torch::Tensor sum = stems[0].clone();
  for (int64_t k = 1; k < stems.size(0); ++k) sum.add_(stems[k]);
  return sum;
}

Synthesizer::Synthesizer(SynthOptions options) : options_(std::move(options)) {
  validate(options_);
  const auto load = [this] {
    return std::make_unique<detail::SoundFontBank>(options_.soundfonts(), options_.sample_rate(),
                                                   options_.reverb());
  };
  banks_.push_back(
      load());  // first on this thread: fluidsynth's one-time set-up is not thread-safe
  std::vector<std::future<std::unique_ptr<detail::SoundFontBank>>> more;
  for (int i = 1; i < options_.threads(); ++i) more.push_back(std::async(std::launch::async, load));
  for (auto& bank : more) banks_.push_back(bank.get());
}

Synthesizer::~Synthesizer() = default;

RenderedTrack Synthesizer::render(uint64_t seed) const {
  Random random(seed);
  const detail::Song song = detail::compose_song(random, options_.duration());
  Random vocals = random.fork(), drums = random.fork(), bass = random.fork(), other = random.fork();
  const std::array<Part, 4> parts = {detail::vocal_part(song, vocals),
                                     detail::drum_part(song, drums), detail::bass_part(song, bass),
                                     detail::accompaniment_part(song, other)};
  const detail::Room room{random.real(0.2, 0.9), random.real(0.1, 0.6), random.real(0.5, 1.0),
                          random.real(0.5, 0.9)};
  const detail::PartTiming timing{
      song.seconds_per_tick(), options_.sample_rate(),
      static_cast<int64_t>(std::llround(options_.duration() * options_.sample_rate()))};
  std::array<size_t, 4> fonts{};
  std::vector<double> levels;
  for (size_t k = 0; k < parts.size(); ++k) {
    fonts[k] = static_cast<size_t>(random.integer(0, static_cast<int>(banks_[0]->size()) - 1));
    levels.push_back(kStemDb + parts[k].level_db + random.real(-2.0, 2.0));
  }

  // Each stem on a fresh synthesizer, so its audio does not depend on the thread or the order.
  torch::Tensor stems = torch::zeros({4, 2, timing.frames});  // (stems, channels, samples)
  std::atomic<size_t> next{0};
  const auto work = [&](const detail::SoundFontBank& bank) {
    for (size_t k = next++; k < parts.size(); k = next++) {
      torch::Tensor stem = stems[static_cast<int64_t>(k)];
      detail::render_part(bank, parts[k], fonts[k], room, timing, stem[0].data_ptr<float>(),
                          stem[1].data_ptr<float>());
    }
  };
  std::vector<std::future<void>> helpers;
  for (size_t i = 1; i < banks_.size(); ++i)
    helpers.push_back(std::async(std::launch::async, work, std::cref(*banks_[i])));
  work(*banks_[0]);
  for (auto& helper : helpers) helper.get();  // rethrows a helper's error

  detail::balance(stems, levels, random.real(-22.0, -14.0));
  return {in_stem_order(stems), describe(song, parts, fonts, *banks_[0])};
}

RenderedTrack render_track(const SynthOptions& options, uint64_t seed) {
  return Synthesizer(options).render(seed);
}

}  // namespace auralflow::synth
