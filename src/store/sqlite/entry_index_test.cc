#include "store/sqlite/entry_index.h"

#include <gtest/gtest.h>

#include <string>

namespace mamori::store::sqlite {
namespace {

ListingEntry E(IndicatorType type, std::string value) {
  return ListingEntry{Indicator{type, std::move(value)}, "", -1};
}

constexpr int kDomain = static_cast<int>(IndicatorType::kDomain);
constexpr int kIpv4 = static_cast<int>(IndicatorType::kIpv4);

TEST(EntryIndexTest, FindsFirstOfDuplicatesAndTellsTypesApart) {
  std::vector<ListingEntry> entries = {
      E(IndicatorType::kDomain, "a.example"), E(IndicatorType::kIpv4, "10.0.0.1"),
      E(IndicatorType::kDomain, "a.example"), E(IndicatorType::kDomain, "10.0.0.1"),
      E(IndicatorType::kIpv4, "10.0.0.1")};
  EntryIndex index(entries);
  EXPECT_EQ(index.Find(kDomain, "a.example"), 0u);
  EXPECT_EQ(index.Find(kIpv4, "10.0.0.1"), 1u);
  EXPECT_EQ(index.Find(kDomain, "10.0.0.1"), 3u);
  EXPECT_EQ(index.Find(kIpv4, "a.example"), EntryIndex::kNotFound);
  EXPECT_EQ(index.Find(kDomain, "b.example"), EntryIndex::kNotFound);
  EXPECT_EQ(index.Find(kDomain, ""), EntryIndex::kNotFound);
  EXPECT_FALSE(index.is_duplicate(0));
  EXPECT_FALSE(index.is_duplicate(1));
  EXPECT_TRUE(index.is_duplicate(2));
  EXPECT_FALSE(index.is_duplicate(3));
  EXPECT_TRUE(index.is_duplicate(4));
  EXPECT_EQ(index.duplicates(), 2u);
}

TEST(EntryIndexTest, EmptySnapshot) {
  std::vector<ListingEntry> entries;
  EntryIndex index(entries);
  EXPECT_EQ(index.Find(kDomain, "a.example"), EntryIndex::kNotFound);
  EXPECT_EQ(index.duplicates(), 0u);
}

TEST(EntryIndexTest, ManyEntries) {
  std::vector<ListingEntry> entries;
  for (int i = 0; i < 100000; ++i) {
    entries.push_back(E(IndicatorType::kDomain, "h" + std::to_string(i) + ".example"));
  }
  entries.push_back(E(IndicatorType::kDomain, "h77.example"));
  EntryIndex index(entries);
  for (int i = 0; i < 100000; i += 997) {
    EXPECT_EQ(index.Find(kDomain, "h" + std::to_string(i) + ".example"), static_cast<uint32_t>(i));
  }
  EXPECT_EQ(index.Find(kDomain, "h100000.example"), EntryIndex::kNotFound);
  EXPECT_EQ(index.duplicates(), 1u);
  EXPECT_TRUE(index.is_duplicate(100000));
}

}  // namespace
}  // namespace mamori::store::sqlite
