#include "rse/blocklist/sim/baselines.h"

#include <algorithm>
#include <limits>

#include "core/ip.h"

namespace mamori::rse::blocklist::sim {

std::vector<uint32_t> UnionItems(const World& world) {
  std::vector<uint32_t> items;
  for (const Listing& l : world.listings) {
    if (l.OpenAt(world.build_day) && (items.empty() || items.back() != l.item)) {
      items.push_back(l.item);
    }
  }
  return items;
}

std::vector<float> FirstListed(const World& world) {
  std::vector<float> first(world.items.size(), std::numeric_limits<float>::infinity());
  for (const Listing& l : world.listings) first[l.item] = std::min(first[l.item], l.first_listed);
  return first;
}

std::vector<uint32_t> NewestFirst(const std::vector<uint32_t>& union_items,
                                  const std::vector<float>& first_listed, int64_t budget) {
  std::vector<uint32_t> order = union_items;
  auto newer = [&](uint32_t a, uint32_t b) {
    if (first_listed[a] != first_listed[b]) return first_listed[a] > first_listed[b];
    return a < b;
  };
  auto k = static_cast<size_t>(std::clamp<int64_t>(budget, 0, static_cast<int64_t>(order.size())));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    newer);
  order.resize(k);
  std::sort(order.begin(), order.end());
  return order;
}

std::vector<uint32_t> FeedNewest(const World& world, int feed, int64_t budget) {
  std::vector<std::pair<float, uint32_t>> open;
  for (const Listing& l : world.listings) {
    if (l.feed == feed && l.OpenAt(world.build_day)) open.emplace_back(l.first_listed, l.item);
  }
  auto newer = [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return a.second < b.second;
  };
  auto k = static_cast<size_t>(std::clamp<int64_t>(budget, 0, static_cast<int64_t>(open.size())));
  std::partial_sort(open.begin(), open.begin() + static_cast<std::ptrdiff_t>(k), open.end(), newer);
  std::vector<uint32_t> items;
  items.reserve(k);
  for (size_t i = 0; i < k; ++i) items.push_back(open[i].second);
  std::sort(items.begin(), items.end());
  return items;
}

std::vector<uint32_t> Oracle(const World& world, const std::vector<uint32_t>& union_items,
                             int64_t budget) {
  std::vector<uint32_t> order;
  for (uint32_t i : union_items) {
    if (world.items[i].malicious() && world.eval_hits[i] > 0) order.push_back(i);
  }
  auto more = [&](uint32_t a, uint32_t b) {
    if (world.eval_hits[a] != world.eval_hits[b]) return world.eval_hits[a] > world.eval_hits[b];
    return a < b;
  };
  auto k = static_cast<size_t>(std::clamp<int64_t>(budget, 0, static_cast<int64_t>(order.size())));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    more);
  order.resize(k);
  std::sort(order.begin(), order.end());
  return order;
}

std::vector<uint32_t> MostSighted(const World& world, const std::vector<uint32_t>& union_items,
                                  const std::vector<float>& first_listed, int64_t budget) {
  std::vector<uint32_t> order = union_items;
  auto before = [&](uint32_t a, uint32_t b) {
    if (world.local_hits[a] != world.local_hits[b]) return world.local_hits[a] > world.local_hits[b];
    if (first_listed[a] != first_listed[b]) return first_listed[a] > first_listed[b];
    return a < b;
  };
  auto k = static_cast<size_t>(std::clamp<int64_t>(budget, 0, static_cast<int64_t>(order.size())));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    before);
  order.resize(k);
  std::sort(order.begin(), order.end());
  return order;
}

StrategyResult EvaluateItems(const World& world, const std::vector<uint32_t>& items,
                             std::string strategy) {
  StrategyResult r;
  r.strategy = std::move(strategy);
  r.entries = static_cast<int64_t>(items.size());
  r.malicious_blocked_by_category.assign(world.categories.size(), 0);
  double weighted = 0;
  for (uint32_t i : items) {
    const Item& item = world.items[i];
    int64_t hits = world.eval_hits[i];
    if (item.malicious()) {
      weighted += static_cast<double>(hits) * world.severity[item.category];
      r.malicious_blocked += hits;
      r.malicious_blocked_by_category[item.category] += hits;
    } else {
      r.benign_blocked += hits;
    }
  }
  r.malicious_share = world.malicious_attempts > 0
                          ? static_cast<double>(r.malicious_blocked) / world.malicious_attempts
                          : 0;
  r.weighted_share = world.weighted_attempts > 0 ? weighted / world.weighted_attempts : 0;
  r.benign_share =
      world.benign_attempts > 0 ? static_cast<double>(r.benign_blocked) / world.benign_attempts : 0;
  return r;
}

StrategyResult BestFeed(const World& world, int64_t budget) {
  StrategyResult best;
  bool have = false;
  for (size_t f = 0; f < world.feeds.size(); ++f) {
    StrategyResult r =
        EvaluateItems(world, FeedNewest(world, static_cast<int>(f), budget), "best-feed");
    r.detail = world.feeds[f].name;
    if (!have || r.malicious_blocked > best.malicious_blocked ||
        (r.malicious_blocked == best.malicious_blocked && r.benign_blocked < best.benign_blocked)) {
      best = std::move(r);
      have = true;
    }
  }
  if (!have) best = EvaluateItems(world, {}, "best-feed");
  return best;
}

EntryIndex::EntryIndex(const World& world) : world_(world) {
  if (world.IsIpv4()) {
    by_address_.reserve(world.items.size());
    for (size_t i = 0; i < world.items.size(); ++i) {
      by_address_.emplace_back(world.items[i].address, static_cast<uint32_t>(i));
    }
    std::sort(by_address_.begin(), by_address_.end());
  } else {
    for (uint32_t i : UnionItems(world)) by_name_.emplace_back(world.ItemValue(i), i);
    std::sort(by_name_.begin(), by_name_.end());
  }
}

std::vector<uint32_t> EntryIndex::Covered(const std::vector<BlocklistEntry>& entries) const {
  std::vector<uint32_t> covered;
  auto add_range = [&](uint32_t first, uint32_t last) {
    auto it = std::lower_bound(by_address_.begin(), by_address_.end(),
                               std::make_pair(first, uint32_t{0}));
    for (; it != by_address_.end() && it->first <= last; ++it) covered.push_back(it->second);
  };
  for (const BlocklistEntry& e : entries) {
    const Indicator& ind = e.indicator;
    if (ind.type == IndicatorType::kIpv4 || ind.type == IndicatorType::kCidr) {
      auto parsed = Cidr::Parse(ind.value);
      if (!parsed || !parsed->cidr.network().is_v4()) continue;
      uint32_t first = parsed->cidr.network().v4();
      int prefix = parsed->cidr.prefix();
      uint32_t last = prefix >= 32 ? first : first | (0xFFFFFFFFu >> prefix);
      add_range(first, last);
    } else if (ind.type == IndicatorType::kDomain) {
      auto it = std::lower_bound(by_name_.begin(), by_name_.end(),
                                 std::make_pair(ind.value, uint32_t{0}));
      if (it != by_name_.end() && it->first == ind.value) covered.push_back(it->second);
      if (e.wildcard) {
        // Names below it: linear over listed names (the model has no subdomains; rare path).
        std::string suffix = "." + ind.value;
        for (const auto& [name, item] : by_name_) {
          if (name.size() > suffix.size() &&
              name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            covered.push_back(item);
          }
        }
      }
    }
  }
  std::sort(covered.begin(), covered.end());
  covered.erase(std::unique(covered.begin(), covered.end()), covered.end());
  return covered;
}

}  // namespace mamori::rse::blocklist::sim
