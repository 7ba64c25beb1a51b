// Elements of nftables sets, written straight to the kernel over netlink: libmnl owns the socket
// and writes the element attributes, libnftnl the message headers and the parsing of replies. The
// nftables connector uses it for its data path because libnftables 1.0.6 (the `nft` front end)
// merges every `add element` statement in user space and fetches the whole content of every
// interval set before each element change: a minute per single add with a million elements
// (docs/connectors.md, "Figures").
//
// Everything here talks to existing sets of type ipv4_addr or ipv6_addr; creating tables and
// sets is left to libnftables. In a hash set (no flags) an element is one address, sent as its
// key. In an interval set (`flags interval`) an element is a CIDR, sent the way nft sends it for
// such a set: its first address as an interval start, and the address after its last as an
// element flagged NFT_SET_ELEM_INTERVAL_END (none when the CIDR reaches the top of the address
// space). Every call is one netlink batch, which the kernel applies as one transaction: on error
// nothing changed.
//
// NftNetlink owns one netfilter netlink socket, opened in the network namespace of the thread
// that calls Open(). Not thread-safe; use one per thread. Needs CAP_NET_ADMIN in that namespace.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/ip.h"

struct mnl_socket;  // libmnl
struct nlmsghdr;    // linux/netlink.h

namespace mamori::rse::blocklist {

namespace nft_detail {
struct Batch;
struct Request;
struct Reply;
}  // namespace nft_detail

// Where elements go: family ("inet", "ip", "ip6", "bridge", "netdev"), table and set name.
struct NftSetName {
  std::string family;
  std::string table;
  std::string set;
};

// The whole new content of one set, viewed, not owned (the vectors it points into must outlive
// the call). A hash set holds addresses: `hosts_v4` (host byte order) for a set of type
// ipv4_addr, `hosts_v6` for ipv6_addr. An interval set holds `networks`: CIDRs of the set's
// family, sorted (Cidr's order) and not overlapping one another.
struct NftSetContents {
  enum class Kind { kHostsV4, kHostsV6, kNetworks };
  NftSetName name;
  Kind kind = Kind::kNetworks;
  std::span<const uint32_t> hosts_v4;
  std::span<const IpAddress> hosts_v6;
  std::span<const Cidr> networks;

  size_t size() const;
};

class NftNetlink {
 public:
  // Opens the socket. kRejected without the right to open a netfilter netlink socket.
  static Expected<std::unique_ptr<NftNetlink>> Open();
  ~NftNetlink();
  NftNetlink(const NftNetlink&) = delete;
  NftNetlink& operator=(const NftNetlink&) = delete;

  // One transaction: every set in `sets` is flushed and filled with its elements. Errors name
  // the set and, when the kernel points at one, the element: kNotFound (table or set missing),
  // kAlreadyExists (overlapping elements), kTooLarge (the set's `size` is reached, or the batch
  // exceeds what the socket may send), kRejected (no CAP_NET_ADMIN), kInvalidArgument (a set of
  // another type).
  Status Replace(std::span<const NftSetContents> sets);
  // Adds one element: an address to a hash set (`interval` false; `element` must be a host
  // CIDR), a CIDR to an interval set. Adding an identical element succeeds and changes nothing;
  // an element that overlaps another one of an interval set is kAlreadyExists; a missing table
  // or set is kNotFound.
  Status Add(const NftSetName& set, const Cidr& element, bool interval);
  // Deletes exactly that element (in an interval set: start and end). kNotFound when the set
  // holds no such element, or when the table or set is missing (SetExists() tells which).
  Status Delete(const NftSetName& set, const Cidr& element, bool interval);
  // True when one element (interval) of the interval set holds all of `cidr`. Asks the kernel
  // for the interval around the CIDR's first address (and its last, for a network); no listing
  // of the set.
  Expected<bool> Covers(const NftSetName& set, const Cidr& cidr);
  // Whether the table holds a set of that name (kNotFound is `false`, not an error).
  Expected<bool> SetExists(const NftSetName& set);

  // The last batch sent (Replace, Add, Delete): time to build its messages, time from sending
  // it to the kernel's last reply, and its size. For benchmarks.
  struct BatchTimings {
    double build_ms = 0;
    double kernel_ms = 0;
    size_t bytes = 0;
  };
  const BatchTimings& last_batch() const { return last_batch_; }

 private:
  explicit NftNetlink(mnl_socket* socket);
  uint32_t NextSeq() { return seq_++; }
  // Builds one batch (BEGIN, what `fill` adds, END), sends it, and turns the first error the
  // kernel reports into an Error naming the set and element.
  Status Run(const std::function<Status(nft_detail::Batch&)>& fill);
  Status AppendElements(nft_detail::Batch& batch, uint16_t type, const NftSetContents& set,
                        bool leading_end, uint16_t flags);
  Status AppendFlush(nft_detail::Batch& batch, const NftSetContents& set);
  Status Send(const nft_detail::Batch& batch, uint32_t begin_seq, uint32_t ack_seq);
  // Sends one request outside a batch (a query) and passes the answer's messages to its
  // on_data; a negative answer (e.g. ENOENT) is the error.
  Status Ask(nft_detail::Request& request);
  // Every reply queued on the socket; data messages go to `on_data`.
  Expected<std::vector<nft_detail::Reply>> ReadReplies(
      const std::function<void(const nlmsghdr*)>& on_data);
  Expected<std::optional<std::array<uint8_t, 16>>> IntervalStart(const NftSetName& set,
                                                                 const std::array<uint8_t, 16>& key,
                                                                 uint32_t len);

  std::unique_ptr<mnl_socket, void (*)(mnl_socket*)> socket_;
  uint32_t port_id_ = 0;
  uint32_t seq_ = 0;
  BatchTimings last_batch_;
};

}  // namespace mamori::rse::blocklist
