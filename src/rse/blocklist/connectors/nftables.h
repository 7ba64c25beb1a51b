// nftables connector: keeps mamori's four named sets in an nftables table in step with a
// Blocklist, without shelling out. Tables and sets are declared through libnftables (the library
// `nft` itself uses); elements go straight to the kernel over netlink (NftNetlink,
// nft_netlink.h), because libnftables 1.0.6 needs a minute for a single element change in a set
// of a million.
//
// The sets (NftSetNames, exporters/nftables_script.h): single addresses in a hash set per
// family (`mamori_block`, `mamori_block_v6`: no flags, so a change costs the same whatever the
// set's size), networks in an interval set per family (`mamori_block_net`,
// `mamori_block_v6_net`: `flags interval`, a CIDR is one element). Which entry goes where is
// NftElementsOf(), shared with the "nftables" exporter; an address inside a listed network is
// left out (the network blocks it), so every address or network is in exactly one set. Rules
// must match both sets of a family (docs/formats/nftables.md).
//
// Replace() creates the table and the four sets if absent and swaps their contents in one
// nf_tables transaction (flush + add of all four in one netlink batch), so the kernel never sees
// a half list: either the whole new list applies, or the contents of all four stay as they were
// and the error is returned. Add()/Remove() change single elements for automatic responses.
//
// The connector acts in the network namespace the calling process is in when it first changes a
// set, needs CAP_NET_ADMIN there, and is not thread-safe (one libnftables context, one netlink
// socket and reused buffers per connector); use one per thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/indicator.h"
#include "rse/blocklist/blocklist.h"
#include "rse/blocklist/exporters/nftables_script.h"

struct nft_ctx;  // libnftables' context (nftables/libnftables.h)

namespace mamori::rse::blocklist {

class NftNetlink;
struct NftSetName;

struct NftablesTarget {
  std::string family = "inet";  // "inet", "ip", "ip6", "bridge" or "netdev"
  std::string table = "mamori";
  NftSetNames sets;  // mamori_block, mamori_block_net, mamori_block_v6, mamori_block_v6_net
};

// What Replace() put where: elements per set, and entries left out (covered, skipped).
using NftApplyReport = NftElementCounts;

class NftablesConnector {
 public:
  explicit NftablesConnector(NftablesTarget target);
  ~NftablesConnector();
  NftablesConnector(const NftablesConnector&) = delete;
  NftablesConnector& operator=(const NftablesConnector&) = delete;

  // Atomically replaces the four sets' contents with the list's addresses and CIDRs
  // (NftElementsOf()), creating the table and sets first if absent. On error the contents of all
  // four are unchanged (the table and empty sets may have been created). A set of the same name
  // with another type or flags (e.g. `mamori_block` as an interval set, the layout before the
  // split) is refused (kAlreadyExists) with what to do.
  Expected<NftApplyReport> Replace(const Blocklist& list);
  // Adds one address or CIDR (kIpv4, kIpv6 or kCidr; anything else is kInvalidArgument),
  // creating the table and sets if absent. An address (also a /32 or /128 CIDR) goes into the
  // family's hash set, unless a network of the interval set holds it already: then nothing
  // changes (one lookup in the interval set first). A network goes into the interval set. Adding
  // an element already in its set, or a network inside a network of the set, succeeds and
  // changes nothing; a network that overlaps networks of the set without being inside one is
  // refused (kAlreadyExists): interval sets hold no overlaps. Addresses of the hash set inside a
  // network added later stay there (harmless; the next Replace() leaves them out). A network
  // that reaches the last address (within 255.255.255.255/x or ffff:...:ffff/x) is only accepted
  // when already covered (kInvalidArgument otherwise): Replace() sets those.
  Status Add(const Indicator& address_or_cidr);
  // Removes exactly that element from its set (an address from the hash set, a network from the
  // interval set). Removing an element the set does not hold succeeds (nothing to do); note that
  // an address inside a network of the interval set stays blocked by the network. A missing
  // table or set is kNotFound.
  Status Remove(const Indicator& address_or_cidr);
  // Current elements of the four sets, set by set (IPv4 addresses, IPv4 networks, IPv6
  // addresses, IPv6 networks), each set in the order nft lists it, as text: "192.0.2.1",
  // "10.0.0.0/24", and "a-b" for a range that is not one prefix. A missing table or set is
  // kNotFound. Reads whole sets: meant for tests and inspection, slow for a million elements.
  Expected<std::vector<std::string>> ListElements();
  // The nft script for the same change as Replace(): NftReplaceScript()
  // (exporters/nftables_script.h), the text the "nftables" exporter writes for `nft -f`. Replace()
  // sends the same elements over netlink instead of running this text.
  std::string ReplaceScript(const Blocklist& list, NftApplyReport* report = nullptr) const;
  // Runs an nft script (e.g. an exported file) through libnftables as one transaction.
  Status RunScript(const std::string& script);

  // How long the phases of the last Replace() took, for benchmarks.
  struct ReplaceTimings {
    double elements_ms = 0;  // NftElementsOf(): parse, sort, choose
    double declare_ms = 0;   // declaring the table and sets through libnftables
    double build_ms = 0;     // building the netlink batch (NftNetlink)
    double kernel_ms = 0;    // sending it: the kernel's transaction, until its acknowledgement
    size_t batch_bytes = 0;
  };
  const ReplaceTimings& last_replace_timings() const { return timings_; }

 private:
  Status CheckTarget() const;
  // Declares the table and the four sets through libnftables (no change when they exist).
  Status DeclareSets();
  // The set a single element goes into: an address to the hash set of its family, a network to
  // the interval set.
  NftSetName SetFor(bool v4, bool host) const;
  // The netlink socket, opened on first use.
  Expected<NftNetlink*> Netlink();
  // Runs `commands`; returns libnftables' standard output (JSON when `json`).
  Expected<std::string> Run(const std::string& commands, bool json = false);
  Expected<std::vector<std::string>> ListSet(const std::string& set);
  NftablesTarget target_;
  ::nft_ctx* ctx_ = nullptr;
  std::unique_ptr<NftNetlink> netlink_;
  bool declared_ = false;  // DeclareSets() succeeded once: the sets have the expected types
  NftElements elements_;   // reused by every Replace()
  ReplaceTimings timings_;
};

}  // namespace mamori::rse::blocklist
