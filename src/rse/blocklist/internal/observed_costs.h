// Observed costs: what blocking each address our logs saw (and no source lists) would cost, as
// a sorted table with prefix sums, so the cost of everything inside one aggregate is two binary
// searches. The prefix forest charges it to aggregates on top of the flat per-address penalty:
// a /24 whose unlisted neighbours our hosts use all day is not worth one entry, however many
// listed addresses it holds (the CDN/cloud case of docs/simulator.md).
#pragma once

#include <utility>
#include <vector>

#include "core/address_range_set.h"

namespace mamori::rse::blocklist::internal {

class ObservedCosts {
 public:
  ObservedCosts() = default;
  // (address value, cost ≥ 0) of one family; any order, duplicates add up.
  explicit ObservedCosts(std::vector<std::pair<AddressValue, double>> costs);

  // Σ cost of the addresses in [first, last].
  double Within(AddressValue first, AddressValue last) const;
  bool empty() const { return keys_.empty(); }

 private:
  std::vector<AddressValue> keys_;  // ascending, unique
  std::vector<double> prefix_;      // prefix_[i] = Σ cost of keys_[0, i)
};

}  // namespace mamori::rse::blocklist::internal
