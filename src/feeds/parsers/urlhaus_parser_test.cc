#include "feeds/parsers/urlhaus_parser.h"

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

TEST(UrlhausParserTest, RecentExportKeepsOnlineAndOfflineRows) {
  ParsedFeed feed = ParseOk(FeedFormat::kUrlhausCsv, ReadTestdata("urlhaus_recent.csv"));
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 12u);
  EXPECT_EQ(r.lines_skipped, 9u);
  EXPECT_EQ(r.invalid, 0u);
  EXPECT_THAT(Values(feed),
              ElementsAre("http://182.121.45.12:40626/i", "https://evil.example/payload.exe",
                          "http://mixed.example/a?b=1"));
  for (const auto& e : feed.entries) {
    EXPECT_EQ(e.indicator.type, IndicatorType::kUrl);
    EXPECT_EQ(e.category, "malware");
  }
}

TEST(UrlhausParserTest, OlderLayoutFromTheHeaderComment) {
  // Exports before 2020 had no last_online column: threat sat in column 4.
  ParsedFeed feed =
      ParseOk(FeedFormat::kUrlhausCsv,
              "# id,dateadded,url,url_status,threat,tags,urlhaus_link,reporter\n"
              "\"9\",\"2019-01-01 00:00:00\",\"http://old.example/x\",\"offline\",\"phishing_kit\","
              "\"\",\"https://urlhaus.abuse.ch/url/9/\",\"r\"\n");
  ASSERT_EQ(feed.entries.size(), 1u);
  EXPECT_EQ(feed.entries[0].indicator.value, "http://old.example/x");
  EXPECT_EQ(feed.entries[0].category, "phishing_kit");  // unknown threats are kept as written
}

TEST(UrlhausParserTest, MalformedFixture) {
  ParsedFeed feed = ParseOk(FeedFormat::kUrlhausCsv, ReadTestdata("urlhaus_malformed.csv"));
  const ParseReport& r = feed.report;
  EXPECT_EQ(r.lines_total, 7u);
  EXPECT_THAT(Values(feed), ElementsAre("http://ok.example/", "ftp://files.example/x.bin"));
  EXPECT_EQ(r.invalid, 4u);
  EXPECT_THAT(ErrorLines(r), ElementsAre(3, 4, 5, 6));
  EXPECT_THAT(r.first_errors[0].reason, HasSubstr("row has 2 field"));
  EXPECT_THAT(r.first_errors[1].reason, HasSubstr("url"));
  EXPECT_THAT(r.first_errors[3].reason, HasSubstr("closing quote"));
}

TEST(UrlhausParserTest, Categories) {
  EXPECT_EQ(UrlhausCategory("malware_download"), "malware");
  EXPECT_EQ(UrlhausCategory(""), "malware");
  EXPECT_EQ(UrlhausCategory("other"), "other");
}

}  // namespace
}  // namespace mamori::feeds::parsers
