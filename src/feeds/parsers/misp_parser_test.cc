#include "feeds/parsers/misp_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "feeds/parsers/test_util.h"

namespace mamori::feeds::parsers {
namespace {

using ::testing::ElementsAre;
using testing::ErrorLines;
using ::testing::HasSubstr;
using testing::ParseOk;
using testing::ReadTestdata;
using testing::Values;

TEST(MispParserTest, EventAttributesAndObjectAttributes) {
  ParsedFeed feed = ParseOk(FeedFormat::kMisp, ReadTestdata("misp_event.json"));
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 17u);
  EXPECT_EQ(r.lines_skipped, 3u);  // two with to_ids false, one filename with to_ids false
  EXPECT_EQ(r.unsupported, 2u);    // email-src, size-in-bytes
  EXPECT_EQ(r.invalid, 2u);
  EXPECT_EQ(r.entries, 11u);
  EXPECT_THAT(Values(feed),
              ElementsAre("203.0.113.7", "c2.evil.example", "http://evil.example/dropper.exe",
                          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                          "panel.evil.example", "198.51.100.9", "198.51.100.10",
                          "d41d8cd98f00b204e9800998ecf8427e", "192.0.2.0/24",
                          "da39a3ee5e6b4b0d3255bfef95601890afd80709", "203.0.113.7"));
  EXPECT_EQ(feed.entries[0].category, "");         // Network activity: the source default
  EXPECT_EQ(feed.entries[2].category, "malware");  // Payload delivery
  EXPECT_EQ(feed.entries[7].category, "malware");  // Artifacts dropped
  EXPECT_EQ(feed.entries[8].indicator.type, IndicatorType::kCidr);

  // Unsupported types are reported with their reason; invalid values with theirs.
  EXPECT_THAT(ErrorLines(r), ElementsAre(10, 12, 13, 16));
  EXPECT_THAT(r.first_errors[0].reason, HasSubstr("unsupported MISP attribute type 'email-src'"));
  EXPECT_THAT(r.first_errors[2].reason, HasSubstr("expected ipv4, ipv6 or cidr, found domain"));

  Deduplicate(feed);
  EXPECT_EQ(feed.report.duplicates, 1u);
  EXPECT_EQ(feed.entries.size(), 10u);
}

TEST(MispParserTest, ForcedTypeFiltersInsteadOfInvalidating) {
  ParserOptions options;
  options.indicator_type = IndicatorType::kDomain;
  ParsedFeed feed = ParseOk(FeedFormat::kMisp, ReadTestdata("misp_event.json"), options);
  EXPECT_THAT(Values(feed), ElementsAre("c2.evil.example", "panel.evil.example"));
  EXPECT_EQ(feed.report.invalid, 2u);  // the same two bad values
}

TEST(MispParserTest, DocumentErrorsNameTheOrigin) {
  auto parser = MakeParser(FeedFormat::kMisp, {});
  ASSERT_TRUE(parser);
  ParsedFeed feed;
  auto truncated = (*parser)->Parse(ReadTestdata("misp_malformed.json"), "events/x.json", feed);
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(truncated.error().context, "events/x.json");

  auto not_event = (*parser)->Parse(ReadTestdata("misp_not_event.json"), "events/y.json", feed);
  ASSERT_FALSE(not_event);
  EXPECT_THAT(not_event.error().message, HasSubstr("Event"));
  EXPECT_TRUE(feed.entries.empty());
}

TEST(MispParserTest, CompositeValueWithoutBarIsInvalid) {
  ParsedFeed feed =
      ParseOk(FeedFormat::kMisp,
              R"({"Event":{"Attribute":[{"type":"domain|ip","to_ids":1,"value":"x.example"},
                                {"type":"uri","to_ids":true,"value":"/gate.php"},
                                {"type":"uri","to_ids":"true","value":"http://x.example/gate.php"},
                                {"type":"domain","deleted":true,"value":"gone.example"}]}})");
  EXPECT_THAT(Values(feed), ElementsAre("http://x.example/gate.php"));
  EXPECT_EQ(feed.report.invalid, 1u);
  EXPECT_EQ(feed.report.unsupported, 1u);
  EXPECT_EQ(feed.report.lines_skipped, 1u);
}

TEST(MispParserTest, Categories) {
  EXPECT_EQ(MispCategory("Payload installation"), "malware");
  EXPECT_EQ(MispCategory("Financial fraud"), "fraud");
  EXPECT_EQ(MispCategory("Network activity"), "");
}

}  // namespace
}  // namespace mamori::feeds::parsers
