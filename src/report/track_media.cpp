#include "track_media.hpp"

#include <sstream>

#include "auralflow/audio.hpp"
#include "auralflow/error.hpp"
#include "auralflow/transforms.hpp"
#include "auralflow/visualize.hpp"
#include "html.hpp"

namespace auralflow::report {
namespace {

namespace fs = std::filesystem;

// An <audio> player for `file`, linked relative to the page's folder.
std::string player(const std::string& caption, const fs::path& file, const ReportOptions& options) {
  const fs::path link = fs::absolute(file).lexically_relative(fs::absolute(options.page_folder));
  return "<figure class=\"player\"><figcaption>" + escape(caption) +
         "</figcaption><audio controls preload=\"none\" src=\"" +
         escape(url_path(link.generic_string())) + "\"></audio></figure>";
}

}  // namespace

std::string track_media_html(const Track& track, const fs::path& estimates,
                             const std::vector<std::string>& targets,
                             const ReportOptions& options) {
  const auto& mixture_file = track.stems.at("mixture");
  audio::LoadOptions load;
  load.stream = mixture_file.stream;
  load.duration = options.spectrogram_seconds;
  const torch::Tensor mixture = audio::load(mixture_file.path, load);  // (C, N)
  const int rate = audio::info(mixture_file.path).sample_rate;
  const AudioTransform transform(2048, 512, 2048, rate);
  visualize::SpectrogramComparisonOptions image_options;
  image_options.panel_height = 96;
  image_options.width = 480;

  std::ostringstream html;
  html << "<section class=\"track\"><h3>" << escape(track.name) << "</h3>\n";
  for (const auto& target : targets) {
    const auto estimate_file = find_stem_file(estimates, target);
    const auto reference = track.stems.find(target);
    if (!estimate_file || reference == track.stems.end()) continue;
    audio::LoadOptions same = load;  // the mixture's rate and channels, the same seconds
    same.sample_rate = rate;
    same.channels = static_cast<int>(mixture.size(0));
    same.stream = 0;
    const torch::Tensor estimate = audio::load(estimate_file->string(), same);
    same.stream = reference->second.stream;
    const torch::Tensor truth = audio::load(reference->second.path, same);
    html << "<div class=\"target\"><h4>" << escape(target) << "</h4>";
    if (std::min({mixture.size(1), estimate.size(1), truth.size(1)}) >= transform.num_fft()) {
      const auto image =
          visualize::spectrogram_comparison(mixture, estimate, truth, transform, image_options);
      html << "<img alt=\"" << escape(target)
           << ": mixture, estimate and reference spectrograms (top to bottom)\" width=\""
           << image.width << "\" height=\"" << image.height << "\" src=\""
           << data_url("image/png", visualize::encode_png(image)) << "\">";
    }
    html << player("estimate", *estimate_file, options);
    if (reference->second.stream == 0 && fs::path(reference->second.path).extension() != ".mp4")
      html << player("reference", reference->second.path, options);
    html << "</div>\n";
  }
  html << "</section>\n";
  return html.str();
}

}  // namespace auralflow::report
