#include "silence.hpp"

#include "numerics.hpp"

namespace auralflow::metrics::detail {

SilenceMask::SilenceMask(const std::vector<torch::Tensor>& signals) {
  std::vector<torch::Tensor> audible;
  audible.reserve(signals.size());
  for (const auto& signal : signals) audible.push_back(to_double(signal).sum(0) != 0);
  audible_ = torch::stack(audible);
}

bool SilenceMask::any_silent(int64_t begin, int64_t end) const {
  // (signals) bool: signal has an audible sample in the range
  const auto audible = audible_.narrow(1, begin, end - begin).any(1);
  return !audible.all().item<bool>();
}

}  // namespace auralflow::metrics::detail
