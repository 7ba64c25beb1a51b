#include "rse/respond/boost_actuator.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace mamori::rse::respond {
namespace {

double BoostOf(const store::ActionRecord& action) {
  auto params = nlohmann::json::parse(action.params_json, nullptr, false);
  if (params.is_object() && params.contains("boost") && params["boost"].is_number()) {
    return params["boost"].get<double>();
  }
  return 50;  // the playbook default (playbook.h)
}

}  // namespace

Status BoostActuator::Apply(const store::ActionRecord& action) {
  auto normalized = NormalizeIndicator(action.target);
  if (!normalized) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("blocklist: '{}' is not an indicator: {}", action.target,
                                 normalized.error().message));
  }
  return Ok();
}

Expected<std::unordered_map<Indicator, double, IndicatorHash>> ActiveBlocklistBoosts(
    store::Store& store) {
  store::ActionQuery active;
  active.states = {"active"};
  active.kind = std::string(kBlocklistBoost);
  active.limit = 0;
  MAMORI_ASSIGN_OR_RETURN(auto rows, store.ListActions(active));
  std::unordered_map<Indicator, double, IndicatorHash> out;
  for (const auto& a : rows) {
    auto normalized = NormalizeIndicator(a.target);
    if (!normalized) continue;
    out[normalized->indicator] += BoostOf(a);
  }
  return out;
}

}  // namespace mamori::rse::respond
