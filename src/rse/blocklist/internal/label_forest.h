// Label forest: listed domain names, each under its nearest listed ancestor name
// ("a.evil.example" under "evil.example"). With wildcard support an entry for a name covers
// every listed name below it; without it every node is a root and the forest is a plain top-k.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rse/blocklist/internal/forest_knapsack.h"
#include "rse/blocklist/internal/previous_keys.h"

namespace mamori::rse::blocklist::internal {

struct LabelItem {
  const std::string* name = nullptr;  // normalized domain name (owned by the caller)
  int32_t candidate = -1;
  double own = 0;
  std::string_view type;  // indicator type name, for the churn key "type:name"
};

struct LabelForest {
  Forest forest;                   // deeper names first, so every child precedes its parent
  std::vector<int32_t> candidate;  // per node, same order as forest
  std::vector<double> subtree_own;
  std::vector<uint8_t> has_children;
};

// Entries of `previous` (may be null) get the churn bonus. Names below two equal listed names
// nest under the first of them.
LabelForest BuildLabelForest(const std::vector<LabelItem>& items, bool nest,
                             const PreviousKeys* previous, double churn_bonus);

}  // namespace mamori::rse::blocklist::internal
