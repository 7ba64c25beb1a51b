// IpsetActuator: the "ipset" response device. A block_address action (an IPv4/IPv6 address or
// CIDR) becomes an element of an ipset of type hash:net: [respond] ipset_name for IPv4 (family
// inet) and ipset_name + "-v6" for IPv6 (family inet6). Both sets are created when first needed
// (`ipset create NAME hash:net family inet -exist`), so a reboot that lost them is repaired by
// the next Apply(). The admin's iptables or nftables rules match the sets, e.g.
//   iptables  -I INPUT   -m set --match-set NAME src -j DROP
//   ip6tables -I INPUT   -m set --match-set NAME-v6 src -j DROP
//   iptables  -I FORWARD -m set --match-set NAME src,dst -j DROP   (and the same for dst)
// (docs/respond-devices.md).
//
// Everything runs the `ipset` program with an argument vector (RunProcess, no shell): `add ...
// -exist` and `del ... -exist` are idempotent in ipset itself, `test` answers IsInPlace() (for
// an address: whether any network of the set holds it, which is what blocks it). Errors say
// what to do: ipset not installed, no CAP_NET_ADMIN, a set of that name of another type.
//
// Not thread-safe, as the Actuator contract allows (it holds no state besides its settings).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/indicator.h"
#include "rse/respond/actuator.h"

namespace mamori::rse::respond {

class IpsetActuator final : public Actuator {
 public:
  // `set_name`: 1..28 characters of [A-Za-z0-9_.-] (ipset allows 31; "-v6" is appended for the
  // IPv6 set). `program` is the ipset binary, looked up in PATH without a '/'.
  static Expected<std::unique_ptr<IpsetActuator>> Make(std::string set_name,
                                                       std::chrono::milliseconds timeout,
                                                       std::string program = "ipset");

  std::string_view name() const override { return "ipset"; }
  bool Supports(std::string_view kind) const override { return kind == kBlockAddress; }
  bool reversible() const override { return true; }
  Status Apply(const store::ActionRecord& action) override;
  Status Revert(const store::ActionRecord& action) override;
  Expected<bool> IsInPlace(const store::ActionRecord& action) override;

  // The set an address of that family goes into.
  const std::string& set_v4() const { return set_v4_; }
  const std::string& set_v6() const { return set_v6_; }

 private:
  IpsetActuator(std::string set_name, std::chrono::milliseconds timeout, std::string program);
  struct Run {
    int exit_code = 0;
    std::string said;  // stderr and stdout, one line
  };
  // Runs `ipset ARGS`; a non-zero exit is returned as Run, only a failure to run is an error.
  Expected<Run> Ipset(const std::vector<std::string>& args) const;
  // The error for a failed `ipset` run: what failed and what to do.
  Error Failure(const std::vector<std::string>& args, const Run& run) const;
  Status Create(bool v6) const;
  Expected<Indicator> Target(const store::ActionRecord& action) const;
  const std::string& SetFor(const Indicator& address) const;

  std::string set_v4_;
  std::string set_v6_;
  std::chrono::milliseconds timeout_;
  std::string program_;
};

}  // namespace mamori::rse::respond
