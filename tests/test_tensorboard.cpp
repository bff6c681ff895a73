// TensorBoard event files, read back by an independent reader written here: TFRecord
// framing with its own bitwise CRC32C, and a minimal protobuf wire-format decoder using
// TensorFlow's field numbers (Event, Summary.Value, HistogramProto, Summary.Image/Audio).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <stdexcept>

#include "auralflow/error.hpp"
#include "auralflow/tensorboard.hpp"
#include "auralflow/visualize.hpp"
#include "png_decode.hpp"
#include "test_support.hpp"

using auralflow::tensorboard::SummaryWriter;
using auralflow::testing::TempDir;

namespace {

// ---- TFRecord framing --------------------------------------------------------------

uint32_t bitwise_crc32c(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (const char c : data) {
    crc ^= static_cast<uint8_t>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

uint32_t masked(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u; }

uint64_t little_endian(const std::string& bytes, size_t at, size_t count) {
  if (at + count > bytes.size()) throw std::runtime_error("read past the end");
  uint64_t value = 0;
  for (size_t i = 0; i < count; ++i) {
    value |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[at + i])) << (8 * i);
  }
  return value;
}

// Every record's payload; std::runtime_error on a truncated record or a CRC mismatch.
std::vector<std::string> read_records(const std::string& bytes) {
  std::vector<std::string> records;
  size_t at = 0;
  while (at < bytes.size()) {
    if (bytes.size() - at < 12) throw std::runtime_error("truncated record header");
    const uint64_t length = little_endian(bytes, at, 8);
    if (little_endian(bytes, at + 8, 4) != masked(bitwise_crc32c(bytes.substr(at, 8)))) {
      throw std::runtime_error("length CRC mismatch at byte " + std::to_string(at));
    }
    at += 12;
    if (bytes.size() - at < 4 || length > bytes.size() - at - 4) {
      throw std::runtime_error("truncated record");
    }
    std::string payload = bytes.substr(at, length);
    if (little_endian(bytes, at + length, 4) != masked(bitwise_crc32c(payload))) {
      throw std::runtime_error("payload CRC mismatch at byte " + std::to_string(at));
    }
    records.push_back(std::move(payload));
    at += length + 4;
  }
  return records;
}

// ---- protobuf wire format ----------------------------------------------------------

struct Field {
  int wire_type = 0;
  uint64_t bits = 0;  // varint, fixed64 or fixed32 value
  std::string bytes;  // length-delimited value
};
using Message = std::multimap<int, Field>;  // by field number

uint64_t read_varint(const std::string& data, size_t& at) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at >= data.size()) throw std::runtime_error("truncated varint");
    const auto byte = static_cast<uint8_t>(data[at++]);
    value |= static_cast<uint64_t>(byte & 0x7Fu) << shift;
    if ((byte & 0x80u) == 0) return value;
  }
  throw std::runtime_error("varint too long");
}

Message parse(const std::string& data) {
  Message message;
  size_t at = 0;
  while (at < data.size()) {
    const uint64_t key = read_varint(data, at);
    Field field;
    field.wire_type = static_cast<int>(key & 7u);
    if (field.wire_type == 0) {
      field.bits = read_varint(data, at);
    } else if (field.wire_type == 1 || field.wire_type == 5) {
      const size_t size = field.wire_type == 1 ? 8 : 4;
      field.bits = little_endian(data, at, size);
      at += size;
    } else if (field.wire_type == 2) {
      const uint64_t length = read_varint(data, at);
      if (length > data.size() - at) throw std::runtime_error("truncated bytes field");
      field.bytes = data.substr(at, length);
      at += length;
    } else {
      throw std::runtime_error("unexpected wire type " + std::to_string(field.wire_type));
    }
    message.emplace(static_cast<int>(key >> 3), field);
  }
  return message;
}

const Field& get(const Message& message, int number, int wire_type) {
  const auto found = message.find(number);
  if (found == message.end()) throw std::runtime_error("no field " + std::to_string(number));
  if (found->second.wire_type != wire_type) {
    throw std::runtime_error("field " + std::to_string(number) + " has the wrong wire type");
  }
  return found->second;
}

double get_double(const Message& message, int number) {
  const uint64_t bits = get(message, number, 1).bits;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

float get_float(const Message& message, int number) {
  const auto bits = static_cast<uint32_t>(get(message, number, 5).bits);
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

int64_t get_int(const Message& message, int number) {
  return static_cast<int64_t>(get(message, number, 0).bits);
}

std::vector<double> get_packed_doubles(const Message& message, int number) {
  const std::string& bytes = get(message, number, 2).bytes;
  std::vector<double> values(bytes.size() / sizeof(double));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(double));
  return values;
}

// ---- events ------------------------------------------------------------------------

struct Event {
  double wall_time = 0.0;
  int64_t step = 0;
  std::string file_version;
  std::string tag;  // of the Summary's single value
  Message value;    // that Summary.Value's fields
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<Event> read_events(const std::filesystem::path& path) {
  std::vector<Event> events;
  for (const auto& record : read_records(read_file(path))) {
    const Message message = parse(record);
    Event event;
    event.wall_time = get_double(message, 1);
    if (message.count(2) != 0) event.step = get_int(message, 2);
    if (message.count(3) != 0) event.file_version = get(message, 3, 2).bytes;
    if (message.count(5) != 0) {
      const Message summary = parse(get(message, 5, 2).bytes);
      EXPECT_EQ(summary.count(1), 1u) << "one value per summary";
      event.value = parse(get(summary, 1, 2).bytes);
      event.tag = get(event.value, 1, 2).bytes;
    }
    events.push_back(std::move(event));
  }
  return events;
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST(TensorBoardTestReader, Crc32cMatchesTheStandardCheckValue) {
  EXPECT_EQ(bitwise_crc32c("123456789"), 0xE3069283u);
}

TEST(SummaryWriter, FirstRecordIsFileVersionThenScalarsWithTagsAndSteps) {
  TempDir dir;
  const double before = now_seconds();
  std::filesystem::path path;
  {
    SummaryWriter writer(dir / "runs" / "nested");
    for (int64_t step = 0; step < 5; ++step)
      writer.add_scalar("loss/batch", 1.0 / (step + 1), step);
    writer.add_scalar("lr", 1e-3, 70);
    path = writer.path();
  }
  const double after = now_seconds();
  EXPECT_EQ(path.parent_path(), dir / "runs" / "nested");
  EXPECT_EQ(path.filename().string().rfind("events.out.tfevents.", 0), 0u) << path;

  const auto events = read_events(path);
  ASSERT_EQ(events.size(), 7u);
  EXPECT_EQ(events[0].file_version, "brain.Event:2");
  EXPECT_TRUE(events[0].tag.empty());
  for (const auto& event : events) {
    EXPECT_GE(event.wall_time, std::floor(before));
    EXPECT_LE(event.wall_time, after + 1.0);
  }
  for (int64_t step = 0; step < 5; ++step) {
    const auto& event = events[static_cast<size_t>(step + 1)];
    EXPECT_EQ(event.tag, "loss/batch");
    EXPECT_EQ(event.step, step);
    EXPECT_FLOAT_EQ(get_float(event.value, 2), 1.0f / static_cast<float>(step + 1));
  }
  EXPECT_EQ(events[6].tag, "lr");
  EXPECT_EQ(events[6].step, 70);
  EXPECT_FLOAT_EQ(get_float(events[6].value, 2), 1e-3f);
}

TEST(SummaryWriter, EventsAreInTheFileBeforeTheWriterCloses) {
  TempDir dir;
  SummaryWriter writer(dir.path());
  writer.add_scalar("a", 2.5, 1);
  auto events = read_events(writer.path());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_FLOAT_EQ(get_float(events[1].value, 2), 2.5f);
  writer.add_scalar("a", 3.5, 2);
  writer.flush();
  events = read_events(writer.path());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].step, 2);
}

TEST(SummaryWriter, HistogramBucketsCountEveryElement) {
  torch::manual_seed(0);
  const auto values = torch::randn({37, 29});
  TempDir dir;
  SummaryWriter writer(dir.path());
  writer.add_histogram("weights/conv", values, 3);
  const auto events = read_events(writer.path());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].tag, "weights/conv");
  EXPECT_EQ(events[1].step, 3);
  const Message histogram = parse(get(events[1].value, 5, 2).bytes);

  const auto data = values.to(torch::kDouble).flatten();
  const double low = data.min().item<double>();
  const double high = data.max().item<double>();
  EXPECT_EQ(get_double(histogram, 1), low);
  EXPECT_EQ(get_double(histogram, 2), high);
  EXPECT_EQ(get_double(histogram, 3), 37.0 * 29.0);
  EXPECT_NEAR(get_double(histogram, 4), data.sum().item<double>(), 1e-9);
  EXPECT_NEAR(get_double(histogram, 5), data.square().sum().item<double>(), 1e-9);

  const auto limits = get_packed_doubles(histogram, 6);
  const auto counts = get_packed_doubles(histogram, 7);
  ASSERT_EQ(limits.size(), 30u);
  ASSERT_EQ(counts.size(), 30u);
  EXPECT_EQ(limits.back(), high);
  // Recount with the proto's rule: bucket i holds (limit[i - 1], limit[i]].
  std::vector<double> expected(30, 0.0);
  for (int64_t i = 0; i < data.numel(); ++i) {
    const double x = data[i].item<double>();
    size_t bucket = 0;
    while (x > limits[bucket]) ++bucket;
    expected[bucket] += 1.0;
  }
  double total = 0.0;
  for (size_t i = 0; i < 30; ++i) {
    if (i > 0) {
      EXPECT_LT(limits[i - 1], limits[i]);
    }
    EXPECT_EQ(counts[i], expected[i]) << "bucket " << i;
    total += counts[i];
  }
  EXPECT_EQ(total, 37.0 * 29.0);
}

TEST(SummaryWriter, HistogramLeavesOutNonFiniteValuesAndKeepsConstantsInOneBucket) {
  const double inf = std::numeric_limits<double>::infinity();
  TempDir dir;
  SummaryWriter writer(dir.path());
  writer.add_histogram("grad", torch::tensor({1.0, 2.0, std::nan(""), inf, -inf, 3.0}), 0, 4);
  writer.add_histogram("bias", torch::full({10}, 0.5), 0);
  const auto events = read_events(writer.path());
  ASSERT_EQ(events.size(), 3u);

  const Message finite = parse(get(events[1].value, 5, 2).bytes);
  EXPECT_EQ(get_double(finite, 3), 3.0);
  EXPECT_EQ(get_double(finite, 1), 1.0);
  EXPECT_EQ(get_double(finite, 2), 3.0);
  EXPECT_EQ(get_double(finite, 4), 6.0);
  const auto counts = get_packed_doubles(finite, 7);
  ASSERT_EQ(counts.size(), 4u);
  EXPECT_EQ(counts[0] + counts[1] + counts[2] + counts[3], 3.0);

  const Message constant = parse(get(events[2].value, 5, 2).bytes);
  EXPECT_EQ(get_packed_doubles(constant, 6), std::vector<double>{0.5});
  EXPECT_EQ(get_packed_doubles(constant, 7), std::vector<double>{10.0});
}

TEST(SummaryWriter, ImageRecordHoldsAPngThatDecodesToTheImage) {
  auralflow::visualize::Image image(20, 33, {10, 20, 30});
  image.set(5, 7, {200, 100, 50});
  TempDir dir;
  SummaryWriter writer(dir.path());
  writer.add_image("figures/spectrogram", image, 2);
  writer.add_image("figures/raw", auralflow::visualize::encode_png(image), 3);
  const auto events = read_events(writer.path());
  ASSERT_EQ(events.size(), 3u);
  for (size_t i : {1u, 2u}) {
    const Message stored = parse(get(events[i].value, 4, 2).bytes);
    EXPECT_EQ(get_int(stored, 1), 20);  // height
    EXPECT_EQ(get_int(stored, 2), 33);  // width
    EXPECT_EQ(get_int(stored, 3), 3);   // RGB
    const auto png = auralflow::testing::decode_png(get(stored, 4, 2).bytes);
    EXPECT_EQ(png.height, 20u);
    EXPECT_EQ(png.width, 33u);
    EXPECT_EQ(png.pixel(5, 7), (std::vector<uint8_t>{200, 100, 50}));
    EXPECT_EQ(png.pixel(19, 32), (std::vector<uint8_t>{10, 20, 30}));
  }
  EXPECT_EQ(events[2].tag, "figures/raw");
  EXPECT_EQ(events[2].step, 3);
}

TEST(SummaryWriter, AudioRecordIsA16BitWavOfTheRightLength) {
  constexpr int64_t kFrames = 2205;
  auto waveform = 0.5 * torch::sin(torch::arange(2 * kFrames).reshape({2, kFrames}) * 0.05);
  waveform[0][10] = 1.5;  // clipped, not wrapped
  waveform[1][11] = -1.5;
  TempDir dir;
  SummaryWriter writer(dir.path());
  writer.add_audio("audio/estimate", waveform, 22050, 4);
  const auto events = read_events(writer.path());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].step, 4);
  const Message audio = parse(get(events[1].value, 6, 2).bytes);
  EXPECT_EQ(get_float(audio, 1), 22050.0f);
  EXPECT_EQ(get_int(audio, 2), 2);
  EXPECT_EQ(get_int(audio, 3), kFrames);
  EXPECT_EQ(get(audio, 5, 2).bytes, "audio/wav");

  // RIFF/WAVE with a PCM fmt chunk and a data chunk of interleaved little-endian int16.
  const std::string wav = get(audio, 4, 2).bytes;
  ASSERT_GE(wav.size(), 44u);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(little_endian(wav, 4, 4), wav.size() - 8);
  EXPECT_EQ(wav.substr(8, 4), "WAVE");
  std::string data;
  for (size_t at = 12; at + 8 <= wav.size();) {
    const std::string id = wav.substr(at, 4);
    const size_t size = little_endian(wav, at + 4, 4);
    if (id == "fmt ") {
      EXPECT_EQ(little_endian(wav, at + 8, 2), 1u);       // PCM
      EXPECT_EQ(little_endian(wav, at + 10, 2), 2u);      // channels
      EXPECT_EQ(little_endian(wav, at + 12, 4), 22050u);  // sample rate
      EXPECT_EQ(little_endian(wav, at + 22, 2), 16u);     // bits per sample
    }
    if (id == "data") data = wav.substr(at + 8, size);
    at += 8 + size + size % 2;
  }
  ASSERT_EQ(data.size(), static_cast<size_t>(kFrames * 2 * 2));
  const auto sample = [&](int64_t channel, int64_t frame) {
    return static_cast<int16_t>(
        little_endian(data, static_cast<size_t>((frame * 2 + channel) * 2), 2));
  };
  for (int64_t frame = 0; frame < kFrames; frame += 97) {
    for (int64_t channel = 0; channel < 2; ++channel) {
      if (frame == 10 || frame == 11) continue;
      EXPECT_NEAR(sample(channel, frame), waveform[channel][frame].item<double>() * 32767.0, 0.5);
    }
  }
  EXPECT_EQ(sample(0, 10), 32767);
  EXPECT_EQ(sample(1, 11), -32767);
}

TEST(TensorBoardTestReader, DetectsEverySingleCorruptedByte) {
  TempDir dir;
  std::filesystem::path path;
  {
    SummaryWriter writer(dir.path());
    writer.add_scalar("loss", 0.25, 1);
    writer.add_scalar("loss", 0.125, 2);
    path = writer.path();
  }
  const std::string bytes = read_file(path);
  ASSERT_EQ(read_records(bytes).size(), 3u);
  for (size_t at = 0; at < bytes.size(); ++at) {
    std::string corrupted = bytes;
    corrupted[at] = static_cast<char>(corrupted[at] ^ 0x10);
    EXPECT_THROW(read_records(corrupted), std::runtime_error) << "byte " << at;
  }
}

TEST(SummaryWriter, UnwritableRunFolderIsAClearError) {
  TempDir dir;
  auralflow::testing::write_bytes(dir / "file", "not a folder");
  try {
    SummaryWriter writer(dir / "file" / "runs");
    FAIL() << "expected auralflow::Error";
  } catch (const auralflow::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find((dir / "file" / "runs").string()), std::string::npos) << message;
    EXPECT_NE(message.find("cannot create"), std::string::npos) << message;
  }
}

TEST(SummaryWriter, TwoWritersInOneFolderGetTheirOwnFiles) {
  TempDir dir;
  SummaryWriter first(dir.path());
  SummaryWriter second(dir.path());
  EXPECT_NE(first.path(), second.path());
  first.add_scalar("a", 1.0, 0);
  second.add_scalar("b", 2.0, 0);
  EXPECT_EQ(read_events(first.path())[1].tag, "a");
  EXPECT_EQ(read_events(second.path())[1].tag, "b");
}

TEST(SummaryWriter, BadValuesAreErrorsNamingTheTagAndWriteNothing) {
  TempDir dir;
  SummaryWriter writer(dir.path());
  const auto expect_error = [](const std::function<void()>& call, const std::string& part) {
    try {
      call();
      ADD_FAILURE() << "expected auralflow::Error mentioning " << part;
    } catch (const auralflow::Error& error) {
      EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
    }
  };
  expect_error(
      [&] {
        writer.add_audio("nan_audio", torch::full({1, 100}, NAN), 8000, 0);
      },
      "nan_audio");
  expect_error([&] { writer.add_audio("rate", torch::zeros({1, 100}), 0, 0); }, "sample_rate");
  expect_error([&] { writer.add_audio("shape", torch::zeros({1, 1, 100}), 8000, 0); }, "shape");
  expect_error([&] { writer.add_image("not_png", std::string("GIF89a..................."), 0); },
               "not_png");
  expect_error([&] { writer.add_histogram("buckets", torch::ones({3}), 0, 0); }, "num_buckets");
  EXPECT_EQ(read_events(writer.path()).size(), 1u);
}
