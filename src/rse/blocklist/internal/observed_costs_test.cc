#include "rse/blocklist/internal/observed_costs.h"

#include <gtest/gtest.h>

namespace mamori::rse::blocklist::internal {
namespace {

TEST(ObservedCostsTest, SumsTheCostsInsideARange) {
  ObservedCosts costs({{30, 1.5}, {10, 2.0}, {20, 4.0}, {20, 0.5}, {40, 8.0}});
  EXPECT_DOUBLE_EQ(costs.Within(0, 100), 16.0);
  EXPECT_DOUBLE_EQ(costs.Within(10, 20), 6.5);  // bounds inclusive; duplicates add up
  EXPECT_DOUBLE_EQ(costs.Within(11, 29), 4.5);
  EXPECT_DOUBLE_EQ(costs.Within(41, 1000), 0.0);
  EXPECT_DOUBLE_EQ(costs.Within(0, 9), 0.0);
  EXPECT_DOUBLE_EQ(costs.Within(40, 30), 0.0);  // empty range
  EXPECT_DOUBLE_EQ(ObservedCosts().Within(0, 100), 0.0);
  // IPv6-sized values.
  AddressValue big = AddressValue{1} << 100;
  ObservedCosts v6({{big, 1.0}, {big + 255, 2.0}, {big + 256, 4.0}});
  EXPECT_DOUBLE_EQ(v6.Within(big, big + 255), 3.0);
}

}  // namespace
}  // namespace mamori::rse::blocklist::internal
