#include "rse/respond/actuators/nftables_actuator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "core/ip.h"
#include "rse/blocklist/connectors/nft_netlink.h"
#include "rse/blocklist/exporters/nftables_script.h"
#include "rse/respond/actuators/common.h"

namespace mamori::rse::respond {

namespace {

using blocklist::NftSetName;

bool IsAddressSetFamily(std::string_view family) {
  static constexpr std::array<std::string_view, 5> kFamilies = {"inet", "ip", "ip6", "bridge",
                                                                "netdev"};
  return std::find(kFamilies.begin(), kFamilies.end(), family) != kFamilies.end();
}

// Errors name the device and the action's target, whatever layer they come from.
template <typename T>
T Named(T result, const store::ActionRecord& action) {
  if (!result) {
    result = tl::unexpected(result.error().WithContext(
        fmt::format("nftables target {}", actuators::OneLine(action.target, 100))));
  }
  return result;
}

}  // namespace

Expected<std::unique_ptr<NftablesActuator>> NftablesActuator::Make(std::string family,
                                                                   std::string table) {
  if (!IsAddressSetFamily(family)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not an nftables family for address sets (inet, ip, ip6, "
                                 "bridge, netdev)",
                                 actuators::OneLine(family, 40)),
                     "[respond] nftables_family");
  }
  if (!blocklist::IsNftIdentifier(table)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not an nftables table name (a letter or '_', then "
                                 "letters, digits, '_', '.', '-')",
                                 actuators::OneLine(table, 80)),
                     "[respond] nftables_table");
  }
  blocklist::NftablesTarget target;
  target.family = std::move(family);
  target.table = std::move(table);
  return std::unique_ptr<NftablesActuator>(new NftablesActuator(std::move(target)));
}

NftablesActuator::NftablesActuator(blocklist::NftablesTarget target)
    : target_(target), connector_(std::move(target)) {}

NftablesActuator::~NftablesActuator() = default;

Expected<blocklist::NftNetlink*> NftablesActuator::Netlink() {
  if (!netlink_) {
    MAMORI_ASSIGN_OR_RETURN(netlink_, blocklist::NftNetlink::Open());
  }
  return netlink_.get();
}

Status NftablesActuator::Apply(const store::ActionRecord& action) {
  MAMORI_ASSIGN_OR_RETURN(Indicator address,
                          actuators::ParseAddressTarget("nftables", action.target));
  return Named(connector_.Add(address), action);
}

Status NftablesActuator::Revert(const store::ActionRecord& action) {
  MAMORI_ASSIGN_OR_RETURN(Indicator address,
                          actuators::ParseAddressTarget("nftables", action.target));
  Status removed = connector_.Remove(address);
  // No table or set (a flushed ruleset, a reboot): nothing of the action is in place.
  if (!removed && removed.error().code == ErrorCode::kNotFound) return Ok();
  return Named(std::move(removed), action);
}

Expected<bool> NftablesActuator::IsInPlace(const store::ActionRecord& action) {
  MAMORI_ASSIGN_OR_RETURN(Indicator address,
                          actuators::ParseAddressTarget("nftables", action.target));
  MAMORI_ASSIGN_OR_RETURN(Cidr::ParseResult parsed, Cidr::Parse(address.value));
  const Cidr& cidr = parsed.cidr;
  MAMORI_ASSIGN_OR_RETURN(blocklist::NftNetlink * netlink, Named(Netlink(), action));
  const bool v4 = cidr.network().is_v4();
  const blocklist::NftSetNames& sets = target_.sets;
  NftSetName hosts{target_.family, target_.table, v4 ? sets.hosts_v4 : sets.hosts_v6};
  NftSetName networks{target_.family, target_.table, v4 ? sets.networks_v4 : sets.networks_v6};
  // A lookup by key: in a hash set the kernel answers with the element itself or ENOENT, in an
  // interval set with the interval holding the key. A missing table or set answers false.
  if (cidr.is_host()) {
    MAMORI_ASSIGN_OR_RETURN(bool in_hosts, Named(netlink->Covers(hosts, cidr), action));
    if (in_hosts) return true;
  }
  return Named(netlink->Covers(networks, cidr), action);
}

std::string NftablesActuatorRules(const std::string& family, const std::string& table) {
  blocklist::NftSetNames sets;
  std::string out = blocklist::NftDeclareScript(family, table, sets);
  const bool v4 = family != "ip6";
  const bool v6 = family != "ip";
  auto rules = [&](std::string_view direction) {
    std::string text;
    if (v4) {
      fmt::format_to(std::back_inserter(text), "\t\tip {0} @{1} drop\n\t\tip {0} @{2} drop\n",
                     direction, sets.hosts_v4, sets.networks_v4);
    }
    if (v6) {
      fmt::format_to(std::back_inserter(text), "\t\tip6 {0} @{1} drop\n\t\tip6 {0} @{2} drop\n",
                     direction, sets.hosts_v6, sets.networks_v6);
    }
    return text;
  };
  fmt::format_to(std::back_inserter(out),
                 "table {0} {1} {{\n"
                 "\tchain input {{\n"
                 "\t\ttype filter hook input priority filter - 10; policy accept;\n"
                 "{2}"
                 "\t}}\n"
                 "\tchain forward {{\n"
                 "\t\ttype filter hook forward priority filter - 10; policy accept;\n"
                 "{2}{3}"
                 "\t}}\n"
                 "}}\n",
                 family, table, rules("saddr"), rules("daddr"));
  return out;
}

}  // namespace mamori::rse::respond
