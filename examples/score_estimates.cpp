// Example 5: score estimates against the true stems with BSSEval v4 and SI-SDR.
//
// metrics::evaluate_track scores every stem of one track in one call, as museval 0.4.1 does
// (SDR, ISR, SIR, SAR over 1-second frames, median per track) and adds the scale-invariant
// SDR; metrics::si_sdr and metrics::bss_eval_v4 are the building blocks (metrics.hpp). Values
// are in dB, higher is better.
//
// The references are the four stems of a MUSDB18 `.stem.mp4` (streams 1-4), the estimates
// ESTIMATES/<target>.wav: e.g. the track folder that separate_file.cpp wrote.
//
// Usage: example_score_estimates TRACK.stem.mp4 ESTIMATES
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <string>

#include "auralflow/audio.hpp"
#include "auralflow/datasets.hpp"
#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"

int main(int argc, char** argv) {
  using namespace auralflow;
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " TRACK.stem.mp4 ESTIMATES\n";
    return 2;
  }
  const std::string track = argv[1];
  try {
    // Stream 0 is the mixture, then stem_names() in order: drums, bass, other, vocals. Each
    // waveform is (channels, samples); estimates of another length are zero-padded or cut at
    // the end to the reference's.
    audio::LoadOptions load_options;
    std::map<std::string, torch::Tensor> references;
    std::map<std::string, torch::Tensor> estimates;
    for (const std::string& stem : stem_names()) {
      ++load_options.stream;
      references[stem] = audio::load(track, load_options);
      estimates[stem] = audio::load((std::filesystem::path(argv[2]) / (stem + ".wav")).string());
    }

    // museval's framing: 1-second windows and hops at the track's rate.
    const int rate = audio::info(track).sample_rate;
    const auto scores = metrics::evaluate_track(references, estimates,
                                                metrics::BssEvalOptions().window(rate).hop(rate));

    std::cout << std::fixed << std::setprecision(2) << scores.frame_bounds.size()
              << " frames of 1 s\n";
    bool finite = scores.targets.size() == stem_names().size();
    for (const auto& [target, score] : scores.targets) {
      std::cout << target << ": SDR " << score.median.sdr << " ISR " << score.median.isr << " SIR "
                << score.median.sir << " SAR " << score.median.sar << " SI-SDR " << score.si_sdr
                << "\n";
      finite = finite && std::isfinite(score.median.sdr) && std::isfinite(score.si_sdr);
    }

    // The example checks its result, so that the tests (ctest -R Examples) catch a change.
    if (!finite) {
      std::cerr << "error: a target has no score, or not a finite one\n";
      return 1;
    }
  } catch (const Error& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
