// unbound connector: keeps a Response Policy Zone that unbound serves in step with a Blocklist.
//
// unbound loads an RPZ from a zone file (`rpz:` clause, unbound 1.10+; RPZ zones are auth zones
// inside unbound). Apply() writes the new zone text over that file atomically (readers see the
// old or the new file, never a partial one) and asks the running unbound to load it with
// `unbound-control [-c CONF] auth_zone_reload ZONE`, run with an argument vector, no shell.
// That reload touches only the RPZ: no cache flush, no restart, no interruption of resolution.
//
// unbound that fails to parse a reloaded zone file drops the zone's contents (it would resolve
// everything). So when the reload fails, Apply() puts the previous file back and reloads it, and
// returns the error: on error the file on disk and what unbound enforces are the previous list.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "rse/blocklist/blocklist.h"
#include "rse/blocklist/exporters/exporter.h"
#include "rse/blocklist/profile.h"

namespace mamori::rse::blocklist {

struct UnboundRpzTarget {
  std::filesystem::path zone_file;  // the `zonefile:` of the rpz: clause, as mamori sees it
  std::string zone = "rpz.mamori";  // the `name:` of the rpz: clause ([A-Za-z0-9._-], no spaces)
  std::filesystem::path control_config;  // passed as `unbound-control -c`; empty: its default
  std::string control_program = "unbound-control";  // looked up in PATH without a '/'
  std::chrono::milliseconds timeout{10000};         // per unbound-control run
};

class UnboundRpzConnector {
 public:
  explicit UnboundRpzConnector(UnboundRpzTarget target);

  // Writes `zone_text` (an RPZ zone file, e.g. the "unbound-rpz" exporter's output) and reloads
  // the zone. Errors: kInvalidArgument (bad zone name or empty path), kIo (the file), kNotFound
  // (unbound-control missing, or unbound has no zone of that name), kNetwork (unbound-control
  // could not reach unbound), kRejected (unbound could not load the zone), kTimeout.
  Status Apply(const std::string& zone_text);
  // Renders `list` for `profile` (kind unbound-rpz or bind-rpz) and applies it.
  Expected<RenderResult> ApplyList(const Blocklist& list, const DeviceProfile& profile);
  // Asks unbound to load the zone file again (auth_zone_reload).
  Status Reload();

 private:
  UnboundRpzTarget target_;
};

// The unbound.conf text that makes unbound load and enforce the zone: an `rpz:` clause for
// `target`, with comments on module-config ("respip" for address triggers) and remote-control
// (needed by Apply). Paste it into unbound.conf (docs/connectors.md).
std::string UnboundRpzConfig(const UnboundRpzTarget& target);

// True for a zone name Apply() accepts: 1..253 characters of [A-Za-z0-9._-], optional final dot.
bool IsUnboundZoneName(const std::string& zone);

}  // namespace mamori::rse::blocklist
