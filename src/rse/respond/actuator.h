// Actuator: the one interface through which the response engine (rse/respond/responder.h)
// touches a device — a firewall set, an ipset, a DNS RPZ zone, the blocklist priority store, a
// webhook, syslog, an MTA, an EDR. One Actuator per configured device (docs/respond.md lists
// them and their mamori.toml keys); the engine picks the one named by ActionRecord::device.
//
// Contract, for every implementation:
//   Apply()     carries the action out. Idempotent: applying an action that is already in place
//               succeeds and changes nothing (the engine re-applies after restarts and when a
//               device lost its state).
//   Revert()    undoes it. Idempotent: reverting what is not in place succeeds. Only called when
//               reversible() (notifications are one-shot; an EDR isolation is released).
//   IsInPlace() whether the device still has it (false after a reboot flushed a set, or an
//               admin edited the zone). One-shot actions answer true.
// Errors name the device and the target and say what to do (missing CAP_NET_ADMIN, command not
// found, HTTP status of the webhook). An actuator validates the target (an address for
// block_address, a domain for block_domain) and refuses others with kInvalidArgument.
//
// Thread-safety: the engine calls an actuator from its one worker thread only; implementations
// need not be thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/records.h"

namespace mamori::rse::respond {

// The kinds of action a playbook can ask for (ActionRecord::kind).
inline constexpr std::string_view kBlockAddress = "block_address";      // IP or CIDR
inline constexpr std::string_view kBlockDomain = "block_domain";        // domain (and below)
inline constexpr std::string_view kBlocklistBoost = "blocklist_boost";  // priority in device lists
inline constexpr std::string_view kNotifyWebhook = "notify_webhook";
inline constexpr std::string_view kNotifySyslog = "notify_syslog";
inline constexpr std::string_view kNotifyEmail = "notify_email";
inline constexpr std::string_view kIsolateHost = "isolate_host";  // EDR isolation of a host
inline constexpr std::string_view kRecommendOnly = "recommend";   // nothing to carry out

class Actuator {
 public:
  virtual ~Actuator() = default;
  // The device name playbooks and ActionRecord::device use ("nftables", "ipset", "rpz",
  // "blocklist", "webhook", "syslog", "email", "edr").
  virtual std::string_view name() const = 0;
  // Whether this device can carry out actions of `kind`.
  virtual bool Supports(std::string_view kind) const = 0;
  // False for one-shot actions (notifications): they end in state "done", never expire.
  virtual bool reversible() const = 0;
  virtual Status Apply(const store::ActionRecord& action) = 0;
  virtual Status Revert(const store::ActionRecord& action) = 0;
  virtual Expected<bool> IsInPlace(const store::ActionRecord& action) = 0;
};

using ActuatorList = std::vector<std::unique_ptr<Actuator>>;

}  // namespace mamori::rse::respond
