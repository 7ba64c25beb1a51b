#include "domain/typosquat/skeleton.h"

#include <gtest/gtest.h>

#include "domain/typosquat/distance.h"

namespace mamori::domain {
namespace {

TEST(SkeletonTest, FoldsLookalikes) {
  EXPECT_EQ(ConfusableSkeleton("paypal"), "paypal");
  EXPECT_EQ(ConfusableSkeleton("pаypаl"), "paypal");  // Cyrillic а
  EXPECT_EQ(ConfusableSkeleton("pαypal"), "paypal");  // Greek α
  EXPECT_EQ(ConfusableSkeleton("pạypal"), "paypal");  // a with dot below
  EXPECT_EQ(ConfusableSkeleton("paypa1"), "paypal");  // 1 -> l
  EXPECT_EQ(ConfusableSkeleton("paypai"), "paypal");  // i -> l
  EXPECT_EQ(ConfusableSkeleton("g00gle"), "google");
  EXPECT_EQ(ConfusableSkeleton("rnicrosoft"), ConfusableSkeleton("microsoft"));
  EXPECT_EQ(ConfusableSkeleton("vvikipedia"), ConfusableSkeleton("wikipedia"));
  EXPECT_EQ(ConfusableSkeleton("pay-pal"), "paypal");
}

TEST(SkeletonTest, UnknownCharactersStayDifferent) {
  EXPECT_NE(ConfusableSkeleton("pay☃al"), "paypal");
}

TEST(DistanceTest, BoundedDamerauLevenshtein) {
  EXPECT_EQ(BoundedDamerauLevenshtein("paypal", "paypal", 2), 0);
  EXPECT_EQ(BoundedDamerauLevenshtein("paypal", "papyal", 2), 1);  // swap
  EXPECT_EQ(BoundedDamerauLevenshtein("paypal", "paypl", 2), 1);
  EXPECT_EQ(BoundedDamerauLevenshtein("paypal", "pyapl", 2), 2);
  EXPECT_EQ(BoundedDamerauLevenshtein("paypal", "amazon", 2), 3);  // bound + 1
  EXPECT_EQ(BoundedDamerauLevenshtein("", "ab", 2), 2);
  EXPECT_EQ(BoundedDamerauLevenshtein("a", "abcd", 2), 3);
}

}  // namespace
}  // namespace mamori::domain
