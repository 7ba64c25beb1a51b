// MakeActuators: one Actuator per device configured in [respond] of mamori.toml
// (docs/respond-devices.md), for the response engine to pick from by ActionRecord::device.
//
//   nftables  whenever nftables_table is set (it is by default: "mamori_respond")
//   ipset     when ipset_name is set
//   rpz       when rpz_zone_file is set (with rpz_origin, rpz_reload_command)
//   webhook   when webhook_url is set (webhook_secret_file required)
//   edr       when edr_url is set (edr_secret_file required)
//   syslog    when syslog_target is set
//   email     when email_command is set (email_from, email_to)
//
// Settings are checked here, so a mistake shows at start-up with the key to fix: a malformed
// value, a missing secret file, an unreadable RPZ zone file. Nothing touches a device yet (no
// netlink socket, no command run). The caller owns the list and may append its own actuators
// (the blocklist priority device). `clock` must outlive the actuators.
#pragma once

#include <chrono>
#include <memory>

#include "core/clock.h"
#include "core/config.h"
#include "feeds/http_client.h"
#include "rse/respond/actuator.h"

namespace mamori::rse::respond {

struct ActuatorOptions {
  // The webhook's and the EDR's HTTP settings: shorter than a feed download's, since the
  // engine's one worker waits for them.
  feeds::HttpOptions http = [] {
    feeds::HttpOptions o;
    o.max_body_bytes = 1 << 20;
    o.timeout = std::chrono::milliseconds(10'000);
    o.connect_timeout = std::chrono::milliseconds(5'000);
    o.retries = 2;
    o.backoff = std::chrono::milliseconds(1000);
    return o;
  }();
  // Shared by the webhook and the EDR; null: a curl client with `http` is made.
  std::shared_ptr<feeds::HttpClient> http_client;
  std::chrono::milliseconds command_timeout{30'000};  // ipset, rpz_reload_command, the MTA
  std::chrono::milliseconds syslog_timeout{5'000};    // a TCP connect and send
};

Expected<ActuatorList> MakeActuators(const Config::Respond& config, Clock& clock,
                                     const ActuatorOptions& options = {});

}  // namespace mamori::rse::respond
