// nftables connector: keeps named sets in an inet table in step with a Blocklist, through
// libnftables (the library `nft` itself uses), without shelling out.
//
// Replace() creates the table and the IPv4/IPv6 interval sets if absent and swaps their contents
// in one nft transaction (flush + add in one batch), so the kernel never sees a half list: either
// the whole new list applies, or nothing changes and the error is returned. Add()/Remove() change
// single elements for automatic responses. The sets are `flags interval` so CIDRs are one element.
//
// The connector acts in the network namespace of the calling process, needs CAP_NET_ADMIN there,
// and is not thread-safe (one libnftables context per connector); use one per thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/indicator.h"
#include "rse/blocklist/blocklist.h"

struct nft_ctx;  // libnftables' context (nftables/libnftables.h)

namespace mamori::rse::blocklist {

struct NftablesTarget {
  std::string family = "inet";  // "inet", "ip", "ip6", "bridge" or "netdev"
  std::string table = "mamori";
  std::string set_v4 = "mamori_block";     // type ipv4_addr; flags interval
  std::string set_v6 = "mamori_block_v6";  // type ipv6_addr; flags interval
};

struct NftApplyReport {
  int64_t v4_elements = 0;
  int64_t v6_elements = 0;
  int64_t covered = 0;  // addresses/CIDRs inside another CIDR of the list (interval sets refuse
                        // overlaps; the covering element blocks them)
  int64_t skipped = 0;  // entries that are not addresses/CIDRs
};

class NftablesConnector {
 public:
  explicit NftablesConnector(NftablesTarget target);
  ~NftablesConnector();
  NftablesConnector(const NftablesConnector&) = delete;
  NftablesConnector& operator=(const NftablesConnector&) = delete;

  // Atomically replaces both sets' contents with the list's addresses and CIDRs, creating the
  // table and sets first if absent. On error nothing changed.
  Expected<NftApplyReport> Replace(const Blocklist& list);
  // Adds one address or CIDR (kIpv4, kIpv6 or kCidr; anything else is kInvalidArgument), creating
  // the table and sets if absent. Adding an element already in the set, or an address inside a
  // CIDR of the set, succeeds and changes nothing; a CIDR that overlaps elements of the set
  // without being inside one is refused (kAlreadyExists): interval sets hold no overlaps.
  Status Add(const Indicator& address_or_cidr);
  // Removes exactly that element. Removing an element the set does not hold succeeds (nothing
  // to do); note that an address inside a CIDR of the set stays blocked by the CIDR. A missing
  // table or set is kNotFound.
  Status Remove(const Indicator& address_or_cidr);
  // Current elements of the IPv4 set, then the IPv6 set, as text as nft lists them:
  // "192.0.2.1", "10.0.0.0/24", and "a-b" for a range that is not one prefix.
  // A missing table or set is kNotFound.
  Expected<std::vector<std::string>> ListElements();
  // The nft script Replace() runs: NftReplaceScript() (exporters/nftables_script.h), the same
  // text the "nftables" exporter writes for `nft -f`.
  std::string ReplaceScript(const Blocklist& list, NftApplyReport* report = nullptr) const;
  // Runs an nft script (e.g. an exported file) through libnftables as one transaction.
  Status RunScript(const std::string& script);

 private:
  Status CheckTarget() const;
  // Runs `commands`; returns libnftables' standard output (JSON when `json`).
  Expected<std::string> Run(const std::string& commands, bool json = false);
  Expected<std::vector<std::string>> ListSet(const std::string& set);
  NftablesTarget target_;
  ::nft_ctx* ctx_ = nullptr;
};

}  // namespace mamori::rse::blocklist
