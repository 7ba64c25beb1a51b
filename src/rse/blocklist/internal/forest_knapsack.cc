#include "rse/blocklist/internal/forest_knapsack.h"

#include <algorithm>
#include <cmath>

#include "rse/blocklist/internal/huge_vector.h"

namespace mamori::rse::blocklist::internal {
namespace {

struct Pass {
  int64_t entries = 0;
  double value = 0;
};

// One evaluation of best(i) at price `mu`. `decide` (optional) receives, per node, whether
// emitting beats its children. Ties go to the children.
class Evaluator {
 public:
  explicit Evaluator(const Forest& forest) : forest_(forest) {
    AssignHuge(children_, forest.parent.size());
  }

  // Each node's child sums are read once, after all its children (post-order), and cleared as
  // they are read, so a pass needs no separate clearing sweep over the array. (Keeping the sums
  // of depth-first forests on a stack instead was measured 2.5x slower: the unpredictable child
  // counts cost more than the parent writes, which mostly hit nearby lines.)
  Pass Run(double mu, std::vector<uint8_t>* decide) {
    Pass total;
    const size_t n = forest_.parent.size();
    for (size_t i = 0; i < n; ++i) {
      double emit = forest_.value[i] - mu;
      Sum kids = children_[i];
      children_[i] = Sum{};
      bool take = emit > kids.value;
      double best = take ? emit : kids.value;
      int64_t count = take ? 1 : kids.count;
      if (decide) (*decide)[i] = take;
      int32_t p = forest_.parent[i];
      if (p >= 0) {
        children_[p].value += best;
        children_[p].count += count;
      } else {
        total.value += best;
        total.entries += count;
      }
    }
    return total;
  }

 private:
  // Value and count side by side: one cache line per parent update instead of two.
  struct Sum {
    double value = 0;
    int64_t count = 0;
  };
  const Forest& forest_;
  std::vector<Sum> children_;
};

// The next price to try in (lo, hi), where K(lo) = k_lo > capacity ≥ k_hi = K(hi).
// Far apart, the bracket is bisected on a log scale (prices span many decades: 1e-9 to the
// largest aggregate's value); close, K is interpolated linearly, which usually lands on K =
// capacity soon: 10–13 passes over the benchmark's IPv4 forest where bisection took 18–32.
double NextPrice(double lo, int64_t k_lo, double hi, int64_t k_hi, int64_t capacity, bool bisect) {
  if (hi > 2 * lo) return std::sqrt(lo * hi);
  if (bisect) return 0.5 * (lo + hi);
  double t = (static_cast<double>(k_lo - capacity) - 0.5) / static_cast<double>(k_lo - k_hi);
  t = std::clamp(t, 1.0 / 64, 63.0 / 64);
  return lo + t * (hi - lo);
}

// The smallest price (to a relative 1e-9) whose solution fits `capacity`, or one whose
// solution has exactly `capacity` entries. K(μ) is non-increasing.
double FindPrice(Evaluator& evaluator, int64_t capacity, double lo, int64_t k_lo, double hi) {
  int64_t k_hi = 0;  // hi is above every node's value: nothing is worth emitting
  bool bisect = false;
  for (int iteration = 0; iteration < 60 && hi - lo > 1e-9 * hi; ++iteration) {
    double width = hi - lo;
    double mid = NextPrice(lo, k_lo, hi, k_hi, capacity, bisect);
    Pass pass = evaluator.Run(mid, nullptr);
    if (pass.entries <= capacity) {
      hi = mid;
      k_hi = pass.entries;
      if (pass.entries == capacity) break;
    } else {
      lo = mid;
      k_lo = pass.entries;
    }
    // Interpolation that fails to halve the bracket (K is far from linear there) is followed
    // by a bisection, so the search is never slower than about twice bisection.
    bisect = !bisect && hi - lo > 0.5 * width;
  }
  return hi;
}

// Greedy fill of what the price left over: free nodes (nothing above or below them chosen), best
// value first. A heap, not a sort: the fill takes a few of up to millions of free nodes.
void FillGreedily(const Forest& forest, const std::vector<uint8_t>& covered,
                  std::vector<uint8_t>& below, int64_t capacity, ForestSolution& solution) {
  const size_t n = forest.parent.size();
  int64_t remaining = capacity - solution.entries;
  if (remaining <= 0) return;
  auto is_free = [&](size_t i) {
    return !solution.emitted[i] && !covered[i] && !below[i] && forest.value[i] > 0;
  };
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) count += is_free(i);
  std::vector<int32_t> free_nodes;
  ReserveHuge(free_nodes, count);
  for (size_t i = 0; i < n; ++i) {
    if (is_free(i)) free_nodes.push_back(static_cast<int32_t>(i));
  }
  auto worse = [&](int32_t a, int32_t b) {  // heap order: the best node on top
    if (forest.value[a] != forest.value[b]) return forest.value[a] < forest.value[b];
    return a > b;
  };
  std::make_heap(free_nodes.begin(), free_nodes.end(), worse);
  while (remaining > 0 && !free_nodes.empty()) {
    std::pop_heap(free_nodes.begin(), free_nodes.end(), worse);
    int32_t i = free_nodes.back();
    free_nodes.pop_back();
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
    ++solution.entries;
    --remaining;
    for (int32_t a = forest.parent[i]; a >= 0 && !below[a]; a = forest.parent[a]) below[a] = 1;
  }
}

}  // namespace

ForestSolution SolveForest(const Forest& forest, int64_t capacity) {
  const size_t n = forest.parent.size();
  ForestSolution solution;
  AssignHuge<uint8_t>(solution.emitted, n, 0);
  if (n == 0 || capacity <= 0) return solution;

  Evaluator evaluator(forest);
  double max_value = 0;
  for (double v : forest.value) max_value = std::max(max_value, v);
  // A tiny price makes "same value with fewer entries" win even when nothing is scarce.
  double lo = 1e-9, hi = max_value + 1.0;
  Pass at_lo = evaluator.Run(lo, nullptr);
  double mu = at_lo.entries > capacity ? FindPrice(evaluator, capacity, lo, at_lo.entries, hi) : lo;
  std::vector<uint8_t> decide = HugeVector<uint8_t>(n);
  evaluator.Run(mu, &decide);

  // Top-down: a node is an entry when it prefers emitting and no ancestor is an entry.
  std::vector<uint8_t> covered = HugeVector<uint8_t>(n);  // an ancestor is emitted
  for (size_t r = n; r-- > 0;) {
    int32_t p = forest.parent[r];
    covered[r] = p >= 0 && (covered[p] || solution.emitted[p]);
    solution.emitted[r] = decide[r] && !covered[r];
  }
  // Some descendant is emitted (or added by the fill).
  std::vector<uint8_t> below = HugeVector<uint8_t>(n);
  for (size_t i = 0; i < n; ++i) {
    int32_t p = forest.parent[i];
    if (p >= 0 && (below[i] || solution.emitted[i])) below[p] = 1;
  }
  for (size_t i = 0; i < n; ++i) {
    if (solution.emitted[i]) {
      ++solution.entries;
      solution.value += forest.value[i];
    }
  }
  FillGreedily(forest, covered, below, capacity, solution);
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
