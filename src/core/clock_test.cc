#include "core/clock.h"

#include <gtest/gtest.h>

#include <chrono>

namespace mamori {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(FakeClockTest, StartsAtGivenTimeAndMovesOnlyByHand) {
  FakeClock clock(1'000);
  EXPECT_EQ(clock.Now(), 1'000);
  EXPECT_EQ(clock.Now(), 1'000);
  clock.Advance(seconds(60));
  EXPECT_EQ(clock.Now(), 1'060);
  clock.Set(5);
  EXPECT_EQ(clock.Now(), 5);
}

TEST(FakeClockTest, DefaultStart) { EXPECT_EQ(FakeClock().Now(), 1'700'000'000); }

TEST(FakeClockTest, SleepForAdvancesWholeSeconds) {
  FakeClock clock(100);
  Clock& as_clock = clock;  // used through the interface, as production code does
  as_clock.SleepFor(milliseconds(2'500));
  EXPECT_EQ(clock.Now(), 102);
  as_clock.SleepFor(milliseconds(999));
  EXPECT_EQ(clock.Now(), 102);
}

TEST(SystemClockTest, NowIsPlausible) {
  // 2023-11-14 .. 2100-01-01: catches unit mistakes (milliseconds, nanoseconds).
  UnixSeconds now = SystemClock::Instance().Now();
  EXPECT_GT(now, 1'700'000'000);
  EXPECT_LT(now, 4'102'444'800);
  EXPECT_EQ(&SystemClock::Instance(), &SystemClock::Instance());
}

TEST(FormatIso8601Test, Utc) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(1'700'000'000), "2023-11-14T22:13:20Z");
  EXPECT_EQ(FormatIso8601(1'795'995'372), "2026-11-29T23:36:12Z");
  EXPECT_EQ(FormatIso8601(1'709'164'800), "2024-02-29T00:00:00Z");
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59Z");
}

TEST(ParseTimestampTest, UtcWithZ) {
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12Z"), 1'795'995'372);
  EXPECT_EQ(ParseTimestamp("2026-11-29t23:36:12z"), 1'795'995'372);
  EXPECT_EQ(ParseTimestamp("2026-11-29 23:36:12Z"), 1'795'995'372);
  // No zone designator is read as UTC.
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12"), 1'795'995'372);
}

TEST(ParseTimestampTest, Offsets) {
  // 23:36:12 at +02:00 is 21:36:12 UTC; at -05:30 it is 05:06:12 UTC the next day.
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12+02:00"), 1'795'988'172);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12+0200"), 1'795'988'172);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12+02"), 1'795'988'172);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12-05:30"), 1'796'015'172);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12+00:00"), 1'795'995'372);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12.250+02:00"), 1'795'988'172);
}

TEST(ParseTimestampTest, FractionsAreTruncated) {
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12.999Z"), 1'795'995'372);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12.123456789Z"), 1'795'995'372);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12.5"), 1'795'995'372);
}

TEST(ParseTimestampTest, BareDateIsMidnightUtc) {
  EXPECT_EQ(ParseTimestamp("2026-11-29"), 1'795'910'400);
  EXPECT_EQ(ParseTimestamp("2024-02-29"), 1'709'164'800);
  EXPECT_EQ(ParseTimestamp("1970-01-01"), 0);
}

TEST(ParseTimestampTest, UnixSeconds) {
  EXPECT_EQ(ParseTimestamp("1700000000"), 1'700'000'000);
  EXPECT_EQ(ParseTimestamp("0"), 0);
  // Quotes and spaces around the value, as CSV feeds write them.
  EXPECT_EQ(ParseTimestamp(" \"1700000000\" "), 1'700'000'000);
  EXPECT_EQ(ParseTimestamp("\"2026-11-29T23:36:12Z\""), 1'795'995'372);
  EXPECT_EQ(ParseTimestamp("99999999999999999999999"), -1);  // overflows int64
}

TEST(ParseTimestampTest, RoundTripsFormat) {
  for (UnixSeconds t : {0LL, 1'700'000'000LL, 1'795'995'372LL, 4'102'444'799LL}) {
    EXPECT_EQ(ParseTimestamp(FormatIso8601(t)), t) << t;
  }
}

TEST(ParseTimestampTest, Garbage) {
  EXPECT_EQ(ParseTimestamp(""), -1);
  EXPECT_EQ(ParseTimestamp("   "), -1);
  EXPECT_EQ(ParseTimestamp("yesterday"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11"), -1);
  EXPECT_EQ(ParseTimestamp("2026/11/29"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-29T"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12Zjunk"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-29X23:36:12Z"), -1);
  EXPECT_EQ(ParseTimestamp("-1700000000"), -1);
  EXPECT_EQ(ParseTimestamp("1.5"), -1);
}

TEST(ParseTimestampTest, OutOfRangeFieldsAreRejected) {
  EXPECT_EQ(ParseTimestamp("2026-13-01"), -1);
  EXPECT_EQ(ParseTimestamp("2026-00-10"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-00"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-32"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-29T24:00:00Z"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:60:00Z"), -1);
  // Days the month does not have must not roll over into the next month.
  EXPECT_EQ(ParseTimestamp("2026-02-30"), -1);
  EXPECT_EQ(ParseTimestamp("2026-04-31"), -1);
  EXPECT_EQ(ParseTimestamp("2025-02-29"), -1);
  EXPECT_EQ(ParseTimestamp("1900-02-29"), -1);
  EXPECT_EQ(ParseTimestamp("2000-02-29"), 951'782'400);
}

TEST(ParseTimestampTest, MalformedFractionsAndOffsets) {
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12.Z"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12+02:00junk"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12+02:"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12+2"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12+99:00"), -1);
  EXPECT_EQ(ParseTimestamp("2026-11-29T23:36:12+02:75"), -1);
  // Signs inside fields ("-1" as an hour) are not numbers here.
  EXPECT_EQ(ParseTimestamp("2026-11-29T-1:36:12Z"), -1);
  EXPECT_EQ(ParseTimestamp("2026--1-29"), -1);
}

}  // namespace
}  // namespace mamori
