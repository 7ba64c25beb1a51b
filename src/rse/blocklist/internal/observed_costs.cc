#include "rse/blocklist/internal/observed_costs.h"

#include <algorithm>

namespace mamori::rse::blocklist::internal {

ObservedCosts::ObservedCosts(std::vector<std::pair<AddressValue, double>> costs) {
  std::sort(costs.begin(), costs.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  keys_.reserve(costs.size());
  prefix_.reserve(costs.size() + 1);
  prefix_.push_back(0);
  for (const auto& [key, cost] : costs) {
    if (!keys_.empty() && keys_.back() == key) {
      prefix_.back() += cost;
    } else {
      keys_.push_back(key);
      prefix_.push_back(prefix_.back() + cost);
    }
  }
}

double ObservedCosts::Within(AddressValue first, AddressValue last) const {
  if (keys_.empty() || last < first) return 0;
  size_t lo = std::lower_bound(keys_.begin(), keys_.end(), first) - keys_.begin();
  size_t hi = std::upper_bound(keys_.begin(), keys_.end(), last) - keys_.begin();
  return prefix_[hi] - prefix_[lo];
}

}  // namespace mamori::rse::blocklist::internal
