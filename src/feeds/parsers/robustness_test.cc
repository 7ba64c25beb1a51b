// Hostile input: every parser must survive truncated and corrupted documents without crashing,
// and its counts must stay consistent with what it produced. (The fuzz targets under fuzz/ go
// further; this runs with every test build, including the sanitizer one.)
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "feeds/parser.h"
#include "feeds/parsers/test_util.h"

namespace mamori::feeds::parsers {
namespace {

struct Fixture {
  FeedFormat format;
  const char* file;
};

constexpr Fixture kFixtures[] = {
    {FeedFormat::kPlain, "plain_good.txt"},
    {FeedFormat::kHosts, "hosts_good.txt"},
    {FeedFormat::kCsv, "csv_good.csv"},
    {FeedFormat::kNetset, "firehol_level1.netset"},
    {FeedFormat::kNetset, "spamhaus_drop_v4.json"},
    {FeedFormat::kUrlhausCsv, "urlhaus_recent.csv"},
    {FeedFormat::kMisp, "misp_event.json"},
    {FeedFormat::kStix, "stix_bundle.json"},
};

void ParseAndCheck(FeedFormat format, const std::string& body) {
  ParserOptions options;
  if (format == FeedFormat::kCsv) {
    options.csv_value_column = "0";
    options.csv_confidence_column = "3";
  }
  auto parser = MakeParser(format, options);
  ASSERT_TRUE(parser);
  ParsedFeed feed;
  auto status = (*parser)->Parse(body, "mutated", feed);
  EXPECT_EQ(feed.entries.size(), feed.report.entries);
  EXPECT_LE(feed.report.first_errors.size(), ParseReport::kMaxReportedErrors);
  for (const auto& e : feed.report.first_errors) EXPECT_LE(e.excerpt.size(), 80u);
  if (!status) {
    EXPECT_FALSE(status.error().message.empty());
  }
  Deduplicate(feed);
  EXPECT_EQ(feed.entries.size() + feed.report.duplicates, feed.report.entries);
}

TEST(ParserRobustnessTest, TruncatedAndCorruptedFixtures) {
  std::mt19937 rng(1234);
  using std::string_literals::operator""s;
  const std::string noise = "\"'[](){},;#|\\:/.\n\r\t \xC3\xBC\xFF\0"s;
  for (const Fixture& f : kFixtures) {
    SCOPED_TRACE(f.file);
    std::string body = testing::ReadTestdata(f.file);
    ASSERT_FALSE(body.empty());
    for (size_t cut = 0; cut < body.size(); cut += 1 + body.size() / 97) {
      ParseAndCheck(f.format, body.substr(0, cut));
    }
    for (int round = 0; round < 200; ++round) {
      std::string mutated = body;
      for (int k = 0; k < 4; ++k) {
        mutated[rng() % mutated.size()] = noise[rng() % noise.size()];
      }
      ParseAndCheck(f.format, mutated);
    }
  }
}

}  // namespace
}  // namespace mamori::feeds::parsers
