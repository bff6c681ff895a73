// AudioTransform against the original Auralflow's STFT/iSTFT/mel/dB fixtures
// (tests/data/original/stft_*.pt) and basic properties.
#include <gtest/gtest.h>

#include "auralflow/error.hpp"
#include "auralflow/transforms.hpp"
#include "test_support.hpp"

using auralflow::AudioTransform;
using auralflow::testing::load_fixture;

namespace {

struct StftCase {
  const char* file;
  bool has_filterbank;
};

class StftFixture : public ::testing::TestWithParam<StftCase> {
 protected:
  void SetUp() override { fixture = load_fixture(std::string("original/") + GetParam().file); }
  int64_t cfg(const std::string& name) { return fixture.at("cfg__" + name).item<int64_t>(); }
  AudioTransform transform() {
    return AudioTransform(cfg("num_fft"), cfg("hop_length"), cfg("window_size"),
                          cfg("sample_rate"));
  }
  std::map<std::string, torch::Tensor> fixture;
};

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

}  // namespace

TEST_P(StftFixture, PadAudioAddsTheOriginalsExtraHop) {
  const auto padded = transform().pad_audio(fixture["audio"]);
  EXPECT_EQ(padded.size(-1), cfg("padded_length"));
  EXPECT_EQ(padded.size(-1) - fixture["audio"].size(-1), cfg("pad_size"));
}

TEST_P(StftFixture, SpectrogramMatchesOriginal) {
  const auto transform = this->transform();
  const auto spec = transform.to_spectrogram(fixture["audio"]);
  ASSERT_EQ(spec.sizes(), fixture["spec_real"].sizes());
  EXPECT_EQ(spec.size(-1), transform.num_frames(fixture["audio"].size(-1)));
  EXPECT_EQ(spec.size(-2), transform.num_bins());
  EXPECT_LT(max_abs_diff(torch::real(spec), fixture["spec_real"]), 1e-4);
  EXPECT_LT(max_abs_diff(torch::imag(spec), fixture["spec_imag"]), 1e-4);
}

TEST_P(StftFixture, InverseMatchesOriginalAndRestoresInput) {
  const auto transform = this->transform();
  const auto spec = torch::complex(fixture["spec_real"], fixture["spec_imag"]);
  const auto recon = transform.to_audio(spec);
  ASSERT_EQ(recon.sizes(), fixture["audio_recon"].sizes());
  EXPECT_LT(max_abs_diff(recon, fixture["audio_recon"]), 1e-6);

  const int64_t length = fixture["audio"].size(-1);
  const auto exact = transform.to_audio(spec, length);
  ASSERT_EQ(exact.size(-1), length);
  EXPECT_LT(max_abs_diff(exact, fixture["audio"]), 1e-5);
}

TEST_P(StftFixture, MelAndDecibelMatchOriginal) {
  const auto transform = this->transform();
  const auto magnitude = torch::complex(fixture["spec_real"], fixture["spec_imag"]).abs();
  if (GetParam().has_filterbank) {
    EXPECT_LT(max_abs_diff(transform.mel_filterbank(), fixture["mel_fb"]), 1e-6);
  }
  const auto mel = transform.to_mel_scale(magnitude, /*to_db=*/false);
  ASSERT_EQ(mel.sizes(), fixture["mel"].sizes());
  EXPECT_LT(max_abs_diff(mel, fixture["mel"]) / fixture["mel"].abs().max().item<double>(), 1e-5);
  EXPECT_LT(max_abs_diff(transform.to_mel_scale(magnitude, true), fixture["mel_db"]), 1e-3);
  EXPECT_LT(max_abs_diff(transform.audio_to_mel(fixture["audio"]), fixture["mel_db"]), 1e-3);
}

INSTANTIATE_TEST_SUITE_P(Original, StftFixture,
                         ::testing::Values(StftCase{"stft_nfft1024_hop512.pt", true},
                                           StftCase{"stft_nfft2048_hop1024.pt", false},
                                           StftCase{"stft_nfft512_win256_hop128.pt", true}));

TEST(AudioTransform, KeepsBatchAndChannelDims) {
  const AudioTransform transform(512, 128, 512);
  const auto audio = torch::randn({3, 2, 1000});
  const auto spec = transform.to_spectrogram(audio);
  EXPECT_EQ(spec.sizes(), (std::vector<int64_t>{3, 2, 257, transform.num_frames(1000)}));
  EXPECT_TRUE(spec.is_complex());
  EXPECT_EQ(transform.to_audio(spec, 1000).sizes(), audio.sizes());
}

TEST(AudioTransform, DecibelIsRelativeToGlobalMaxWith80dBFloor) {
  const auto db = AudioTransform::to_decibel(torch::tensor({2.0f, 1.0f, 0.0f}));
  EXPECT_NEAR(db[0].item<float>(), 0.0, 1e-6);
  EXPECT_NEAR(db[1].item<float>(), 20.0 * std::log10(0.5), 1e-4);
  EXPECT_NEAR(db[2].item<float>(), -80.0, 1e-6);
}

TEST(AudioTransform, TrimAudioCutsToShortest) {
  const auto trimmed = auralflow::trim_audio({torch::ones({2, 10}), torch::ones({2, 7})});
  EXPECT_EQ(trimmed[0].size(-1), 7);
  EXPECT_EQ(trimmed[1].size(-1), 7);
}

TEST(AudioTransform, RejectsWindowLongerThanFft) {
  EXPECT_THROW(AudioTransform(256, 64, 512), auralflow::Error);
  EXPECT_THROW(AudioTransform(256, 0, 256), auralflow::Error);
}
