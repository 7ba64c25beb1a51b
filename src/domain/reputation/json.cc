#include "domain/reputation/json.h"

#include <cmath>

namespace mamori::domain::reputation {

using nlohmann::json;

json ScoreResultToJson(const ScoreResult& r) {
  json j = {{"domain", r.name},
            {"registered_domain", r.registered},
            {"score", r.score},
            {"threshold", r.threshold},
            {"malicious", r.malicious},
            {"has_history", r.has_history},
            {"at", FormatIso8601(r.at)}};
  if (!r.reasons.empty() || r.features) {
    json reasons = json::array();
    for (const auto& reason : r.reasons) {
      reasons.push_back({{"feature", reason.feature},
                         {"contribution", reason.contribution},
                         {"text", reason.text}});
    }
    j["reasons"] = reasons;
  }
  if (r.features) {
    json features = json::object();
    for (size_t i = 0; i < kFeatureCount; ++i) {
      const float v = (*r.features)[i];
      features[std::string(kFeatureNames[i])] = std::isnan(v) ? json(nullptr) : json(v);
    }
    j["features"] = features;
  }
  return j;
}

}  // namespace mamori::domain::reputation
