// The nft script that replaces the contents of mamori's nftables sets: what the "nftables"
// exporter writes for `nft -f FILE`, and what the nftables connector hands to libnftables.
//
// The script declares the table and both interval sets (a declaration of something that exists
// with the same definition changes nothing, so the script works on a fresh and on a running
// system), flushes both sets and adds the list's addresses and CIDRs, IPv4 to `set_v4`, IPv6 to
// `set_v6`, at most kNftElementsPerStatement elements per `add element` statement. nft applies
// one file as one transaction: either the whole new list is in place or nothing changed.
//
// Interval sets refuse overlapping elements ("conflicting intervals specified"), so an address
// or CIDR inside another CIDR of the same list is left out (it is blocked by the covering one)
// and counted as `covered`. Pure function of its arguments; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "rse/blocklist/blocklist.h"

namespace mamori::rse::blocklist {

struct NftScriptCounts {
  int64_t v4_elements = 0;  // elements added to set_v4
  int64_t v6_elements = 0;  // elements added to set_v6
  int64_t covered = 0;      // addresses/CIDRs left out because another CIDR of the list holds them
  int64_t skipped = 0;      // entries that are not addresses or CIDRs (domains, URLs, hashes)
};

inline constexpr size_t kNftElementsPerStatement = 1000;

// True for a name nft accepts unquoted as a table or set name: a letter or '_' first, then
// letters, digits, '_', '.', '-'; at most 255 characters. (nft keywords such as "flush" pass
// this check yet do not parse; the default names are not keywords.)
bool IsNftIdentifier(std::string_view name);

// `family` is an nft address family ("inet", "ip", "ip6", "bridge", "netdev"); `table`, `set_v4`
// and `set_v6` must pass IsNftIdentifier() — the caller checks, the script does not quote.
// `counts` may be null.
std::string NftReplaceScript(const Blocklist& list, const std::string& family,
                             const std::string& table, const std::string& set_v4,
                             const std::string& set_v6, NftScriptCounts* counts);

}  // namespace mamori::rse::blocklist
