#include "rse/blocklist/sim/random.h"

namespace mamori::rse::blocklist::sim {

AliasTable::AliasTable(const std::vector<double>& weights) {
  size_t n = weights.size();
  prob_.assign(n, 0.0);
  alias_.assign(n, 0);
  total_ = 0;
  for (double w : weights) total_ += w > 0 ? w : 0;
  if (n == 0 || total_ <= 0) {
    prob_.clear();
    alias_.clear();
    return;
  }
  std::vector<double> scaled(n);
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = (weights[i] > 0 ? weights[i] : 0) * static_cast<double>(n) / total_;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    uint32_t s = small.back();
    small.pop_back();
    uint32_t l = large.back();
    prob_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers have scaled weight 1 up to rounding.
  for (uint32_t l : large) prob_[l] = 1.0, alias_[l] = l;
  uint32_t first_positive = 0;
  while (first_positive < n && !(weights[first_positive] > 0)) ++first_positive;
  for (uint32_t s : small) {
    // A zero-weight leftover points at a positive outcome so it is never drawn itself.
    prob_[s] = weights[s] > 0 ? 1.0 : 0.0;
    alias_[s] = weights[s] > 0 ? s : first_positive;
  }
}

}  // namespace mamori::rse::blocklist::sim
