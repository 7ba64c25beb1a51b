#include "rse/blocklist/internal/forest_knapsack.h"

#include <algorithm>
#include <numeric>

#include "core/huge_pages.h"

namespace mamori::rse::blocklist::internal {
namespace {

struct Pass {
  int64_t entries = 0;
  double value = 0;
};

// One evaluation of best(i) at price `mu`. `decide` (optional) receives, per node, whether
// emitting beats its children. Ties go to the children side only when that adds no entry, so
// the search converges on the fewest entries for a given value.
class Evaluator {
 public:
  explicit Evaluator(const Forest& forest) : forest_(forest) {
    ReserveHuge(child_value_, forest.parent.size());
    ReserveHuge(child_count_, forest.parent.size());
    child_value_.assign(forest.parent.size(), 0.0);
    child_count_.assign(forest.parent.size(), 0);
  }

  // Each node's child sums are read once, after all its children (post-order), and cleared as
  // they are read, so a pass needs no separate clearing sweep over the arrays.
  Pass Run(double mu, std::vector<uint8_t>* decide) {
    Pass total;
    const size_t n = forest_.parent.size();
    for (size_t i = 0; i < n; ++i) {
      double emit = forest_.value[i] - mu;
      double kids = child_value_[i];
      int64_t kid_count = child_count_[i];
      child_value_[i] = 0;
      child_count_[i] = 0;
      bool take = emit > kids;
      double best = take ? emit : kids;
      int64_t count = take ? 1 : kid_count;
      if (decide) (*decide)[i] = take;
      int32_t p = forest_.parent[i];
      if (p >= 0) {
        child_value_[p] += best;
        child_count_[p] += count;
      } else {
        total.value += best;
        total.entries += count;
      }
    }
    return total;
  }

 private:
  const Forest& forest_;
  std::vector<double> child_value_;
  std::vector<int64_t> child_count_;
};

}  // namespace

ForestSolution SolveForest(const Forest& forest, int64_t capacity) {
  const size_t n = forest.parent.size();
  ForestSolution solution;
  solution.emitted.assign(n, 0);
  if (n == 0 || capacity <= 0) return solution;

  Evaluator evaluator(forest);
  double max_value = 0;
  for (double v : forest.value) max_value = std::max(max_value, v);
  // A tiny price makes "same value with fewer entries" win even when nothing is scarce.
  double lo = 1e-9, hi = max_value + 1.0;
  Pass at_lo = evaluator.Run(lo, nullptr);
  double mu = lo;
  if (at_lo.entries > capacity) {
    // K(μ) is non-increasing; find the smallest price whose solution fits. 50 halvings take
    // the price to within 2^-50 of the range, below any difference that changes a decision
    // between priorities written with a few decimals.
    for (int iteration = 0; iteration < 50 && hi - lo > 1e-9 * hi; ++iteration) {
      double mid = 0.5 * (lo + hi);
      Pass pass = evaluator.Run(mid, nullptr);
      if (pass.entries <= capacity) {
        hi = mid;
        if (pass.entries == capacity) break;
      } else {
        lo = mid;
      }
    }
    mu = hi;
  }
  std::vector<uint8_t> decide(n);
  evaluator.Run(mu, &decide);

  // Top-down: a node is an entry when it prefers emitting and no ancestor is an entry.
  std::vector<uint8_t> covered(n, 0);  // an ancestor is emitted
  for (size_t r = n; r-- > 0;) {
    int32_t p = forest.parent[r];
    covered[r] = p >= 0 && (covered[p] || solution.emitted[p]);
    solution.emitted[r] = decide[r] && !covered[r];
  }
  std::vector<uint8_t> below(n, 0);  // some descendant is emitted (or added by the fill)
  for (size_t i = 0; i < n; ++i) {
    int32_t p = forest.parent[i];
    if (p >= 0 && (below[i] || solution.emitted[i])) below[p] = 1;
  }

  int64_t used = 0;
  for (size_t i = 0; i < n; ++i) {
    if (solution.emitted[i]) {
      ++used;
      solution.value += forest.value[i];
    }
  }
  // Greedy fill of what the price left over: free nodes (nothing above or below them chosen),
  // best value first.
  int64_t remaining = capacity - used;
  if (remaining > 0) {
    std::vector<int32_t> free_nodes;
    for (size_t i = 0; i < n; ++i) {
      if (!solution.emitted[i] && !covered[i] && !below[i] && forest.value[i] > 0) {
        free_nodes.push_back(static_cast<int32_t>(i));
      }
    }
    std::sort(free_nodes.begin(), free_nodes.end(), [&](int32_t a, int32_t b) {
      if (forest.value[a] != forest.value[b]) return forest.value[a] > forest.value[b];
      return a < b;
    });
    for (int32_t i : free_nodes) {
      if (remaining == 0) break;
      if (below[i]) continue;
      bool blocked = false;
      for (int32_t a = forest.parent[i]; a >= 0; a = forest.parent[a]) {
        if (solution.emitted[a]) {
          blocked = true;
          break;
        }
      }
      if (blocked) continue;
      solution.emitted[i] = 1;
      solution.value += forest.value[i];
      ++used;
      --remaining;
      for (int32_t a = forest.parent[i]; a >= 0 && !below[a]; a = forest.parent[a]) below[a] = 1;
    }
  }
  solution.entries = used;
  return solution;
}

double SolveForestExact(const Forest& forest, int64_t capacity) {
  const size_t n = forest.parent.size();
  const size_t k = static_cast<size_t>(std::max<int64_t>(0, capacity));
  // children[k] best value of the children seen so far with at most k entries.
  std::vector<std::vector<double>> children(n, std::vector<double>(k + 1, 0.0));
  std::vector<double> roots(k + 1, 0.0);
  auto merge = [&](std::vector<double>& into, const std::vector<double>& add) {
    std::vector<double> out(k + 1, 0.0);
    for (size_t a = 0; a <= k; ++a)
      for (size_t b = 0; a + b <= k; ++b) out[a + b] = std::max(out[a + b], into[a] + add[b]);
    for (size_t i = 1; i <= k; ++i) out[i] = std::max(out[i], out[i - 1]);
    into = std::move(out);
  };
  for (size_t i = 0; i < n; ++i) {
    std::vector<double> best = children[i];
    for (size_t j = 1; j <= k; ++j) best[j] = std::max(best[j], forest.value[i]);
    if (forest.parent[i] >= 0) {
      merge(children[forest.parent[i]], best);
    } else {
      merge(roots, best);
    }
  }
  return roots[k];
}

}  // namespace mamori::rse::blocklist::internal
