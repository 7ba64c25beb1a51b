// Events (and per-line counts) as JSON objects with ECS dotted names — the shape `mamori ingest --events`, detection
// evidence in the store and the detections API all use (docs/formats/logs-events.md):
//   {"@timestamp": "2026-11-30T08:00:01.250000Z", "source.ip": "203.0.113.7", ...}
// plus "event.original" with the raw line when asked. Log bytes need not be UTF-8: DumpJson
// replaces invalid sequences instead of throwing.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "rse/ingest/event.h"
#include "rse/ingest/ingest.h"

namespace mamori::rse::ingest {

// "2026-11-30T08:00:01.250000Z" (UTC, microseconds).
std::string IsoMicros(UnixMicros micros);

nlohmann::json EventToJson(const Event& event, bool with_raw = false);
nlohmann::json EventToJson(const OwnedEvent& event, bool with_raw = false);

// The per-line counts of `ingest --json`, `collect --json` and GET /api/v1/collector:
// {"lines", "events", "skipped", "malformed", "too_long", "invalid_utf8", "time_went_backwards",
//  "malformed_reasons": {reason: n}, "examples": [{"line", "reason", "excerpt"}]}
nlohmann::json IngestStatsToJson(const IngestStats& stats);

// json::dump that never throws on invalid UTF-8 (replaces it with U+FFFD).
std::string DumpJson(const nlohmann::json& value, int indent = -1);

}  // namespace mamori::rse::ingest
