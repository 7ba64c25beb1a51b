// The budgeted "emit a node or let its children decide" problem on a forest, solved by
// Lagrangian relaxation. Used for CIDR aggregation (prefix trees) and wildcard domains (label
// trees).
//
// Each node may be emitted as one entry worth value[i] (−∞: cannot be emitted), which covers
// its whole subtree; otherwise its children are solved independently. For a price μ per entry,
//   best(i) = max(value[i] − μ, Σ_children best(c))
// is one linear pass in post-order, and its solution is OPTIMAL for the number of entries it
// uses (a standard Lagrangian argument: any solution with as many entries and more value would
// beat it at price μ too). We search μ for the largest solution that fits the budget, then fill
// the few entries left greedily with uncovered nodes. The exact tree knapsack is a max-plus
// convolution per node, O(n·k) at best — hours for 5M nodes and k = 300,000 — while this is
// ~10–20 passes of O(n); selector_test.cc checks it against the exact DP on small trees.
#pragma once

#include <cstdint>
#include <vector>

namespace mamori::rse::blocklist::internal {

inline constexpr double kCannotEmit = -1e300;

struct Forest {
  // Nodes in post-order: every child comes before its parent. parent[i] = -1 for roots.
  std::vector<int32_t> parent;
  // What emitting the node is worth (decision value, may include bonuses).
  std::vector<double> value;
};

struct ForestSolution {
  std::vector<uint8_t> emitted;  // 1 for nodes chosen as entries; never one under another
  int64_t entries = 0;
  double value = 0;
};

ForestSolution SolveForest(const Forest& forest, int64_t capacity);

// Exact solution by max-plus DP (O(n·k²)); for tests on small forests only.
double SolveForestExact(const Forest& forest, int64_t capacity);

}  // namespace mamori::rse::blocklist::internal
