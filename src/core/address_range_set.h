// AddressRangeSet: a set of IPv4 and IPv6 addresses held as sorted, disjoint, non-adjacent
// inclusive ranges. The building block of CIDR merging (`mamori cidr`), allowlist checks
// ("does this candidate CIDR contain a protected address?") and blocklist aggregation.
//
// Add ranges in any order, then call Normalize() once (sort + merge, O(n log n)); queries
// need a normalized set and are O(log n). IPv4 and IPv6 are kept apart: an IPv4-mapped IPv6
// address is IPv6 here. Immutable after Normalize(), so queries are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/ip.h"

namespace mamori {

// Unsigned 128-bit address value; IPv4 uses the low 32 bits.
using AddressValue = unsigned __int128;

struct AddressRange {
  AddressValue first = 0;
  AddressValue last = 0;  // inclusive
  auto operator<=>(const AddressRange&) const = default;
};

AddressValue ToAddressValue(const IpAddress& address);
IpAddress FromAddressValue(AddressValue value, IpFamily family);
// Decimal text of a 128-bit count (for "how many addresses" reports).
std::string AddressCountToString(AddressValue count);

class AddressRangeSet {
 public:
  void Add(const Cidr& cidr);
  void Add(const IpAddress& address);
  // Raw ranges; `first <= last` required.
  void AddV4(uint32_t first, uint32_t last);
  void AddV6(AddressValue first, AddressValue last);
  // Sorts and merges overlapping and adjacent ranges. Idempotent.
  void Normalize();

  // Queries (need Normalize()).
  bool Contains(const IpAddress& address) const;
  // True when any address of `cidr` is in the set.
  bool Intersects(const Cidr& cidr) const;
  bool IntersectsV4(uint32_t first, uint32_t last) const;
  bool IntersectsV6(AddressValue first, AddressValue last) const;

  // The smallest list of CIDRs covering exactly the set, IPv4 first, ascending — the same
  // list `iprange --optimize` prints for IPv4.
  std::vector<Cidr> ToCidrs() const;
  // Set algebra on normalized sets; results are normalized.
  AddressRangeSet Minus(const AddressRangeSet& other) const;
  AddressRangeSet Intersect(const AddressRangeSet& other) const;

  const std::vector<AddressRange>& v4() const { return v4_; }
  const std::vector<AddressRange>& v6() const { return v6_; }
  AddressValue CountV4() const;  // addresses in the set
  AddressValue CountV6() const;
  bool empty() const { return v4_.empty() && v6_.empty(); }

 private:
  std::vector<AddressRange> v4_;
  std::vector<AddressRange> v6_;
  bool normalized_ = true;
};

}  // namespace mamori
