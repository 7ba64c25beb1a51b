// Response actions as JSON: the one shape shared by GET /api/v1/actions (docs/api.md,
// docs/api.yaml), `mamori actions … --json` and the web console:
//   {"id": 4, "playbook": "ssh-brute-force-block", "kind": "block_address",
//    "device": "nftables", "target": "203.0.113.7", "params": {}, "state": "active",
//    "mode": "auto", "duration_seconds": 3600, "detection_id": 12, "evidence": {...},
//    "expected_effect": "...", "reason": "...", "created_at": "2026-11-30T08:00:02Z",
//    "decided_at": ..., "decided_by": "playbook:ssh-brute-force-block", "comment": "",
//    "applied_at": ..., "expires_at": ..., "ended_at": null, "last_error": "", "attempts": 1}
// Times are RFC 3339 UTC, null when not set. `evidence` and `params` are objects.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "store/records.h"

namespace mamori::rse::respond {

// With `with_evidence` false the "evidence" object is left out (list views).
nlohmann::json ActionToJson(const store::ActionRecord& action, bool with_evidence = true);

// The filters of `mamori actions list` and GET /api/v1/actions, from named parameters:
//   state     comma-separated states ("proposed,active")
//   kind, target, playbook, detection   exact values
//   before_id paging: only ids below it;  limit  1..1000 (default 100)
// Unknown names and values are errors naming them.
Expected<store::ActionQuery> ParseActionQuery(const std::map<std::string, std::string>& params);

// Every state an action can be in (store/records.h).
bool IsActionState(std::string_view state);

}  // namespace mamori::rse::respond
