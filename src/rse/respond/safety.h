// SafetyGate: the checks every action passes before the response engine touches a device.
//
//   Refusal()  values an action must never be about, unless its playbook says so explicitly:
//              allowlisted values (the store's allowlist, intel/allowlist.h), our own
//              infrastructure ([respond] own_infrastructure: networks and domains), and private
//              or special-purpose addresses (intel/special_ranges.h; `allow_private`). Blocking
//              a domain also refuses popular domains and shared platforms of the warning lists
//              (blocking bit.ly or a CDN whole breaks it for everyone: docs/respond.md).
//              Notifications and recommend-only actions touch nothing and are never refused.
//   TakeRate() rate limits on automatic actions: per minute over all playbooks, per minute per
//              playbook, per target per hour. An automatic action over a limit is not dropped:
//              the engine turns it into a recommendation, saying which limit it hit.
//
// Not thread-safe: the engine calls it under its own mutex.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ip.h"
#include "intel/allowlist.h"
#include "intel/warninglists.h"
#include "rse/respond/playbook.h"

namespace mamori::rse::respond {

struct SafetyOptions {
  std::vector<Cidr> own_networks;
  std::vector<std::string> own_domains;  // a domain and every name below it
  int rate_per_minute = 30;
  int rate_per_target_per_hour = 3;
};

// Parses "198.51.100.0/24, example.org" ([respond] own_infrastructure) into `options`.
Status ParseOwnInfrastructure(std::string_view text, SafetyOptions* options);

class SafetyGate {
 public:
  // `warning_lists` may be null (no popular-domain/platform check); not owned.
  SafetyGate(SafetyOptions options, const intel::WarningLists* warning_lists);

  // Replaces the allowlist (the engine rebuilds it from the store now and then).
  void set_allowlist(intel::AllowlistMatcher allowlist) { allowlist_ = std::move(allowlist); }

  // Why an action of `kind` on `value` must not happen, or nullopt when it may.
  std::optional<std::string> Refusal(const Playbook& playbook, std::string_view kind,
                                     const std::string& value) const;

  // Counts an automatic action of `playbook` on `target` at `now` when it fits every limit and
  // returns nullopt; otherwise returns which limit it hit and counts nothing. Only kinds that
  // act on their target count; notifications are never limited.
  std::optional<std::string> TakeRate(const Playbook& playbook, std::string_view kind,
                                      const std::string& target, UnixSeconds now);

 private:
  SafetyOptions options_;
  const intel::WarningLists* warning_lists_;
  intel::AllowlistMatcher allowlist_;
  std::deque<UnixSeconds> global_;                          // last minute, all playbooks
  std::map<std::string, std::deque<UnixSeconds>> per_playbook_;  // last minute
  std::map<std::string, std::deque<UnixSeconds>> per_target_;   // last hour
};

}  // namespace mamori::rse::respond
