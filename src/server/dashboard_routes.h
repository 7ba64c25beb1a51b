// Read-only aggregates for the web console (docs/api.md, docs/web-console.md), computed from
// what the store already keeps:
//
//   GET /api/v1/dashboard?range=24h|7d
//       detections over time (hourly buckets for 24h, 6-hourly for 7d, by level), top sources
//       (groups of non-intel detections: usually attackers), infected internal hosts (groups of
//       detections of the intel rules: hosts that contacted a listed indicator), totals.
//   GET /api/v1/blocklists/<profile>/builds?limit=N
//       a device profile's newest builds with their coverage report and what changed
//       (added/removed/kept against the build before), newest first.
// Handlers only read the store; `store` and `clock` must outlive the server.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "store/records.h"
#include "store/store.h"

namespace httplib {
class Server;
}

namespace mamori::server {

void RegisterDashboardRoutes(httplib::Server& http, store::Store& store, Clock& clock);

// The /api/v1/dashboard body from the detections active in [now - range_seconds, now], counted
// by the store (Store::SummarizeDetections). Separate from the route for tests.
Expected<nlohmann::json> DashboardJson(store::Store& store, UnixSeconds now,
                                       int64_t range_seconds);

// True for the rules that match contacts with listed indicators (rules/intel_*.yml): their
// group is the internal host that made the contact.
bool IsIntelRule(std::string_view rule_id);

}  // namespace mamori::server
