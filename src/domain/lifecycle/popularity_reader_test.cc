#include "domain/lifecycle/popularity_reader.h"

#include <gtest/gtest.h>

#include "domain/lifecycle/internal/test_files.h"
#include "domain/lifecycle/source_file.h"

namespace mamori::domain::lifecycle {
namespace {

using testing::WriteFile;
using Ranked = std::vector<std::pair<std::string, int32_t>>;

TEST(PopularityReader, ReadsRankDomainWithListAndDayFromTheFileName) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "tranco-2026-01-05.csv", "1,google.com\r\n2,Example.COM.\n\n3,a.org\n");
  ingest::IngestReport report;
  auto got = ReadPopularityList(path, {}, report);
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->list, "tranco");
  EXPECT_EQ(DayText(got->day), "2026-01-05");
  EXPECT_EQ(got->ranked, (Ranked{{"google.com", 1}, {"example.com", 2}, {"a.org", 3}}));
  EXPECT_EQ(report.lines, 4);
  EXPECT_EQ(report.records, 3);
  EXPECT_EQ(report.ignored, 1);
  EXPECT_EQ(report.malformed, 0);
}

TEST(PopularityReader, MajesticHeaderPicksTheGlobalRankAndDomainColumns) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "majestic_million.csv",
                        "GlobalRank,TldRank,Domain,TLD,RefSubNets,RefIPs\n"
                        "1,1,google.com,com,1,2\n"
                        "2,1,wikipedia.org,org,1,2\n");
  ingest::IngestOptions options;
  options.day = 20'000;
  options.name = "majestic";
  ingest::IngestReport report;
  auto got = ReadPopularityList(path, options, report);
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->list, "majestic");
  EXPECT_EQ(got->day, 20'000);
  EXPECT_EQ(got->ranked, (Ranked{{"google.com", 1}, {"wikipedia.org", 2}}));
  EXPECT_EQ(report.ignored, 1);  // the header
}

TEST(PopularityReader, AHeaderWithoutRankAndDomainRefusesTheFile) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "x-2026-01-05.csv", "site_name,visits\nexample.com,3\n");
  ingest::IngestReport report;
  auto got = ReadPopularityList(path, {}, report);
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().context.find("x-2026-01-05.csv:1"), std::string::npos);
}

TEST(PopularityReader, MalformedLinesAreCountedWithTheirLineNumbers) {
  mamori::testing::TempDir dir;
  auto path = WriteFile(dir, "tranco-2026-01-05.csv",
                        "1,google.com\n"
                        "two,example.com\n"
                        "3\n"
                        "4,bad..name\n"
                        "0,zero.com\n"
                        "6,ok.net\n");
  ingest::IngestReport report;
  auto got = ReadPopularityList(path, {}, report);
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->ranked, (Ranked{{"google.com", 1}, {"ok.net", 6}}));
  EXPECT_EQ(report.malformed, 4);
  ASSERT_EQ(report.errors.size(), 4u);
  EXPECT_EQ(report.errors[0], path + ":2: rank 'two' is not a positive integer");
  EXPECT_NE(report.errors[1].find(":3: expected at least 2"), std::string::npos);
  EXPECT_NE(report.errors[2].find(":4: invalid domain 'bad..name'"), std::string::npos);
  EXPECT_NE(report.errors[3].find(":5: rank '0'"), std::string::npos);
}

TEST(PopularityReader, WithoutADayOrAListNameTheFileIsRefused) {
  mamori::testing::TempDir dir;
  ingest::IngestReport report;
  auto no_day = WriteFile(dir, "tranco.csv", "1,google.com\n");
  auto got = ReadPopularityList(no_day, {}, report);
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("no snapshot day"), std::string::npos);
  auto no_name = WriteFile(dir, "2026-01-05.csv", "1,google.com\n");
  got = ReadPopularityList(no_name, {}, report);
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("no list name"), std::string::npos);
}

}  // namespace
}  // namespace mamori::domain::lifecycle
