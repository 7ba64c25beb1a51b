#include "feeds/parsers/plain_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "feeds/parsers/test_util.h"

namespace mamori::feeds::parsers {
namespace {

using ::testing::ElementsAre;
using testing::ErrorLines;
using testing::ParseOk;
using testing::ReadTestdata;
using testing::Values;

TEST(PlainParserTest, GoodFixtureNormalizesEveryValue) {
  ParsedFeed feed = ParseOk(FeedFormat::kPlain, ReadTestdata("plain_good.txt"));
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 14u);
  EXPECT_EQ(r.lines_skipped, 4u);
  EXPECT_EQ(r.entries, 10u);
  EXPECT_EQ(r.invalid, 0u);
  EXPECT_EQ(r.host_bits_cleared, 1u);
  EXPECT_EQ(r.defanged, 1u);
  EXPECT_THAT(Values(feed),
              ElementsAre("1.2.3.4", "evil.example", "evil.example", "http://bad.example/path",
                          "10.0.0.0/8", "d41d8cd98f00b204e9800998ecf8427e", "xn--bcher-kva.example",
                          "xn--bcher-kva.example", "2001:db8::1", "198.51.100.7"));
  EXPECT_EQ(feed.entries[0].indicator.type, IndicatorType::kIpv4);
  EXPECT_EQ(feed.entries[4].indicator.type, IndicatorType::kCidr);
  EXPECT_EQ(feed.entries[5].indicator.type, IndicatorType::kMd5);
  EXPECT_EQ(feed.entries[8].indicator.type, IndicatorType::kIpv6);
  EXPECT_EQ(feed.entries[0].confidence, -1);

  Deduplicate(feed);
  EXPECT_EQ(feed.report.duplicates, 2u);
  EXPECT_THAT(Values(feed), ElementsAre("1.2.3.4", "evil.example", "http://bad.example/path",
                                        "10.0.0.0/8", "d41d8cd98f00b204e9800998ecf8427e",
                                        "xn--bcher-kva.example", "2001:db8::1", "198.51.100.7"));
}

TEST(PlainParserTest, MalformedFixtureCountsEveryBadLineAndGoesOn) {
  ParsedFeed feed = ParseOk(FeedFormat::kPlain, ReadTestdata("plain_malformed.txt"));
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 13u);
  EXPECT_EQ(r.lines_skipped, 1u);
  EXPECT_EQ(r.invalid, 8u);
  EXPECT_THAT(Values(feed),
              ElementsAre("1.2.3.4", "good.example", "abc_def.example", "10.0.0.0/24"));
  EXPECT_THAT(ErrorLines(r), ElementsAre(3, 4, 5, 6, 8, 10, 11, 13));
  EXPECT_EQ(r.first_errors[0].excerpt, "999.1.2.3");
  EXPECT_THAT(r.first_errors[1].reason, ::testing::HasSubstr("prefix length"));
  EXPECT_EQ(r.first_errors[2].excerpt, "not a domain!");
  EXPECT_EQ(r.first_errors[7].excerpt.size(), 78u);  // the long line, whole (under 80)
  EXPECT_DOUBLE_EQ(r.InvalidShare(), 8.0 / 12.0);
}

TEST(PlainParserTest, ForcedTypeMakesOtherTypesInvalid) {
  ParserOptions options;
  options.indicator_type = IndicatorType::kIpv4;
  options.default_confidence = 60;
  ParsedFeed feed = ParseOk(FeedFormat::kPlain, "1.2.3.4\nevil.example\n5.6.7.8\n", options);
  EXPECT_THAT(Values(feed), ElementsAre("1.2.3.4", "5.6.7.8"));
  EXPECT_EQ(feed.report.invalid, 1u);
  EXPECT_THAT(ErrorLines(feed.report), ElementsAre(2));
  EXPECT_EQ(feed.entries[0].confidence, 60);
}

TEST(PlainParserTest, NoFinalNewlineLoneCrAndOnlyComments) {
  ParsedFeed feed = ParseOk(FeedFormat::kPlain, "a.example\r\nb.example");
  EXPECT_THAT(Values(feed), ElementsAre("a.example", "b.example"));
  EXPECT_EQ(feed.report.lines_total, 2u);

  ParsedFeed comments = ParseOk(FeedFormat::kPlain, "# only\n\n; comments\n");
  EXPECT_TRUE(comments.entries.empty());
  EXPECT_EQ(comments.report.lines_skipped, 3u);
  EXPECT_EQ(comments.report.InvalidShare(), 0.0);

  ParsedFeed empty = ParseOk(FeedFormat::kPlain, "");
  EXPECT_EQ(empty.report.lines_total, 0u);
}

TEST(PlainParserTest, KeepsOnlyTheFirstTenErrors) {
  std::string body;
  for (int i = 0; i < 25; ++i) body += "bad..example\n";
  ParsedFeed feed = ParseOk(FeedFormat::kPlain, body);
  EXPECT_EQ(feed.report.invalid, 25u);
  ASSERT_EQ(feed.report.first_errors.size(), ParseReport::kMaxReportedErrors);
  EXPECT_EQ(feed.report.first_errors.back().line, 10u);
}

TEST(PlainParserTest, AppendsAcrossDocuments) {
  auto parser = MakeParser(FeedFormat::kPlain, {});
  ASSERT_TRUE(parser);
  ParsedFeed feed;
  ASSERT_TRUE((*parser)->Parse("a.example\n", "one", feed));
  ASSERT_TRUE((*parser)->Parse("b.example\nbad..example\n", "two", feed));
  EXPECT_THAT(Values(feed), ElementsAre("a.example", "b.example"));
  EXPECT_EQ(feed.report.lines_total, 3u);
  EXPECT_EQ(feed.report.invalid, 1u);
}

}  // namespace
}  // namespace mamori::feeds::parsers
