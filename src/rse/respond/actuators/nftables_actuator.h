// NftablesActuator: the "nftables" response device. A block_address action (an IPv4/IPv6
// address or CIDR) becomes one element of a named set in a table of its own, [respond]
// nftables_table of family nftables_family (default `inet mamori_respond`): a different table
// from the blocklist connector's (`mamori`), so a blocklist Replace() never wipes response
// blocks and a response Revert() never touches the published list.
//
// The table holds the blocklist connector's four sets (NftablesConnector, which does the work):
// `mamori_block` / `mamori_block_v6` (addresses, hash sets) and `mamori_block_net` /
// `mamori_block_v6_net` (networks, interval sets). mamori creates the table and sets on the
// first Apply() but no rules: the admin adds the chains that drop matching traffic, in the same
// table, since nft rules can only name sets of their own table. NftablesActuatorRules() gives
// them (docs/respond-devices.md); loaded before mamori starts they also declare the sets, with
// exactly the definitions mamori uses:
//
//   table inet mamori_respond {
//     set mamori_block { type ipv4_addr; }
//     set mamori_block_net { type ipv4_addr; flags interval; }
//     set mamori_block_v6 { type ipv6_addr; }
//     set mamori_block_v6_net { type ipv6_addr; flags interval; }
//     chain input { type filter hook input priority filter - 10; policy accept;
//       ip saddr @mamori_block drop
//       ip saddr @mamori_block_net drop
//       ip6 saddr @mamori_block_v6 drop
//       ip6 saddr @mamori_block_v6_net drop }
//     chain forward { type filter hook forward priority filter - 10; policy accept;
//       (the same four rules for saddr, and four for daddr) }
//   }
//
// Apply() adds the element (an address inside a network already blocked is left out: the
// network blocks it); Revert() removes exactly that element; IsInPlace() asks the kernel for the
// one element (hash set) or the interval holding the CIDR, without listing the sets. A network
// that overlaps a blocked network without lying inside it is refused (kAlreadyExists): interval
// sets hold no overlaps. Needs CAP_NET_ADMIN in the network namespace mamori runs in.
//
// Not thread-safe (one netlink socket and libnftables context), as the Actuator contract allows.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "rse/blocklist/connectors/nftables.h"
#include "rse/respond/actuator.h"

namespace mamori::rse::blocklist {
class NftNetlink;
}

namespace mamori::rse::respond {

class NftablesActuator final : public Actuator {
 public:
  // `family` and `table` as in [respond]; checked by Make, not touched until the first call.
  static Expected<std::unique_ptr<NftablesActuator>> Make(std::string family, std::string table);
  ~NftablesActuator() override;

  std::string_view name() const override { return "nftables"; }
  bool Supports(std::string_view kind) const override { return kind == kBlockAddress; }
  bool reversible() const override { return true; }
  Status Apply(const store::ActionRecord& action) override;
  Status Revert(const store::ActionRecord& action) override;
  Expected<bool> IsInPlace(const store::ActionRecord& action) override;

  const blocklist::NftablesTarget& target() const { return target_; }

 private:
  explicit NftablesActuator(blocklist::NftablesTarget target);
  Expected<blocklist::NftNetlink*> Netlink();

  blocklist::NftablesTarget target_;
  blocklist::NftablesConnector connector_;
  // IsInPlace's own socket for single-element lookups (the connector keeps its one private).
  std::unique_ptr<blocklist::NftNetlink> netlink_;
};

// The nft script an admin loads (`nft -f`) so that traffic from and to the blocked addresses is
// dropped: the table, the four sets (same definitions as mamori's) and the input and forward
// chains (priority filter - 10, before the usual filter chains). For family inet, bridge, ip or
// ip6 (ip: IPv4 rules only, ip6: IPv6 only); netdev needs a device name: write those by hand.
std::string NftablesActuatorRules(const std::string& family, const std::string& table);

}  // namespace mamori::rse::respond
