#include "feeds/parsers/netset_parser.h"

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

TEST(NetsetParserTest, FireholNetset) {
  ParsedFeed feed = ParseOk(FeedFormat::kNetset, ReadTestdata("firehol_level1.netset"));
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 16u);
  EXPECT_EQ(r.lines_skipped, 8u);
  EXPECT_EQ(r.invalid, 0u);
  EXPECT_EQ(r.host_bits_cleared, 2u);
  EXPECT_THAT(Values(feed), ElementsAre("0.0.0.0/8", "1.10.16.0/20", "1.19.0.0/16", "5.188.10.179",
                                        "10.0.0.0/8", "1.2.3.4", "2001:db8::/32", "2001:db8::/64"));
  EXPECT_EQ(feed.entries[3].indicator.type, IndicatorType::kIpv4);
  EXPECT_EQ(feed.entries[5].indicator.type, IndicatorType::kIpv4);  // a /32 is an address
  EXPECT_EQ(feed.entries[6].indicator.type, IndicatorType::kCidr);
}

TEST(NetsetParserTest, SpamhausDropText) {
  ParsedFeed feed = ParseOk(FeedFormat::kNetset, ReadTestdata("spamhaus_drop.txt"));
  EXPECT_EQ(feed.report.lines_skipped, 4u);
  EXPECT_EQ(feed.report.invalid, 0u);
  EXPECT_THAT(Values(feed),
              ElementsAre("1.10.16.0/20", "1.19.0.0/16", "1.32.128.0/18", "2.56.192.0/22"));
}

TEST(NetsetParserTest, SpamhausDropJsonLines) {
  ParsedFeed v4 = ParseOk(FeedFormat::kNetset, ReadTestdata("spamhaus_drop_v4.json"));
  EXPECT_EQ(v4.report.lines_total, 4u);
  EXPECT_EQ(v4.report.lines_skipped, 1u);  // the metadata line
  EXPECT_EQ(v4.report.invalid, 0u);
  EXPECT_THAT(Values(v4), ElementsAre("1.10.16.0/20", "1.19.0.0/16", "1.32.128.0/18"));

  ParsedFeed v6 = ParseOk(FeedFormat::kNetset, ReadTestdata("spamhaus_drop_v6.json"));
  EXPECT_THAT(Values(v6), ElementsAre("2001:678:738::/48", "2a06:e480::/29"));
}

TEST(NetsetParserTest, MalformedFixture) {
  ParsedFeed feed = ParseOk(FeedFormat::kNetset, ReadTestdata("netset_malformed.netset"));
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 9u);
  EXPECT_EQ(r.lines_skipped, 2u);  // comment and metadata
  EXPECT_THAT(Values(feed), ElementsAre("1.2.3.4"));
  EXPECT_EQ(r.invalid, 5u);
  EXPECT_EQ(r.unsupported, 1u);
  EXPECT_THAT(ErrorLines(r), ElementsAre(3, 4, 5, 6, 7, 9));
  EXPECT_THAT(r.first_errors[0].reason, HasSubstr("expected ipv4, ipv6 or cidr, found domain"));
  EXPECT_THAT(r.first_errors[2].reason, HasSubstr("ranges"));
  EXPECT_THAT(r.first_errors[3].reason, HasSubstr("cidr"));
  EXPECT_THAT(r.first_errors[4].reason, HasSubstr("not a JSON object"));
}

TEST(NetsetParserTest, ForcedTypeMustBeAnAddressType) {
  ParserOptions options;
  options.indicator_type = IndicatorType::kDomain;
  EXPECT_FALSE(MakeParser(FeedFormat::kNetset, options));
  options.indicator_type = IndicatorType::kIpv6;
  ParsedFeed feed = ParseOk(FeedFormat::kNetset, "2001:db8::1\n1.2.3.4\n", options);
  EXPECT_THAT(Values(feed), ElementsAre("2001:db8::1"));
  EXPECT_EQ(feed.report.invalid, 1u);
}

}  // namespace
}  // namespace mamori::feeds::parsers
