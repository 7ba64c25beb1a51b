#include "rse/ingest/ingest.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <string>
#include <vector>

#include "rse/ingest/line_reader.h"

namespace mamori::rse::ingest {
namespace {

std::vector<std::string> ReadAll(LineReader& reader, std::vector<bool>* cut = nullptr) {
  std::vector<std::string> lines;
  std::string_view line;
  bool too_long = false;
  while (true) {
    auto more = reader.Next(line, too_long);
    EXPECT_TRUE(more) << (more ? "" : more.error().message);
    if (!more || !*more) break;
    lines.emplace_back(line);
    if (cut) cut->push_back(too_long);
  }
  return lines;
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/mamori-ingest-test.XXXXXX";
    int fd = mkstemp(name);
    path_ = name;
    EXPECT_EQ(write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
    close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(LineReaderTest, CrlfAndMissingFinalNewline) {
  auto reader = LineReader::FromString("a\r\nbb\n\nccc");
  EXPECT_EQ(ReadAll(*reader), (std::vector<std::string>{"a", "bb", "", "ccc"}));
  EXPECT_EQ(reader->line_number(), 4u);
  EXPECT_EQ(ReadAll(*LineReader::FromString("")), std::vector<std::string>{});
  EXPECT_EQ(ReadAll(*LineReader::FromString("x\r")), std::vector<std::string>{"x"});
}

TEST(LineReaderTest, OverLongLinesAreCutAndTheRestSkipped) {
  std::string data = "short\n" + std::string(100, 'x') + "\nafter\n" + std::string(5000, 'y');
  auto reader = LineReader::FromString(data, 10);
  std::vector<bool> cut;
  auto lines = ReadAll(*reader, &cut);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1], std::string(10, 'x'));
  EXPECT_EQ(lines[2], "after");
  EXPECT_EQ(lines[3], std::string(10, 'y'));
  EXPECT_EQ(cut, (std::vector<bool>{false, true, false, true}));
}

TEST(LineReaderTest, LongLineAcrossBufferRefills) {
  // Lines bigger than the 1 MiB read block, with a cap above them and one below.
  std::string big(3 << 20, 'z');
  std::string data = "first\n" + big + "\nlast\n";
  auto lines = ReadAll(*LineReader::FromString(data, 4 << 20));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].size(), big.size());
  std::vector<bool> cut;
  lines = ReadAll(*LineReader::FromString(data, 1000), &cut);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].size(), 1000u);
  EXPECT_EQ(lines[2], "last");
}

TEST(LineReaderTest, GzipFileDetectedByMagic) {
  std::string plain;
  for (int i = 0; i < 200000; ++i) plain += "line " + std::to_string(i) + "\r\n";
  // Two concatenated members, as `cat a.gz b.gz` makes.
  TempFile file(Gzip(plain) + Gzip("tail\n"));
  auto reader = LineReader::Open(file.path());
  ASSERT_TRUE(reader);
  auto lines = ReadAll(**reader);
  EXPECT_TRUE((*reader)->gzip());
  ASSERT_EQ(lines.size(), 200001u);
  EXPECT_EQ(lines[0], "line 0");
  EXPECT_EQ(lines[199999], "line 199999");
  EXPECT_EQ(lines[200000], "tail");
}

TEST(LineReaderTest, TruncatedGzipAndMissingFileAreErrors) {
  std::string gz = Gzip(std::string(100000, 'a') + "\n");
  auto reader = LineReader::FromString(gz.substr(0, gz.size() / 2));
  std::string_view line;
  bool too_long;
  Expected<bool> more = true;
  while (more && *more) more = reader->Next(line, too_long);
  ASSERT_FALSE(more);
  EXPECT_EQ(more.error().code, ErrorCode::kCorrupt);
  auto missing = LineReader::Open("/nonexistent/mamori.log");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(IngestTest, CountsEveryKindOfLine) {
  std::string log =
      "192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"\n"
      "\n"
      "192.0.2.1 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 999x 1 \"-\" \"-\"\n"
      "garbage\n" +
      std::string(300, 'L') + "\n" +
      "192.0.2.1 - - [10/Oct/2023:13:50:00 +0000] \"GET /\xff HTTP/1.1\" 200 1 \"-\" \"-\"\r\n"
      "192.0.2.2 - - [10/Oct/2023:13:55:40 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"";
  auto parser = MakeLogParser("nginx-combined");
  ASSERT_TRUE(parser);
  auto reader = LineReader::FromString(log, 200);
  std::vector<OwnedEvent> events;
  IngestOptions options;
  options.max_examples = 2;
  auto stats = Ingest(
      *reader, **parser,
      [&](const Event& e) {
        events.push_back(OwnedEvent::From(e));
        return true;
      },
      options);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->lines, 7u);
  EXPECT_EQ(stats->events, 3u);
  EXPECT_EQ(stats->skipped, 1u);
  EXPECT_EQ(stats->malformed, 2u);
  EXPECT_EQ(stats->too_long, 1u);
  EXPECT_EQ(stats->invalid_utf8, 1u);
  EXPECT_EQ(stats->time_went_backwards, 1u);  // 13:50:00 after 13:55:36
  EXPECT_EQ(stats->largest_backwards_jump, 336LL * 1000000);
  EXPECT_EQ(stats->malformed_reasons.at("bad status"), 1u);
  EXPECT_EQ(stats->malformed_reasons.at("no client address"), 1u);
  EXPECT_EQ(stats->malformed_reasons.at("line too long"), 1u);
  ASSERT_EQ(stats->examples.size(), 2u);
  EXPECT_EQ(stats->examples[0].line, 3u);
  EXPECT_EQ(stats->examples[0].reason, "bad status");
  EXPECT_EQ(stats->examples[1].line, 4u);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].raw.substr(0, 9), "192.0.2.1");
}

TEST(IngestTest, UnknownFormatNamesTheKnownOnes) {
  auto stats = IngestFile("-", "nope", {});
  ASSERT_FALSE(stats);
  EXPECT_NE(stats.error().message.find("nginx-combined"), std::string::npos);
  EXPECT_NE(stats.error().message.find("sshd"), std::string::npos);
}

// Agreement with fail2ban's annotated test logs (sshd, nginx, apache, postfix) is checked line by
// line, through the rules, by tests/integration/fail2ban_parity.sh (docs/fail2ban-parity.md).

}  // namespace
}  // namespace mamori::rse::ingest
