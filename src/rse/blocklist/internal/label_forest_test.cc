#include "rse/blocklist/internal/label_forest.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace mamori::rse::blocklist::internal {
namespace {

// The nearest listed ancestor by brute force: the first listed name equal to the text after one
// of `name`'s dots, trying the longest such suffix first.
int32_t NearestAncestor(const std::vector<std::string>& names, size_t i) {
  const std::string& name = names[i];
  for (size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
    std::string suffix = name.substr(dot + 1);
    for (size_t j = 0; j < names.size(); ++j) {
      if (names[j] == suffix) return static_cast<int32_t>(j);
    }
  }
  return -1;
}

TEST(LabelForestTest, ParentsAreTheNearestListedAncestorsAndPrecedeNothingBelowThem) {
  std::mt19937_64 rng(11);
  const char* labels[] = {"a", "b", "evil", "example", "test", ""};
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> names;
    int n = 1 + static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      std::string name = labels[rng() % 6];
      int depth = static_cast<int>(rng() % 4);
      for (int d = 0; d < depth; ++d) name = std::string(labels[rng() % 6]) + "." + name;
      names.push_back(name);  // duplicates and empty labels on purpose
    }
    std::vector<LabelItem> items;
    for (int i = 0; i < n; ++i) items.push_back({&names[i], i, 1.0 + i, "domain"});
    LabelForest forest = BuildLabelForest(items, true, nullptr, 0.1);
    ASSERT_EQ(forest.forest.parent.size(), names.size());
    std::vector<int32_t> position(names.size());
    for (size_t p = 0; p < forest.candidate.size(); ++p) position[forest.candidate[p]] = p;
    for (size_t i = 0; i < names.size(); ++i) {
      int32_t expected = NearestAncestor(names, i);
      int32_t parent = forest.forest.parent[position[i]];
      ASSERT_EQ(parent, expected >= 0 ? position[expected] : -1) << "'" << names[i] << "'";
      if (parent >= 0) EXPECT_GT(parent, position[i]) << "a child must precede its parent";
    }
  }
}

TEST(LabelForestTest, WithoutNestingEveryNameIsARoot) {
  std::vector<std::string> names = {"evil.example", "a.evil.example"};
  std::vector<LabelItem> items = {{&names[0], 0, 1, "domain"}, {&names[1], 1, 2, "domain"}};
  LabelForest forest = BuildLabelForest(items, false, nullptr, 0.1);
  EXPECT_EQ(forest.forest.parent, (std::vector<int32_t>{-1, -1}));
  EXPECT_EQ(forest.candidate, (std::vector<int32_t>{0, 1}));
}

}  // namespace
}  // namespace mamori::rse::blocklist::internal
