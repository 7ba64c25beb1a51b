// Stored detections as JSON, the one shape shared by `mamori detections … --json`,
// `mamori ingest --rules --json` and GET /api/v1/detections (docs/api.md):
//   {"id": 12, "rule": "mamori-ssh-brute-force", "title": "...", "level": "high",
//    "group_field": "source.ip", "group": "203.0.113.7", "target": "web1",
//    "input": "file:/var/log/auth.log",
//    "first": "2026-11-30T08:00:01.000000Z", "last": "...", "count": 9, "distinct": 0,
//    "ongoing": false, "evidence": [ {ECS event with "event.original"} ... ],
//    "evidence_dropped": 4, "recorded_at": "2026-11-30T08:00:02Z", "updated_at": "..."}
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "rse/detect/detector.h"
#include "store/records.h"

namespace mamori::rse::detect {

// With `with_evidence` false the "evidence" array is left out (list views).
nlohmann::json DetectionRecordToJson(const store::DetectionRecord& d, bool with_evidence = true);

// The same shape from a Detector's Detection (no store id or write times; "ongoing" false for a
// closed one), built directly from its events — for reports of detections not (yet) stored.
nlohmann::json DetectionToJson(const Detection& d, const std::string& input, bool with_evidence);

// The filters of `mamori detections list` and GET /api/v1/detections, from named parameters:
//   since   RFC 3339 time, Unix seconds, or a duration back from `now` ("24h", "7d", "30m")
//   until   RFC 3339 time or Unix seconds
//   rule    rule id;  group  the group value (an address);  level  minimum level
//   ongoing "1"/"true": only ongoing ones;  before  paging id;  limit  1..1000 (default 100)
// Unknown names are errors (a typo must not silently widen the result).
Expected<store::DetectionQuery> ParseDetectionQuery(
    const std::map<std::string, std::string>& params, UnixSeconds now);

}  // namespace mamori::rse::detect
