// Builder: from the intel store to a device's blocklist.
//
//   ScoreAll()        one pass over every current (and recently delisted) listing, grouped by
//                     indicator: evidence per source → ScoreIndicator(); user allowlist and
//                     built-in warning lists exclude values outright; CIDRs that merely contain
//                     a protected address stay and are split by the selector.
//   BuildForProfile() applies the profile's filters and capacity, limits churn against the
//                     profile's previous build, and returns the selection.
//   ExplainIndicator() the same scoring for one value, with every component, for
//                     `mamori blocklist explain`.
// Scoring once and selecting per profile keeps a multi-profile build at one store scan.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/address_range_set.h"
#include "core/clock.h"
#include "core/error.h"
#include "domain/category/service_lists.h"
#include "intel/warninglists.h"
#include "rse/blocklist/profile.h"
#include "rse/blocklist/scoring.h"
#include "rse/blocklist/selector.h"
#include "store/store.h"

namespace mamori::rse::blocklist {

struct BuildSettings {
  ScoringConfig scoring;
  // Selection tuning (SelectOptions has the meaning of each).
  bool aggregate = true;
  int min_prefix_v4 = 16;
  int min_prefix_v6 = 48;
  double collateral_penalty = 0.05;
  double churn_threshold = 0.10;
  // Sightings older than this do not count.
  int64_t sighting_window_seconds = 30 * 86400;
  // Shared platforms (URL shorteners, dynamic DNS, hosting, cloud storage, CDNs …;
  // domain/category/service_lists.h): a listed domain that is a platform's registered domain
  // (or a parent of one) is never put on a list whole — its abuse is blocked by the customer
  // name below it or by URL (docs/domain-categories.md). Null: not checked.
  std::shared_ptr<const domain::ServiceLists> platforms;
};

struct ExclusionCounts {
  int64_t allowlist = 0;     // user allowlist
  int64_t warninglist = 0;   // built-in/extra warning lists, and shared platforms
  int64_t zero_priority = 0;  // every source's evidence has decayed away
};

struct ScoredIndicators {
  SelectionInput input;
  AddressRangeSet protected_addresses;  // warning-list ranges + user-allowlisted addresses
  // Addresses our logs saw in the window that no source lists: what an aggregate covering them
  // would break (ObservedCost).
  std::vector<ObservedAddress> observed_unlisted;
  ExclusionCounts excluded;
  int64_t listings_read = 0;
  UnixSeconds now = 0;
};

// `progress` (optional) is called every ~1M listings with the number read so far.
Expected<ScoredIndicators> ScoreAll(store::Store& store, const intel::WarningLists* warnings,
                                    const BuildSettings& settings, UnixSeconds now,
                                    const std::function<void(int64_t)>& progress = {});

// Selects for one profile. `previous` is the profile's last build (for churn and "what changed").
Expected<Selection> BuildForProfile(const ScoredIndicators& scored, const DeviceProfile& profile,
                                    const BuildSettings& settings,
                                    const std::vector<store::BlocklistBuildEntry>& previous);

struct Explanation {
  PriorityExplanation priority;
  std::optional<std::string> excluded_by;  // allowlist/warning-list reason
  bool known = false;                      // the store has listings or sightings of it
  bool logs_connected = false;             // any log sighting in the window (relevance judged)
};

Expected<Explanation> ExplainIndicator(store::Store& store, const intel::WarningLists* warnings,
                                       const Indicator& indicator, const BuildSettings& settings,
                                       UnixSeconds now);

}  // namespace mamori::rse::blocklist
