#pragma once
// HybridNet from a config: model_params.spectrogram_model / audio_model choose each branch.
//   ""                      the default type (SpectrogramNetLSTM / AudioNetSimpleLSTM), fresh
//   a network type name     that type, fresh, sized by this config's keys
//   a model folder path     that folder's network (its config.json) with its trained weights
//                           (checkpoint/best.pth, else last.pth); relative to the working dir
#include "auralflow/config.hpp"
#include "auralflow/models/hybrid_net.hpp"

namespace auralflow::detail {

models::HybridNet make_hybrid_net(const Config& config);

}  // namespace auralflow::detail
