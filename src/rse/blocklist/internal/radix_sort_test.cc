#include "rse/blocklist/internal/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace mamori::rse::blocklist::internal {
namespace {

TEST(RadixSortTest, SortsByKeyAndKeepsTheOrderOfEqualKeys) {
  std::mt19937_64 rng(5);
  for (int bits : {8, 20, 40}) {
    struct Item {
      uint64_t key;
      int order;
    };
    std::vector<Item> items;
    for (int i = 0; i < 5000; ++i) {
      // Few distinct keys, so that many are equal; some bytes equal in every key.
      items.push_back({(rng() % 50) << (bits - 8), i});
    }
    std::vector<Item> expected = items;
    std::stable_sort(expected.begin(), expected.end(),
                     [](const Item& a, const Item& b) { return a.key < b.key; });
    std::vector<Item> scratch;
    RadixSortByKey(items, scratch, bits, [](const Item& item) { return item.key; });
    for (size_t i = 0; i < items.size(); ++i) {
      ASSERT_EQ(items[i].key, expected[i].key);
      ASSERT_EQ(items[i].order, expected[i].order);
    }
  }
}

}  // namespace
}  // namespace mamori::rse::blocklist::internal
