// The strategies the simulator compares our selection against, and the evaluation every
// strategy shares (which items a list covers, and how many attempts that blocks).
//
//   union      every entry any feed lists on the build day (ignores the budget: the reference)
//   newest     the `budget` union entries most recently added to the union (latest first
//              listing by any feed; ties by item)
//   sighted    union entries by our own log hits before the build, then newest first (shows what
//              the log signal alone is worth)
//   best-feed  one feed's `budget` newest entries, for the feed that blocks the most malicious
//              attempts at that budget — chosen in hindsight with the evaluation's own attempts,
//              so it is the strongest single-feed baseline there can be
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rse/blocklist/blocklist.h"
#include "rse/blocklist/sim/simulator.h"
#include "rse/blocklist/sim/world.h"

namespace mamori::rse::blocklist::sim {

// Items listed by at least one feed on the build day, ascending.
std::vector<uint32_t> UnionItems(const World& world);

// Earliest first listing per item (any feed, open or closed), or +inf when never listed.
std::vector<float> FirstListed(const World& world);

// The `budget` union items with the latest first listing.
std::vector<uint32_t> NewestFirst(const std::vector<uint32_t>& union_items,
                                  const std::vector<float>& first_listed, int64_t budget);

// Feed f's `budget` newest open entries on the build day.
std::vector<uint32_t> FeedNewest(const World& world, int feed, int64_t budget);

// Attempts blocked when exactly `items` are covered (each item once).
StrategyResult EvaluateItems(const World& world, const std::vector<uint32_t>& items,
                             std::string strategy);

// The `budget` union items with the most malicious evaluation attempts (hindsight bound).
std::vector<uint32_t> Oracle(const World& world, const std::vector<uint32_t>& union_items,
                             int64_t budget);

// The `budget` union items with the most log hits before the build, then the newest.
std::vector<uint32_t> MostSighted(const World& world, const std::vector<uint32_t>& union_items,
                                  const std::vector<float>& first_listed, int64_t budget);

// Best single feed at `budget` (see above).
StrategyResult BestFeed(const World& world, int64_t budget);

// Maps emitted blocklist entries to the items they cover: IPv4 hosts exactly, CIDRs by range,
// domains exactly and (wildcard entries) by suffix. Built once per world.
class EntryIndex {
 public:
  explicit EntryIndex(const World& world);
  // Covered items (ascending, unique); entries naming nothing in the world cover nothing.
  std::vector<uint32_t> Covered(const std::vector<BlocklistEntry>& entries) const;

 private:
  const World& world_;
  std::vector<std::pair<uint32_t, uint32_t>> by_address_;  // (address, item), sorted
  std::vector<std::pair<std::string, uint32_t>> by_name_;  // (name, item) of listed domains, sorted
};

}  // namespace mamori::rse::blocklist::sim
