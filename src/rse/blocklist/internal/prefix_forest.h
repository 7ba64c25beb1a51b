// Prefix forest: listed addresses and CIDRs of one family as a compressed binary trie whose inner
// nodes are the smallest prefixes holding two or more listed items — the only aggregates worth
// considering, since a wider prefix covers the same listed items and blocks more addresses.
#pragma once

#include <cstdint>
#include <unordered_set>
#include <string>
#include <vector>

#include "core/address_range_set.h"
#include "rse/blocklist/internal/forest_knapsack.h"

namespace mamori::rse::blocklist::internal {

struct PrefixItem {
  AddressValue network = 0;
  int prefix = 32;
  int32_t candidate = -1;  // index into SelectionInput::candidates
  double own = 0;          // the candidate's priority (its share, for split CIDRs)
};

struct PrefixNode {
  AddressValue network = 0;
  int prefix = 0;
  int32_t candidate = -1;  // -1: an aggregate made here, not a listed item
  double own = 0;
  double subtree_own = 0;  // own of every listed item in the subtree
  double listed_addresses = 0;  // addresses covered by listed items in the subtree
  double emit_value = kCannotEmit;  // real value of emitting this node (no churn bonus)
};

struct AggregationRules {
  bool aggregate = true;
  int min_prefix = 16;
  double collateral_penalty = 0.05;
  double churn_bonus = 0.10;
  const std::unordered_set<std::string>* previous = nullptr;  // "cidr:…"/"ipv4:…" keys
  const AddressRangeSet* protected_addresses = nullptr;
};

struct PrefixForest {
  Forest forest;                  // decision values (emit_value × churn bonus)
  std::vector<PrefixNode> nodes;  // same order as forest (post-order)
};

// `bits` is 32 or 128. Equal (network, prefix) items nest, the later under the earlier.
PrefixForest BuildPrefixForest(std::vector<PrefixItem> items, int bits,
                               const AggregationRules& rules);

// Text of a node: "1.2.3.4" for an IPv4 host, "1.2.3.0/24" otherwise (IPv6 alike).
std::string PrefixText(AddressValue network, int prefix, int bits);

}  // namespace mamori::rse::blocklist::internal
