// config.json: templates, validation, editing, error messages, and `auralflow config`.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "auralflow/config.hpp"
#include "auralflow/error.hpp"
#include "auralflow/model_folder.hpp"
#include "test_support.hpp"

using auralflow::Config;
using auralflow::Error;
using auralflow::testing::run_cli;
using auralflow::testing::TempDir;
using auralflow::testing::write_bytes;

namespace {

using auralflow::testing::error_of;

using auralflow::testing::contains;

}  // namespace

TEST(Config, EveryModelTypeHasATemplateWithEveryKey) {
  for (const auto& type : auralflow::model_types()) {
    const Config config = Config::from_template(type, "m");
    EXPECT_EQ(config.get_string("model_type"), type);
    EXPECT_EQ(config.get_string("model_name"), "m");
    const auto json = nlohmann::ordered_json::parse(config.to_json());
    for (const auto& key : auralflow::config_schema())
      EXPECT_TRUE(json[key.group].contains(key.name)) << type << " lacks " << key.name;
  }
}

TEST(Config, DefaultsFromTheIssue) {
  const Config config = Config::from_template("SpectrogramNetSimple", "m");
  EXPECT_EQ(config.get_strings("targets"), std::vector<std::string>{"vocals"});
  EXPECT_EQ(config.get_int("hidden_channels"), 16);
  EXPECT_EQ(config.get_string("mask_activation"), "sigmoid");
  EXPECT_DOUBLE_EQ(config.get_double("dropout_p"), 0.4);
  EXPECT_EQ(config.get_int("sample_rate"), 44100);
  EXPECT_EQ(config.get_int("num_fft"), 1024);
  EXPECT_EQ(config.get_int("hop_length"), 512);
  EXPECT_EQ(config.get_int("batch_size"), 32);
  EXPECT_EQ(config.get_string("criterion"), "component_loss");
  EXPECT_TRUE(config.get_bool("use_mixed_precision"));
  EXPECT_EQ(config.get_int("save_frequency"), 5);
}

TEST(Config, SetAcceptsDashesAndBooleanWords) {
  Config config = Config::from_template("SpectrogramNetSimple", "m");
  config.set("--dropout-p", "0.25");
  EXPECT_DOUBLE_EQ(config.get_double("dropout_p"), 0.25);
  for (const auto& [word, expected] : std::vector<std::pair<std::string, bool>>{
           {"true", true}, {"0", false}, {"YES", true}, {"no", false}, {"1", true}}) {
    config.set("normalize_input", word);
    EXPECT_EQ(config.get_bool("normalize_input"), expected) << word;
  }
  config.set("targets", "vocals,drums");
  EXPECT_EQ(config.get_strings("targets"), (std::vector<std::string>{"vocals", "drums"}));
}

TEST(Config, IntegerValuedFloatStaysAFloat) {
  Config config = Config::from_template("SpectrogramNetSimple", "m");
  config.set("lr", "1");
  EXPECT_TRUE(
      nlohmann::ordered_json::parse(config.to_json())["training_params"]["lr"].is_number_float());
}

TEST(Config, UnknownKeySuggestsClosest) {
  Config config = Config::from_template("SpectrogramNetSimple", "m");
  const auto message = error_of([&] { config.set("dropuot_p", "0.1"); });
  EXPECT_TRUE(contains(message, "'dropuot_p'")) << message;
  EXPECT_TRUE(contains(message, "did you mean 'dropout_p'")) << message;
}

TEST(Config, WrongTypeAndRangeNameKeyAndAllowedValues) {
  Config config = Config::from_template("SpectrogramNetSimple", "m");
  auto message = error_of([&] { config.set("mask_activation", "softplus"); });
  EXPECT_TRUE(contains(message, "mask_activation")) << message;
  EXPECT_TRUE(contains(message, "sigmoid")) << message;
  message = error_of([&] { config.set("hidden_channels", "2.5"); });
  EXPECT_TRUE(contains(message, "whole number")) << message;
  message = error_of([&] { config.set("dropout_p", "1.5"); });
  EXPECT_TRUE(contains(message, "between 0 and 0.99")) << message;
  message = error_of([&] { config.set("normalize_input", "maybe"); });
  EXPECT_TRUE(contains(message, "true/false")) << message;
  message = error_of([&] { config.set("targets", "vocals,piano"); });
  EXPECT_TRUE(contains(message, "vocals, drums, bass, other")) << message;
  // A rejected edit leaves the config as it was.
  EXPECT_DOUBLE_EQ(config.get_double("dropout_p"), 0.4);
}

TEST(Config, CrossKeyRulesAreChecked) {
  Config config = Config::from_template("SpectrogramNetSimple", "m");
  config.set("window_size", "2048");
  EXPECT_TRUE(contains(error_of([&] { config.validate(); }), "num_fft"));
  TempDir dir;
  EXPECT_TRUE(contains(error_of([&] { config.save(dir / "config.json"); }), "num_fft"));
  EXPECT_FALSE(std::filesystem::exists(dir / "config.json"));
  config.set("num_fft", "2048");  // related keys can be edited one after the other
  config.validate();
  config.set("hop_length", "4096");
  EXPECT_TRUE(contains(error_of([&] { config.validate(); }), "window_size"));
}

TEST(Config, SyntaxErrorGivesLineAndColumn) {
  const auto message = error_of(
      [] { Config::parse("{\n  \"model_params\": {\n    \"dropout_p\": 0.4,\n  }\n}", "c.json"); });
  EXPECT_TRUE(contains(message, "c.json")) << message;
  EXPECT_TRUE(contains(message, "line 4, column 3")) << message;
}

TEST(Config, MissingKeysComeFromTheTemplateAndBadOnesAreNamed) {
  const Config config = Config::parse(
      R"({"model_params": {"model_type": "SpectrogramNetLSTM", "hidden_size": 64}})", "c.json");
  EXPECT_EQ(config.get_int("hidden_size"), 64);
  EXPECT_EQ(config.get_int("recurrent_depth"), 3);
  EXPECT_TRUE(contains(error_of([] { Config::parse(R"({"model_parms": {}})", "c.json"); }),
                       "unknown group 'model_parms'"));
  EXPECT_TRUE(
      contains(error_of([] { Config::parse(R"({"model_params": {"lr": 0.1}})", "c.json"); }),
               "belongs in 'training_params'"));
  EXPECT_TRUE(
      contains(error_of([] { Config::parse(R"({"training_params": {"lr": "fast"}})", "c.json"); }),
               "config key 'lr'"));
}

TEST(Config, SaveLoadRoundTripLeavesNoTemporaryFiles) {
  TempDir dir;
  Config config = Config::from_template("HybridNet", "h");
  config.set("seed", "42");
  config.save(dir / "config.json");
  const Config loaded = Config::load(dir / "config.json");
  EXPECT_EQ(loaded.to_json(), config.to_json());
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path()))
    ++files;
  EXPECT_EQ(files, 1);
}

TEST(Config, LoadOfMissingFileNamesIt) {
  EXPECT_TRUE(contains(error_of([] { Config::load("/nonexistent/config.json"); }),
                       "/nonexistent/config.json"));
}

TEST(ConfigCommand, CreatesEditsAndDisplays) {
  TempDir dir;
  auto result = run_cli("config my_model SpectrogramNetLSTM --save models", dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  ASSERT_TRUE(std::filesystem::exists(dir / "models/my_model/config.json"));

  result = run_cli("config my_model --save models --mask_activation relu --dropout-p 0.3 --display",
                   dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "model_params")) << result.output;
  EXPECT_TRUE(contains(result.output, "relu")) << result.output;
  const Config config = auralflow::ModelFolder(dir / "models/my_model").load_config();
  EXPECT_EQ(config.get_string("mask_activation"), "relu");
  EXPECT_DOUBLE_EQ(config.get_double("dropout_p"), 0.3);
  EXPECT_EQ(config.get_string("model_type"), "SpectrogramNetLSTM");
  EXPECT_EQ(config.get_string("model_name"), "my_model");
}

TEST(ConfigCommand, ExistingFolderNeedsForceAndKeepsOtherFiles) {
  TempDir dir;
  ASSERT_EQ(run_cli("config m SpectrogramNetSimple", dir.path()).exit_code, 0);
  write_bytes(dir / "m/keep.txt", "data");
  auto result = run_cli("config m AudioNetSimple", dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.output, "--force")) << result.output;
  EXPECT_EQ(auralflow::ModelFolder(dir / "m").load_config().get_string("model_type"),
            "SpectrogramNetSimple");
  result = run_cli("config m AudioNetSimple --force", dir.path());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(auralflow::ModelFolder(dir / "m").load_config().get_string("model_type"),
            "AudioNetSimple");
  EXPECT_TRUE(std::filesystem::exists(dir / "m/keep.txt"));
}

TEST(ConfigCommand, MistakesAreOneLineErrors) {
  TempDir dir;
  ASSERT_EQ(run_cli("config m SpectrogramNetSimple", dir.path()).exit_code, 0);
  auto result = run_cli("config m --dropuot 0.3", dir.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.output,
            "auralflow: error: unknown config key 'dropuot' (did you mean "
            "'dropout_p'?)\n");
  result = run_cli("config m --dropout_p 3", dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.output, "between 0 and 0.99")) << result.output;
  result = run_cli("config other Foo", dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.output, "SpectrogramNetSimple")) << result.output;
  write_bytes(dir / "m/config.json", "{\"model_params\": {\"dropout_p\": 0.4,}}");
  result = run_cli("config m --display", dir.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.output, "line 1, column")) << result.output;
}
