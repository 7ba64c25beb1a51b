// JSON forms of intel records, shared by the CLI's --json output and the HTTP API so both
// speak the same schema (documented in docs/cli.md and docs/api.md). Times are ISO 8601 UTC.
#pragma once

#include <nlohmann/json.hpp>

#include "intel/lookup.h"
#include "store/records.h"

namespace mamori::intel {

nlohmann::json ToJson(const store::SourceRecord& source);
nlohmann::json ToJson(const store::ListingInterval& interval);
nlohmann::json ToJson(const store::IndicatorHistory& history);
nlohmann::json ToJson(const store::AllowlistEntry& entry);
nlohmann::json ToJson(const store::StoreStats& stats);
nlohmann::json ToJson(const LookupResult& result);
// ISO 8601 or null for 0.
nlohmann::json TimeJson(UnixSeconds t);

}  // namespace mamori::intel
