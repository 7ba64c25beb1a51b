// JSON form of a reputation result, shared by `mamori domain score|explain` and
// GET /api/v1/domains/<name> (docs/api.md): {domain, registered_domain, score, threshold,
// malicious, has_history, at, reasons?, features?} — reasons and features only for explained
// results; a missing feature is null.
#pragma once

#include <nlohmann/json.hpp>

#include "domain/reputation/scorer.h"

namespace mamori::domain::reputation {

nlohmann::json ScoreResultToJson(const ScoreResult& result);

}  // namespace mamori::domain::reputation
