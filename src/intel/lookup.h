// LookupIndicator: everything the intel store knows about one value, for `mamori intel lookup`
// and GET /api/v1/indicators/<value>.
//
// The text is normalized first (so "EVIL.com." and "hxxp://evil[.]com" find their stored
// forms). The result holds the exact indicator's history, the history of CIDRs that contain an
// address, for a domain the history of its parent names up to the registered domain, and the
// allowlist entry protecting it, if any. Stateless; thread-safe if the store is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"

namespace mamori::intel {

struct LookupResult {
  Indicator indicator;  // normalized query
  std::optional<store::IndicatorHistory> exact;
  std::vector<store::IndicatorHistory> covering;  // CIDRs containing it, or listed parent names
  std::optional<store::AllowlistEntry> allowlisted_by;
  bool listed_now = false;  // some source lists it (exactly or by a covering entry) right now
};

Expected<LookupResult> LookupIndicator(store::Store& store, std::string_view text, UnixSeconds now);

}  // namespace mamori::intel
