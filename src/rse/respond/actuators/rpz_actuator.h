// RpzActuator: the "rpz" response device. A block_domain action puts the domain and everything
// below it into a DNS Response Policy Zone that the resolver (unbound, BIND) enforces: the zone
// file [respond] rpz_zone_file, origin rpz_origin, holds every domain blocked by response
// actions as `name CNAME .` and `*.name CNAME .` (NXDOMAIN), in the format of the blocklist's
// "unbound-rpz" exporter, which writes it (docs/formats/rpz.md). It is a zone of its own,
// separate from the published blocklist's, so the two never overwrite each other.
//
// The file is the state: every call reads it (a few kilobytes), so a restart, or an admin who
// removed a line, is seen as it is. A change rewrites the whole file atomically
// (WriteFileAtomically) with a higher SOA serial, then runs [respond] rpz_reload_command (split
// on whitespace, no shell; e.g. `unbound-control auth_zone_reload rpz.mamori` or `rndc reload
// rpz.mamori`) when one is set. When that command fails, the previous file is put back and the
// command run again, and the error returned: a resolver that could not load the new zone (unbound
// then drops the zone's contents) gets the old one back, and the file keeps matching what is
// enforced. Apply() and Revert() of a name already in (or not in) the file change nothing and
// run no command.
//
// Not thread-safe, as the Actuator contract allows; one actuator per zone file.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "rse/respond/actuator.h"

namespace mamori::rse::respond {

struct RpzActuatorOptions {
  std::filesystem::path zone_file;           // [respond] rpz_zone_file
  std::string origin = "rpz.mamori.";        // [respond] rpz_origin
  std::string reload_command;                // [respond] rpz_reload_command; "" runs nothing
  std::chrono::milliseconds timeout{30000};  // per run of the reload command
};

class RpzActuator final : public Actuator {
 public:
  // Checks the options and reads the zone file back when it exists (kCorrupt naming the line
  // when it is not a zone mamori wrote; kIo when it cannot be read).
  static Expected<std::unique_ptr<RpzActuator>> Make(RpzActuatorOptions options, Clock& clock);

  std::string_view name() const override { return "rpz"; }
  bool Supports(std::string_view kind) const override { return kind == kBlockDomain; }
  bool reversible() const override { return true; }
  Status Apply(const store::ActionRecord& action) override;
  Status Revert(const store::ActionRecord& action) override;
  Expected<bool> IsInPlace(const store::ActionRecord& action) override;

  // The domains the zone file holds now (read from it).
  Expected<std::set<std::string>> Domains() const;

 private:
  struct Zone {
    std::set<std::string> domains;
    uint32_t serial = 0;
    bool exists = false;
    std::string text;  // the file as read, to put back when a reload fails
  };
  RpzActuator(RpzActuatorOptions options, Clock& clock);
  Expected<Zone> Read() const;
  // Writes `domains` with a serial above `previous`'s, reloads, and puts `previous` back when
  // the reload fails.
  Status Write(const Zone& previous, const std::set<std::string>& domains);
  Status Reload() const;
  Expected<std::string> Target(const store::ActionRecord& action) const;

  RpzActuatorOptions options_;
  Clock& clock_;
};

}  // namespace mamori::rse::respond
