// Label forest: listed domain names, each under its nearest listed ancestor name
// ("a.evil.example" under "evil.example"). With wildcard support an entry for a name covers
// every listed name below it; without it every node is a root and the forest is a plain top-k.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "rse/blocklist/internal/forest_knapsack.h"

namespace mamori::rse::blocklist::internal {

struct LabelItem {
  const std::string* name = nullptr;  // normalized domain name (owned by the caller)
  int32_t candidate = -1;
  double own = 0;
  std::string_view type;  // indicator type name, for the churn key "type:name"
};

struct LabelForest {
  Forest forest;
  std::vector<int32_t> candidate;  // per node, same order as forest
  std::vector<double> subtree_own;
  std::vector<uint8_t> has_children;
};

// `previous` holds the previous build's entry keys ("domain:name"), which get the churn bonus.
LabelForest BuildLabelForest(const std::vector<LabelItem>& items, bool nest,
                             const std::unordered_set<std::string>* previous, double churn_bonus);

}  // namespace mamori::rse::blocklist::internal
