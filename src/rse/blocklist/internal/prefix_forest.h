// Prefix forest: listed addresses and CIDRs as one compressed binary trie per family, whose inner
// nodes are the smallest prefixes holding two or more listed items — the only aggregates worth
// considering, since a wider prefix covers the same listed items and blocks more addresses.
//
// Built in place, in one pass over the sorted items: a node's values are final when it leaves
// the build stack, which is also its post-order position (no intermediate node copies; the
// issue-4 benchmark's 3.4M IPv4 items make 6.2M nodes). IPv4 nodes keep 32-bit networks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/address_range_set.h"
#include "rse/blocklist/internal/forest_knapsack.h"
#include "rse/blocklist/internal/observed_costs.h"
#include "rse/blocklist/internal/previous_keys.h"

namespace mamori::rse::blocklist::internal {

// One listed item of a family whose addresses fit in `Word`: uint32_t (IPv4) or AddressValue.
template <typename Word>
struct PrefixItem {
  Word network = 0;
  uint8_t prefix = 0;
  bool split = false;      // a piece of a listed CIDR split around a protected address
  int32_t candidate = -1;  // index into SelectionInput::candidates
  double own = 0;          // the candidate's priority (its share, for split pieces)
};
using PrefixItemV4 = PrefixItem<uint32_t>;
using PrefixItemV6 = PrefixItem<AddressValue>;

struct AggregationRules {
  bool aggregate = true;
  int min_prefix = 16;
  double collateral_penalty = 0.05;
  double churn_bonus = 0.10;
  const PreviousKeys* previous = nullptr;
  const AddressRangeSet* protected_addresses = nullptr;
  const ObservedCosts* observed = nullptr;  // this family's; aggregates pay what they cover
};

// What each node of a PrefixForest is; IPv4 nodes come first.
struct PrefixNodes {
  std::vector<uint8_t> prefix;
  std::vector<uint8_t> generated;        // 1: entry text comes from the prefix (aggregates, pieces)
  std::vector<uint32_t> network_v4;      // for nodes [0, v4_nodes)
  std::vector<AddressValue> network_v6;  // for nodes [v4_nodes, size), at node − v4_nodes
  size_t v4_nodes = 0;

  int Bits(size_t node) const { return node < v4_nodes ? 32 : 128; }
  AddressValue Network(size_t node) const {
    return node < v4_nodes ? AddressValue{network_v4[node]} : network_v6[node - v4_nodes];
  }
};

struct PrefixForest {
  Forest forest;                    // post-order; decision values (emit value × churn bonus)
  std::vector<int32_t> candidate;   // per node: the listed item, or -1 for an aggregate
  std::vector<double> subtree_own;  // per node: own of every listed item in its subtree
  PrefixNodes nodes;
};

// Sorts `items` by (network, prefix), equal ones in their given order — which nests them, the
// later under the earlier — and appends their trie to `out`. IPv4 must be appended first.
void AppendPrefixTrie(std::vector<PrefixItemV4>& items, const AggregationRules& rules,
                      PrefixForest& out);
void AppendPrefixTrie(std::vector<PrefixItemV6>& items, const AggregationRules& rules,
                      PrefixForest& out);

// Text of a node: "1.2.3.4" for an IPv4 host, "1.2.3.0/24" otherwise (IPv6 alike).
std::string PrefixText(AddressValue network, int prefix, int bits);

}  // namespace mamori::rse::blocklist::internal
