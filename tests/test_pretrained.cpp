// Pretrained models: packing (half-precision weights), the registry file, fetching with
// checksum verification (a local HTTP server on 127.0.0.1 and file:// URLs), resolving MODEL
// names, and the bundled models themselves.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "auralflow/error.hpp"
#include "auralflow/metrics.hpp"
#include "auralflow/pretrained.hpp"
#include "auralflow/separator.hpp"
#include "auralflow/synth.hpp"
#include "local_http_server.hpp"
#include "test_support.hpp"

namespace pretrained = auralflow::pretrained;
using auralflow::testing::contains;
using auralflow::testing::error_of;
using auralflow::testing::LocalHttpServer;
using auralflow::testing::read_bytes;
using auralflow::testing::run_cli;
using auralflow::testing::TempDir;
using auralflow::testing::write_bytes;

namespace {

auralflow::ModelFolder tiny_model(const std::filesystem::path& parent) {
  return auralflow::testing::write_model_folder(parent, "tiny", "SpectrogramNetSimple",
                                                {{"hidden_channels", "4"},
                                                 {"sample_length", "1.0"},
                                                 {"num_fft", "512"},
                                                 {"window_size", "512"},
                                                 {"hop_length", "256"},
                                                 {"num_channels", "2"},
                                                 {"targets", "vocals,drums"}});
}

// `dir`/tiny.pth: a tiny model (from the folder `dir`/tiny), packed.
std::filesystem::path packed_tiny(const TempDir& dir) {
  const auto file = dir / "tiny.pth";
  pretrained::pack_model(tiny_model(dir.path()), file);
  return file;
}

// A registry entry of the packed `file`, downloadable from `url`.
pretrained::RegistryEntry remote_entry(const std::filesystem::path& file, const std::string& url) {
  pretrained::RegistryEntry entry;
  entry.name = "tiny-remote";
  entry.url = url;
  entry.sha256 = pretrained::sha256_of_file(file);
  entry.size = static_cast<int64_t>(std::filesystem::file_size(file));
  return entry;
}

// Fetch tests: a packed tiny model served over HTTP at /tiny.pth, its registry entry and an
// empty cache.
class Fetch : public ::testing::Test {
 protected:
  Fetch() {
    entry.url = server.url("/tiny.pth");
    options.cache = cache.path();
  }
  TempDir dir, cache;
  pretrained::RegistryEntry entry = remote_entry(packed_tiny(dir), "");
  LocalHttpServer server{"/tiny.pth", read_bytes(dir / "tiny.pth")};
  pretrained::FetchOptions options;
};

size_t files_in(const std::filesystem::path& dir) {
  if (!std::filesystem::exists(dir)) return 0;
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                           std::filesystem::directory_iterator()));
}

}  // namespace

TEST(PackedModel, HalfPrecisionFileSeparatesLikeTheTrainedModel) {
  TempDir dir;
  const auto folder = tiny_model(dir.path());
  const auto packed = dir / "tiny.pth";
  const int64_t bytes = pretrained::pack_model(folder, packed);
  EXPECT_EQ(bytes, static_cast<int64_t>(std::filesystem::file_size(packed)));
  // Half-precision weights: well under the float32 checkpoint of the same network.
  EXPECT_LT(bytes, 0.7 * std::filesystem::file_size(folder.best_checkpoint()));

  torch::manual_seed(3);
  const auto mixture = torch::rand({2, 20000}) - 0.5;  // (C, N)
  const auto run = [&](const std::filesystem::path& model) {
    const auralflow::Separator separator(
        auralflow::ChunkSeparator::from(auralflow::load_model(model, torch::kCPU)));
    return separator.separate(mixture, 8000);  // (K, C, N)
  };
  const auto reference = run(folder.root());
  const auto estimate = run(packed);
  ASSERT_EQ(estimate.sizes(), reference.sizes());
  EXPECT_GT(auralflow::metrics::si_sdr(estimate, reference), 40.0);
}

TEST(PackedModel, NotAModelFileIsAClearError) {
  TempDir dir;
  write_bytes(dir / "junk.pth", "not a model");
  EXPECT_TRUE(
      contains(error_of([&] { pretrained::load_packed_model(dir / "junk.pth", torch::kCPU); }),
               "not a readable Auralflow model file"));
  EXPECT_TRUE(
      contains(error_of([&] { pretrained::load_packed_model(dir / "none.pth", torch::kCPU); }),
               "no such model file"));
}

TEST(Registry, WritesAndReadsEntriesWithFilesRelativeToIt) {
  TempDir dir;
  pretrained::Registry registry;
  pretrained::RegistryEntry bundled;
  bundled.name = "a";
  bundled.file = dir / "models" / "a.pth";
  bundled.sha256 = "00ff";
  bundled.size = 12;
  bundled.description = "first";
  bundled.model_type = "SpectrogramNetSimple";
  bundled.targets = {"vocals", "drums"};
  bundled.scores["vocals"] = {3.5, 4.25};
  pretrained::RegistryEntry remote = bundled;
  remote.name = "b";
  remote.file.clear();
  remote.url = "https://example.org/b.pth";
  registry.upsert(bundled);
  registry.upsert(remote);
  registry.set_default_model("a");
  registry.write(dir / "models" / "registry.json");
  EXPECT_TRUE(contains(read_bytes(dir / "models" / "registry.json"), "\"file\": \"a.pth\""));

  const auto read = pretrained::Registry::read(dir / "models" / "registry.json");
  EXPECT_EQ(read.default_model(), "a");
  ASSERT_EQ(read.entries().size(), 2u);
  const auto* a = read.find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->bundled());
  EXPECT_EQ(a->file, dir / "models" / "a.pth");
  EXPECT_EQ(a->targets, bundled.targets);
  EXPECT_DOUBLE_EQ(a->scores.at("vocals").sdr, 4.25);
  EXPECT_FALSE(read.find("b")->bundled());
  EXPECT_EQ(read.find("b")->url, remote.url);

  // upsert replaces by name; append keeps the first entry of a name.
  auto changed = read;
  remote.description = "second";
  changed.upsert(remote);
  EXPECT_EQ(changed.entries().size(), 2u);
  EXPECT_EQ(changed.find("b")->description, "second");
  changed.append(read);
  EXPECT_EQ(changed.find("b")->description, "second");
}

TEST(Registry, BadFilesNameTheProblem) {
  TempDir dir;
  const auto error_for = [&](const std::string& json) {
    write_bytes(dir / "registry.json", json);
    return error_of([&] { pretrained::Registry::read(dir / "registry.json"); });
  };
  EXPECT_TRUE(contains(error_for("{"), "not valid JSON"));
  EXPECT_TRUE(contains(error_for("{}"), "needs a \"models\" list"));
  EXPECT_TRUE(contains(error_for(R"({"models": [{"name": "x", "url": "u"}]})"),
                       "model 'x': missing \"sha256\""));
  EXPECT_TRUE(
      contains(error_for(R"({"models": [{"name": "x", "sha256": "1", "url": "u", "file": "f"}]})"),
               "needs exactly one of \"file\" (bundled) or \"url\""));
  EXPECT_TRUE(contains(error_of([&] { pretrained::Registry::read(dir / "none.json"); }),
                       "no such registry file"));
}

TEST(Scores, MedianRowsOfAnEvaluationCsv) {
  TempDir dir;
  write_bytes(dir / "evaluation.csv",
              "row,track,target,tracks,SDR,SIR,ISR,SAR,SI-SDR,SI-SDR_channel_mean,global_SDR\n"
              "track,\"a, b\",vocals,1,1.0,2,3,4,0.5,0.5,1\n"
              "median,,vocals,1,1.5,2,3,4,0.25,0.5,1\n"
              "median,,bass,1,-2.0,2,3,4,-3.5,0.5,1\n"
              "mean,,vocals,1,9,2,3,4,9,0.5,1\n");
  const auto scores = pretrained::read_median_scores(dir / "evaluation.csv");
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_DOUBLE_EQ(scores.at("vocals").sdr, 1.5);
  EXPECT_DOUBLE_EQ(scores.at("vocals").si_sdr, 0.25);
  EXPECT_DOUBLE_EQ(scores.at("bass").si_sdr, -3.5);
  write_bytes(dir / "other.csv", "a,b\n1,2\n");
  EXPECT_TRUE(contains(error_of([&] { pretrained::read_median_scores(dir / "other.csv"); }),
                       "no row column"));
}

TEST_F(Fetch, HttpDownloadIsVerifiedCachedAndLoadable) {
  int64_t reported = 0;
  options.progress = [&](int64_t done, int64_t) { reported = std::max(reported, done); };

  const auto file = pretrained::fetch(entry, options);
  EXPECT_EQ(file, pretrained::cached_model_file(cache.path(), "tiny-remote"));
  EXPECT_EQ(read_bytes(file), read_bytes(dir / "tiny.pth"));
  EXPECT_EQ(reported, entry.size);
  EXPECT_EQ(server.requests(), 1);
  EXPECT_EQ(pretrained::load_packed_model(file, torch::kCPU)->targets().size(), 2u);

  pretrained::fetch(entry, options);  // a verified copy is not downloaded again
  EXPECT_EQ(server.requests(), 1);
  options.force = true;
  pretrained::fetch(entry, options);
  EXPECT_EQ(server.requests(), 2);
}

TEST_F(Fetch, ChecksumOrSizeMismatchIsRefusedAndLeavesNothing) {
  auto wrong_sum = entry;
  wrong_sum.sha256 = std::string(64, '0');
  const auto error = error_of([&] { pretrained::fetch(wrong_sum, options); });
  EXPECT_TRUE(contains(error, "checksum mismatch for 'tiny-remote'")) << error;
  EXPECT_TRUE(contains(error, entry.sha256)) << error;  // names the sha256 it got
  EXPECT_EQ(files_in(cache / "models"), 0u);

  auto wrong_size = entry;
  wrong_size.size += 1;
  EXPECT_TRUE(
      contains(error_of([&] { pretrained::fetch(wrong_size, options); }), "the registry says"));
  EXPECT_EQ(files_in(cache / "models"), 0u);

  // A damaged cached copy is replaced, not trusted.
  write_bytes(pretrained::cached_model_file(cache.path(), entry.name), "damaged");
  pretrained::fetch(entry, options);
  EXPECT_EQ(pretrained::sha256_of_file(pretrained::cached_model_file(cache.path(), entry.name)),
            entry.sha256);
}

TEST_F(Fetch, HttpErrorsAndFileUrls) {
  entry.url = server.url("/missing.pth");
  const auto error = error_of([&] { pretrained::fetch(entry, options); });
  EXPECT_TRUE(contains(error, "download of " + entry.url + " failed")) << error;
  EXPECT_TRUE(contains(error, "404")) << error;
  EXPECT_EQ(files_in(cache / "models"), 0u);
  entry.url = "file://" + (dir / "tiny.pth").string();
  EXPECT_EQ(read_bytes(pretrained::fetch(entry, options)), read_bytes(dir / "tiny.pth"));
}

TEST(ResolveModel, FoldersFilesPretrainedNamesAndClearErrors) {
  TempDir dir, cache;
  const auto packed = packed_tiny(dir);
  const auralflow::ModelFolder folder(dir / "tiny");
  pretrained::Registry registry;
  auto bundled = remote_entry(packed, "");
  bundled.name = "tiny-bundled";
  bundled.url.clear();
  bundled.file = dir / "tiny.pth";
  auto remote = remote_entry(packed, "file://" + packed.string());
  registry.upsert(bundled);
  registry.upsert(remote);
  registry.set_default_model("tiny-bundled");

  EXPECT_EQ(auralflow::resolve_model(folder.root().string(), registry, cache.path()),
            folder.root());
  EXPECT_EQ(auralflow::resolve_model((dir / "tiny.pth").string(), registry, cache.path()),
            dir / "tiny.pth");
  EXPECT_EQ(auralflow::resolve_model("tiny-bundled", registry, cache.path()), dir / "tiny.pth");
  EXPECT_EQ(auralflow::resolve_model("", registry, cache.path()), dir / "tiny.pth");
  EXPECT_TRUE(
      contains(error_of([&] { auralflow::resolve_model("tiny-remote", registry, cache.path()); }),
               "run 'auralflow pretrained fetch tiny-remote'"));
  pretrained::FetchOptions options;
  options.cache = cache.path();
  pretrained::fetch(remote, options);
  EXPECT_EQ(auralflow::resolve_model("tiny-remote", registry, cache.path()),
            pretrained::cached_model_file(cache.path(), "tiny-remote"));
  EXPECT_EQ(error_of([&] { auralflow::resolve_model("nope", registry, cache.path()); }),
            "no model folder, model file or pretrained model named 'nope' (pretrained models: "
            "tiny-bundled, tiny-remote)");
  EXPECT_TRUE(contains(
      error_of([&] { auralflow::resolve_model("", pretrained::Registry(), cache.path()); }),
      "no default pretrained model"));
}

// The bundled models: present, intact, 4 stereo 44.1 kHz targets, at most 25 MB, and they
// separate a generated song they never saw better than returning the mixture would.
TEST(BundledModels, EachIsIntactAndSeparatesAnUnseenGeneratedSong) {
  const auto registry =
      pretrained::Registry::read(pretrained::bundled_models_dir() / "registry.json");
  ASSERT_GE(registry.entries().size(), 2u);
  ASSERT_NE(registry.find(registry.default_model()), nullptr);
  // A test seed of none of the bundled models' datasets (their dataset seed is 0).
  const auto song = auralflow::synth::render_track(
      auralflow::synth::SynthOptions().duration(8.0).threads(1),
      auralflow::synth::track_seed(/*dataset_seed=*/20261129, auralflow::synth::Split::Test, 0));
  const auto mixture = song.mixture();  // (2, N)
  for (const auto& entry : registry.entries()) {
    SCOPED_TRACE(entry.name);
    ASSERT_TRUE(entry.bundled());
    EXPECT_LE(entry.size, 25'000'000);
    EXPECT_EQ(static_cast<int64_t>(std::filesystem::file_size(entry.file)), entry.size);
    EXPECT_EQ(pretrained::sha256_of_file(entry.file), entry.sha256);
    const auto model = pretrained::load_packed_model(entry.file, torch::kCPU);
    EXPECT_EQ(model->config().get_string("model_type"), entry.model_type);
    EXPECT_EQ(model->targets(), (std::vector<std::string>{"vocals", "drums", "bass", "other"}));
    EXPECT_EQ(model->config().get_int("num_channels"), 2);
    EXPECT_EQ(model->config().get_int("sample_rate"), 44100);

    const auralflow::Separator separator(auralflow::ChunkSeparator::from(model));
    const auto stems = separator.separate(mixture, 44100);  // (4, 2, N)
    double improvement = 0.0;
    for (int64_t k = 0; k < 4; ++k) {
      const auto& names = auralflow::stem_names();  // song.stems' order
      const auto truth = song.stems[std::find(names.begin(), names.end(),
                                              model->targets()[static_cast<size_t>(k)]) -
                                    names.begin()];
      improvement +=
          auralflow::metrics::si_sdr(stems[k], truth) - auralflow::metrics::si_sdr(mixture, truth);
    }
    EXPECT_GT(improvement / 4, 1.0) << "mean SI-SDR improvement over the mixture (dB)";
  }
}

TEST(PretrainedCli, ListShowsTheBundledModelsAndFetchUsesARegistry) {
  const auto listed = run_cli("pretrained list");
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  const auto registry = pretrained::Registry::installed();
  for (const auto& entry : registry.entries())
    EXPECT_TRUE(contains(listed.output, entry.name)) << listed.output;
  EXPECT_TRUE(contains(listed.output, registry.default_model() + " (default)")) << listed.output;
  EXPECT_TRUE(contains(listed.output, "median SI-SDR / SDR (dB):  vocals")) << listed.output;

  TempDir dir, cache;
  const auto entry = remote_entry(packed_tiny(dir), "file://" + (dir / "tiny.pth").string());
  pretrained::Registry extra;
  extra.upsert(entry);
  extra.write(dir / "extra.json");
  const std::string environment = "AURALFLOW_CACHE='" + cache.path().string() + "'";
  const auto fetched =
      run_cli("pretrained fetch tiny-remote --registry " + (dir / "extra.json").string(),
              dir.path(), environment);
  ASSERT_EQ(fetched.exit_code, 0) << fetched.output;
  EXPECT_TRUE(contains(fetched.output, "sha256 verified")) << fetched.output;
  EXPECT_EQ(pretrained::sha256_of_file(pretrained::cached_model_file(cache.path(), entry.name)),
            entry.sha256);
  const auto unknown = run_cli("pretrained fetch nope");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(contains(unknown.output, "no pretrained model named 'nope'")) << unknown.output;
}
