#include "feeds/parsers/hosts_parser.h"

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

TEST(HostsParserTest, GoodFixtureYieldsTheNamesNotTheLocalEntries) {
  ParsedFeed feed = ParseOk(FeedFormat::kHosts, ReadTestdata("hosts_good.txt"));
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 11u);
  EXPECT_EQ(r.lines_skipped, 7u);  // comment + 6 lines of local names only
  EXPECT_EQ(r.invalid, 0u);
  EXPECT_THAT(Values(feed), ElementsAre("evil.example", "tracker.example", "ads.example",
                                        "phish.example", "tab.example"));
  for (const auto& e : feed.entries) EXPECT_EQ(e.indicator.type, IndicatorType::kDomain);
}

TEST(HostsParserTest, MalformedFixture) {
  ParsedFeed feed = ParseOk(FeedFormat::kHosts, ReadTestdata("hosts_malformed.txt"));
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 6u);
  EXPECT_EQ(r.invalid, 6u);
  EXPECT_THAT(Values(feed), ElementsAre("ok.example"));
  EXPECT_THAT(ErrorLines(r), ElementsAre(1, 2, 3, 4, 5, 6));
  EXPECT_THAT(r.first_errors[0].reason, ::testing::HasSubstr("needs a name"));
  EXPECT_THAT(r.first_errors[1].reason, ::testing::HasSubstr("must start with an IP"));
  EXPECT_THAT(r.first_errors[3].reason, ::testing::HasSubstr("domain"));
  EXPECT_EQ(r.first_errors[4].excerpt, "0.0.0.0 ok.example wpad");
}

TEST(HostsParserTest, LocalNames) {
  EXPECT_TRUE(IsLocalHostsName("localhost"));
  EXPECT_TRUE(IsLocalHostsName("LOCALHOST.localdomain"));
  EXPECT_TRUE(IsLocalHostsName("ip6-allnodes"));
  EXPECT_TRUE(IsLocalHostsName("broadcasthost"));
  EXPECT_TRUE(IsLocalHostsName("0.0.0.0"));
  EXPECT_FALSE(IsLocalHostsName("localhost.evil.example"));
  EXPECT_FALSE(IsLocalHostsName("ip6-"));
}

TEST(HostsParserTest, RejectsANonDomainForcedType) {
  ParserOptions options;
  options.indicator_type = IndicatorType::kIpv4;
  auto parser = MakeParser(FeedFormat::kHosts, options);
  ASSERT_FALSE(parser);
  EXPECT_THAT(parser.error().message, ::testing::HasSubstr("hosts"));
}

}  // namespace
}  // namespace mamori::feeds::parsers
