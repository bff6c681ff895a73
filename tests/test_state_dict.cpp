// State dict files: round trip, strict loading with precise errors, and the file format that
// Python's torch.load reads (checked with Debian's python3-torch when it is installed).
#include "auralflow/error.hpp"
#include "auralflow/models/spectrogram_net.hpp"
#include "auralflow/state_dict.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <string>

namespace {

using auralflow::models::SpectrogramNetOptions;
using auralflow::models::SpectrogramNetSimple;
using auralflow::models::SpectrogramNetVAE;

SpectrogramNetOptions small() {
  return SpectrogramNetOptions(33, 2).hidden_channels(2).recurrent_depth(3).hidden_size(8);
}

/// A net whose every parameter and buffer differs from a freshly built one.
SpectrogramNetSimple scrambled(SpectrogramNetOptions options) {
  SpectrogramNetSimple net(std::move(options));
  torch::NoGradGuard no_grad;
  for (auto& item : auralflow::state_dict(*net)) {
    if (item.second.is_floating_point()) {
      item.second.uniform_(0.5, 1.5);
    } else {
      item.second.fill_(7);  // num_batches_tracked
    }
  }
  return net;
}

void expect_same_state(const torch::nn::Module& a, const torch::nn::Module& b) {
  const auto left = auralflow::state_dict(a);
  const auto right = auralflow::state_dict(b);
  ASSERT_EQ(left.size(), right.size());
  for (const auto& [key, tensor] : left) {
    ASSERT_EQ(right.count(key), 1u) << key;
    EXPECT_TRUE(torch::equal(tensor, right.at(key))) << key;
  }
}

/// Runs a shell command and returns its stdout.
std::string output_of(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  std::array<char, 256> chunk{};
  size_t count = 0;
  while ((count = fread(chunk.data(), 1, chunk.size(), pipe)) > 0) out.append(chunk.data(), count);
  pclose(pipe);
  return out;
}

TEST(StateDict, NamesFollowTheOriginalKeys) {
  SpectrogramNetVAE net(small().num_frames(64));
  const auto state = auralflow::state_dict(*net);
  for (const std::string key :
       {"input_norm.weight", "down_1.conv_block.conv.0.conv.weight",
        "down_1.conv_block.conv.2.bn.num_batches_tracked", "up_1.up.weight", "up_5.bn.running_var",
        "soft_conv.0.bias", "soft_conv.1.running_mean", "output_norm.center", "lstm.weight_ih_l0",
        "lstm.bias_hh_l2_reverse", "linear.0.weight", "linear.2.bias", "mu.weight",
        "log_sigma.bias"}) {
    EXPECT_EQ(state.count(key), 1u) << key;
  }
}

TEST(StateDict, SaveThenLoadRestoresEveryParameterAndBuffer) {
  auralflow::testing::TempDir dir;
  const auto saved = scrambled(small());
  auralflow::save_state_dict(*saved, dir / "net.pt");
  SpectrogramNetSimple loaded(small());
  auralflow::load_state_dict(*loaded, dir / "net.pt");
  expect_same_state(*saved, *loaded);
  EXPECT_EQ(auralflow::read_state_dict(dir / "net.pt").at("up_1.bn.num_batches_tracked").dtype(),
            torch::kLong);
}

TEST(StateDict, MismatchNamesEveryBadKeyAndCopiesNothing) {
  SpectrogramNetSimple net(small());
  const auto before = auralflow::state_dict(*net);
  auto state = auralflow::state_dict(*scrambled(small()));
  state.erase("up_2.up.weight");
  state["extra.weight"] = torch::zeros({1});
  state["soft_conv.0.weight"] = torch::zeros({3, 2, 1, 1});
  try {
    auralflow::load_state_dict(*net, state, "'x.pt'");
    FAIL() << "no error";
  } catch (const auralflow::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("'x.pt'"), std::string::npos) << message;
    EXPECT_NE(message.find("missing keys: up_2.up.weight"), std::string::npos) << message;
    EXPECT_NE(message.find("unexpected keys: extra.weight"), std::string::npos) << message;
    EXPECT_NE(message.find("soft_conv.0.weight ([3, 2, 1, 1] in the file, [2, 2, 1, 1] in the "
                           "module)"),
              std::string::npos)
        << message;
  }
  for (const auto& [key, tensor] : auralflow::state_dict(*net)) {
    EXPECT_TRUE(torch::equal(tensor, before.at(key))) << key << " was changed";
  }
}

TEST(StateDict, UnreadableFilesAreErrorsNamingThePath) {
  auralflow::testing::TempDir dir;
  auralflow::testing::write_bytes(dir / "garbage.pt", "not a zip archive");
  SpectrogramNetSimple net(small());
  for (const auto& path : {dir / "garbage.pt", dir / "missing.pt"}) {
    try {
      auralflow::load_state_dict(*net, path);
      ADD_FAILURE() << "no error for " << path;
    } catch (const auralflow::Error& error) {
      EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
    }
  }
}

TEST(StateDict, PythonTorchLoadReadsOurFilesAndWeReadItsPlainDicts) {
  auralflow::testing::TempDir dir;
  const auto net = scrambled(small());
  auralflow::save_state_dict(*net, dir / "ours.pt");
  const auto state = auralflow::state_dict(*net);

  // Python reads our file as a dict of tensors and writes it back twice: as a plain dict and
  // as the OrderedDict with _metadata that Module.state_dict() returns.
  const std::string script =
      "import sys\n"
      "try:\n"
      "    import torch, collections\n"
      "except ImportError:\n"
      "    print('no-torch'); sys.exit()\n"
      "d = torch.load(sys.argv[1])\n"
      "assert type(d) is dict and all(torch.is_tensor(v) for v in d.values())\n"
      "print(len(d), repr(float(d['up_1.up.weight'].double().sum())))\n"
      "torch.save({k: v * 2 for k, v in d.items()}, sys.argv[2])\n"
      "o = collections.OrderedDict(d)\n"
      "o._metadata = collections.OrderedDict({'': {'version': 1}})\n"
      "torch.save(o, sys.argv[3])\n";
  auralflow::testing::write_bytes(dir / "check.py", script);
  // Debian's python3-torch lives in /usr/bin/python3 (a python3 earlier in PATH may lack it).
  const std::string out = output_of(
      "/usr/bin/python3 '" + (dir / "check.py").string() + "' '" + (dir / "ours.pt").string() +
      "' '" + (dir / "doubled.pt").string() + "' '" + (dir / "ordered.pt").string() + "' 2>&1");
  if (out.empty() || out.rfind("no-torch", 0) == 0) {
    GTEST_SKIP() << "no /usr/bin/python3 with torch (apt-get install python3-torch)";
  }
  const double sum = state.at("up_1.up.weight").to(torch::kDouble).sum().item<double>();
  ASSERT_EQ(out.substr(0, out.find(' ')), std::to_string(state.size())) << out;
  EXPECT_NEAR(std::stod(out.substr(out.find(' ') + 1)), sum, 1e-9 * std::abs(sum)) << out;

  const auto doubled = auralflow::read_state_dict(dir / "doubled.pt");
  ASSERT_EQ(doubled.size(), state.size());
  for (const auto& [key, tensor] : state) {
    EXPECT_TRUE(torch::equal(doubled.at(key), tensor * 2)) << key;
  }
  // LibTorch's unpickler cannot rebuild an OrderedDict with attributes: a clear error that
  // says how to save it instead.
  try {
    auralflow::read_state_dict(dir / "ordered.pt");
    ADD_FAILURE() << "an OrderedDict with _metadata was read";
  } catch (const auralflow::Error& error) {
    EXPECT_NE(std::string(error.what()).find("torch.save(dict(model.state_dict())"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
