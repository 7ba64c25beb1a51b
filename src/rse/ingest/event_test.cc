#include "rse/ingest/event.h"

#include <gtest/gtest.h>

namespace mamori::rse::ingest {
namespace {

TEST(EventTest, FieldNamesRoundTripAndAreUnique) {
  for (size_t i = 0; i < kFieldCount; ++i) {
    auto field = static_cast<Field>(i);
    ASSERT_FALSE(FieldName(field).empty()) << i;
    EXPECT_EQ(FieldFromName(FieldName(field)), field) << FieldName(field);
  }
  EXPECT_EQ(FieldFromName("source.ip"), Field::kSourceIp);
  EXPECT_FALSE(FieldFromName("source.nope"));
}

TEST(EventTest, SetGetClearAndAddresses) {
  Event e;
  e.Set(Field::kSourceIp, "[2001:db8::1]");
  e.Set(Field::kDestinationIp, "not-an-ip");
  e.Set(Field::kHttpResponseStatusCode, "401");
  ASSERT_TRUE(e.SourceAddress());
  EXPECT_EQ(e.SourceAddress()->ToString(), "2001:db8::1");
  EXPECT_FALSE(e.DestinationAddress());
  EXPECT_EQ(e.Fields().size(), 3u);
  OwnedEvent owned = OwnedEvent::From(e);
  EXPECT_EQ(owned.fields.size(), 3u);
  e.Clear();
  EXPECT_FALSE(e.Has(Field::kSourceIp));
  EXPECT_FALSE(e.SourceAddress());
}

TEST(ArenaTest, ViewsSurviveLaterStoresAndResetReuses) {
  Arena arena;
  std::string_view a = arena.Store("hello");
  std::string big(200000, 'x');  // larger than a block: gets its own
  std::string_view b = arena.Store(big);
  std::string_view c = arena.Store("world");
  EXPECT_EQ(a, "hello");
  EXPECT_EQ(b.size(), big.size());
  EXPECT_EQ(c, "world");
  arena.Reset();
  EXPECT_EQ(arena.Store("again"), "again");
}

TEST(CivilTimeTest, MatchesKnownInstants) {
  EXPECT_EQ(CivilToMicros(1970, 1, 1, 0, 0, 0), 0);
  // 2000-10-10T13:55:36-07:00 = 2000-10-10T20:55:36Z = 971211336.
  EXPECT_EQ(CivilToMicros(2000, 10, 10, 13, 55, 36, 0, -7 * 3600), 971211336LL * 1000000);
  EXPECT_EQ(CivilToMicros(2024, 2, 29, 23, 59, 59, 5), 1709251199LL * 1000000 + 5);
  EXPECT_EQ(CivilToMicros(2024, 13, 1, 0, 0, 0), 0);
}

}  // namespace
}  // namespace mamori::rse::ingest
