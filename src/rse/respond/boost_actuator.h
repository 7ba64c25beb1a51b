// BoostActuator ("blocklist"): carries out blocklist_boost actions. The device is mamori's own
// blocklist builder: while a boost action is active, every device blocklist build adds its
// points to the indicator's priority (capped at 100), and includes the indicator even when no
// feed lists it (rse/blocklist/builder.cc reads active boosts from the store,
// ActiveBlocklistBoosts()). So Apply only checks the target; the store row is the state, and
// the next build of each profile (at its refresh interval) applies or drops it.
#pragma once

#include <unordered_map>

#include "core/indicator.h"
#include "rse/respond/actuator.h"
#include "store/store.h"

namespace mamori::rse::respond {

class BoostActuator final : public Actuator {
 public:
  std::string_view name() const override { return "blocklist"; }
  bool Supports(std::string_view kind) const override { return kind == kBlocklistBoost; }
  bool reversible() const override { return true; }
  Status Apply(const store::ActionRecord& action) override;
  Status Revert(const store::ActionRecord&) override { return Ok(); }
  Expected<bool> IsInPlace(const store::ActionRecord&) override { return true; }
};

// The points of every active blocklist_boost action, by indicator (boosts of one indicator
// add up, capped at 100 by the builder).
Expected<std::unordered_map<Indicator, double, IndicatorHash>> ActiveBlocklistBoosts(
    store::Store& store);

}  // namespace mamori::rse::respond
