#include "domain/lifecycle/source_file.h"

#include <gtest/gtest.h>

namespace mamori::domain::lifecycle {
namespace {

TEST(SnapshotFileName, NameAndDayComeFromTheFileName) {
  auto p = ParseSnapshotFileName("/data/tranco-2026-01-05.csv");
  EXPECT_EQ(p.name, "tranco");
  ASSERT_TRUE(p.day);
  EXPECT_EQ(DayText(*p.day), "2026-01-05");

  p = ParseSnapshotFileName("com.zone");
  EXPECT_EQ(p.name, "com");
  EXPECT_FALSE(p.day);

  p = ParseSnapshotFileName("Umbrella_2025-12-31.csv.gz");
  EXPECT_EQ(p.name, "umbrella");
  EXPECT_EQ(DayText(*p.day), "2025-12-31");

  p = ParseSnapshotFileName("2026-02-30.csv");  // no such date
  EXPECT_FALSE(p.day);
}

TEST(SnapshotFileName, ParseDayRejectsWhatIsNotADate) {
  EXPECT_EQ(ParseDay("1970-01-02"), 1);
  EXPECT_FALSE(ParseDay("2026-1-05"));
  EXPECT_FALSE(ParseDay("2026-13-01"));
  EXPECT_FALSE(ParseDay("20260105"));
}

TEST(SnapshotFileName, SnapshotDayPrefersTheOptions) {
  ingest::IngestOptions options;
  EXPECT_FALSE(SnapshotDay("list.csv", options));
  EXPECT_EQ(*SnapshotDay("list-1970-01-03.csv", options), 2);
  options.day = 7;
  EXPECT_EQ(*SnapshotDay("list-1970-01-03.csv", options), 7);
}

TEST(SplitFields, TrimsSpacesAndQuotes) {
  auto f = SplitFields(R"( 1 ,"example.com", x)", ',');
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0], "1");
  EXPECT_EQ(f[1], "example.com");
  EXPECT_EQ(f[2], "x");
}

}  // namespace
}  // namespace mamori::domain::lifecycle
