// nftables connector: keeps named sets in an inet table in step with a Blocklist, through
// libnftables (the library `nft` itself uses), without shelling out.
//
// Replace() creates the table and the IPv4/IPv6 interval sets if absent and swaps their contents
// in one nft transaction (flush + add in one batch), so the kernel never sees a half list: either
// the whole new list applies, or nothing changes and the error is returned. Add()/Remove() change
// single elements for automatic responses. The sets are `flags interval` so CIDRs are one element.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/indicator.h"
#include "rse/blocklist/blocklist.h"

namespace mamori::rse::blocklist {

struct NftablesTarget {
  std::string family = "inet";
  std::string table = "mamori";
  std::string set_v4 = "mamori_block";     // type ipv4_addr; flags interval
  std::string set_v6 = "mamori_block_v6";  // type ipv6_addr; flags interval
};

struct NftApplyReport {
  int64_t v4_elements = 0;
  int64_t v6_elements = 0;
  int64_t skipped = 0;  // entries that are not addresses/CIDRs
};

class NftablesConnector {
 public:
  explicit NftablesConnector(NftablesTarget target);
  ~NftablesConnector();
  NftablesConnector(const NftablesConnector&) = delete;
  NftablesConnector& operator=(const NftablesConnector&) = delete;

  // Atomically replaces both sets' contents with the list's addresses and CIDRs.
  Expected<NftApplyReport> Replace(const Blocklist& list);
  Status Add(const Indicator& address_or_cidr);
  Status Remove(const Indicator& address_or_cidr);
  // Current elements of both sets as text ("10.0.0.0/24", "192.0.2.1"), as nft lists them.
  Expected<std::vector<std::string>> ListElements();
  // The nft script Replace() runs (also what the "nftables" exporter writes for `nft -f`).
  std::string ReplaceScript(const Blocklist& list, NftApplyReport* report = nullptr) const;

 private:
  Status Run(const std::string& commands);
  NftablesTarget target_;
  struct nft_ctx* ctx_ = nullptr;
};

}  // namespace mamori::rse::blocklist
