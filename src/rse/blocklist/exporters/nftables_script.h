// mamori's nftables sets: which element of a blocklist goes into which set (NftElementsOf), and
// the nft script that replaces the sets' contents (NftReplaceScript): what the "nftables"
// exporter writes for `nft -f FILE`. The nftables connector (connectors/nftables.h) sends the
// same elements, chosen by the same NftElementsOf(), over netlink, so an exported file and the
// connector leave the kernel with the same sets.
//
// Four sets in one table, because single addresses and networks need different set types for
// speed (docs/connectors.md, "Figures"): single addresses go into hash sets (no flags: constant-
// time changes whatever the size), networks into interval sets (`flags interval`, a CIDR is one
// element):
//
//   set mamori_block        { type ipv4_addr; }                  IPv4 addresses
//   set mamori_block_net    { type ipv4_addr; flags interval; }  IPv4 networks
//   set mamori_block_v6     { type ipv6_addr; }                  IPv6 addresses
//   set mamori_block_v6_net { type ipv6_addr; flags interval; }  IPv6 networks
//
// A firewall rule has to match both sets of a family (docs/formats/nftables.md).
// Interval sets refuse overlapping elements, and an address inside a listed network is blocked
// by the network, so a network inside another network of the list and an address inside a
// listed network are left out (counted as `covered`); each address or network is in exactly one
// set.
//
// The script declares the table and the four sets (a declaration of something that exists with
// the same definition changes nothing, so the script works on a fresh and on a running system),
// flushes the four sets and adds the elements, at most kNftElementsPerStatement per
// `add element` statement. nft applies one file as one transaction: either the whole new list is
// in place or nothing changed. Pure functions of their arguments; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip.h"
#include "rse/blocklist/blocklist.h"

namespace mamori::rse::blocklist {

// The names of the four sets. WithBase("x") gives x, x_net, x_v6, x_v6_net: the exporter names
// them from the profile's `set_name`, the connector by default from "mamori_block".
struct NftSetNames {
  std::string hosts_v4 = "mamori_block";
  std::string networks_v4 = "mamori_block_net";
  std::string hosts_v6 = "mamori_block_v6";
  std::string networks_v6 = "mamori_block_v6_net";

  static NftSetNames WithBase(std::string_view base);
};

struct NftElementCounts {
  int64_t v4_hosts = 0;     // elements of the IPv4 address (hash) set
  int64_t v4_networks = 0;  // elements of the IPv4 network (interval) set
  int64_t v6_hosts = 0;
  int64_t v6_networks = 0;
  int64_t covered = 0;  // addresses/networks left out: inside a listed network, or listed twice
  int64_t skipped = 0;  // entries that are not addresses or CIDRs (domains, URLs, hashes)

  int64_t v4_elements() const { return v4_hosts + v4_networks; }
  int64_t v6_elements() const { return v6_hosts + v6_networks; }
};

// The contents of the four sets, each ascending. Networks are CIDRs shorter than the address
// (a /32 or /128 entry is an address), none inside another; no address lies inside a network.
struct NftElements {
  std::vector<uint32_t> hosts_v4;  // host byte order (IpAddress::v4())
  std::vector<Cidr> networks_v4;
  std::vector<IpAddress> hosts_v6;
  std::vector<Cidr> networks_v6;
  NftElementCounts counts;
};

// Chooses the elements of the four sets from the list's addresses and CIDRs (entries of type
// kIpv4, kIpv6, kCidr; anything else, or a value that does not parse, is skipped). Fills `out`,
// reusing its vectors' allocations (the connector keeps one NftElements for every Replace).
void NftElementsOf(const Blocklist& list, NftElements& out);
NftElements NftElementsOf(const Blocklist& list);

inline constexpr size_t kNftElementsPerStatement = 1000;

// True for a name nft accepts unquoted as a table or set name: a letter or '_' first, then
// letters, digits, '_', '.', '-'; at most 255 characters. (nft keywords such as "flush" pass
// this check yet do not parse; the default names are not keywords.)
bool IsNftIdentifier(std::string_view name);

// The declarations of the table and the four sets, as nft reads them (the first part of
// NftReplaceScript(); the connector declares its sets with this text).
std::string NftDeclareScript(const std::string& family, const std::string& table,
                             const NftSetNames& sets);

// `family` is an nft address family ("inet", "ip", "ip6", "bridge", "netdev"); `table` and the
// set names must pass IsNftIdentifier() — the caller checks, the script does not quote.
// `counts` may be null.
std::string NftReplaceScript(const Blocklist& list, const std::string& family,
                             const std::string& table, const NftSetNames& sets,
                             NftElementCounts* counts);

}  // namespace mamori::rse::blocklist
