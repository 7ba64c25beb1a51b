#include "core/address_range_set.h"

#include <algorithm>

namespace mamori {

namespace {

constexpr AddressValue kMaxV6 = ~AddressValue{0};
constexpr AddressValue kMaxV4 = 0xFFFFFFFFu;

// Sorts by `first` and merges overlapping and adjacent ranges in place.
void SortAndMerge(std::vector<AddressRange>& ranges) {
  if (ranges.empty()) return;
  // Sets built from already merged input (IpListReader, Minus) arrive sorted: check in one pass.
  if (!std::is_sorted(ranges.begin(), ranges.end())) std::sort(ranges.begin(), ranges.end());
  size_t out = 0;
  for (size_t i = 1; i < ranges.size(); ++i) {
    AddressRange& cur = ranges[out];
    const AddressRange& next = ranges[i];
    // `cur.last + 1` would overflow at the top of the space; everything after merges then.
    if (cur.last == kMaxV6 || next.first <= cur.last + 1) {
      if (next.last > cur.last) cur.last = next.last;
    } else {
      ranges[++out] = next;
    }
  }
  ranges.resize(out + 1);
}

// Index of the range that could hold `value` (the last one with first <= value), or -1.
ptrdiff_t FindFloor(const std::vector<AddressRange>& ranges, AddressValue value) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), value,
                             [](AddressValue v, const AddressRange& r) { return v < r.first; });
  return (it - ranges.begin()) - 1;
}

bool RangesIntersect(const std::vector<AddressRange>& ranges, AddressValue first,
                     AddressValue last) {
  // The last range starting at or before `last` is the only candidate: ranges are disjoint and
  // sorted, so an earlier one ends before this one starts.
  ptrdiff_t i = FindFloor(ranges, last);
  return i >= 0 && ranges[static_cast<size_t>(i)].last >= first;
}

int CountTrailingZeros(AddressValue v, int bits) {
  if (v == 0) return bits;
  int n = 0;
  uint64_t low = static_cast<uint64_t>(v);
  if (low == 0) {
    n = 64;
    low = static_cast<uint64_t>(v >> 64);
  }
  return n + __builtin_ctzll(low);
}

// floor(log2(v)) for v > 0.
int Log2Floor(AddressValue v) {
  uint64_t high = static_cast<uint64_t>(v >> 64);
  if (high != 0) return 64 + 63 - __builtin_clzll(high);
  return 63 - __builtin_clzll(static_cast<uint64_t>(v));
}

// Appends the minimal CIDR cover of [first, last] (greedy: the largest aligned block that starts
// at `first` and does not pass `last`, repeated).
void AppendCidrs(AddressValue first, AddressValue last, IpFamily family, std::vector<Cidr>& out) {
  const int bits = family == IpFamily::kV4 ? 32 : 128;
  const AddressValue top = family == IpFamily::kV4 ? kMaxV4 : kMaxV6;
  while (true) {
    int align = CountTrailingZeros(first, bits);
    AddressValue span = last - first;  // size - 1; size itself may not fit
    int fit = span == top ? bits : Log2Floor(span + 1);
    int k = std::min(align, fit);
    out.push_back(Cidr::Of(FromAddressValue(first, family), bits - k));
    if (k == bits) return;
    AddressValue block_last = first + ((AddressValue{1} << k) - 1);
    if (block_last >= last) return;
    first = block_last + 1;
  }
}

AddressValue CountOf(const std::vector<AddressRange>& ranges) {
  AddressValue total = 0;
  for (const auto& r : ranges) {
    AddressValue size_minus_1 = r.last - r.first;
    // The whole IPv6 space has 2^128 addresses, one more than fits: saturate.
    if (size_minus_1 == kMaxV6 || total + size_minus_1 + 1 < total) return kMaxV6;
    total += size_minus_1 + 1;
  }
  return total;
}

std::vector<AddressRange> MinusRanges(const std::vector<AddressRange>& a,
                                      const std::vector<AddressRange>& b) {
  std::vector<AddressRange> out;
  size_t j = 0;
  for (const auto& r : a) {
    AddressValue first = r.first;
    const AddressValue last = r.last;
    bool done = false;
    while (j < b.size() && b[j].last < first) ++j;
    for (size_t k = j; k < b.size() && b[k].first <= last; ++k) {
      if (b[k].first > first) out.push_back({first, b[k].first - 1});
      if (b[k].last >= last) {
        done = true;
        break;
      }
      first = b[k].last + 1;
    }
    if (!done) out.push_back({first, last});
  }
  return out;
}

std::vector<AddressRange> IntersectRanges(const std::vector<AddressRange>& a,
                                          const std::vector<AddressRange>& b) {
  std::vector<AddressRange> out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    AddressValue first = std::max(a[i].first, b[j].first);
    AddressValue last = std::min(a[i].last, b[j].last);
    if (first <= last) out.push_back({first, last});
    if (a[i].last < b[j].last) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

}  // namespace

AddressValue ToAddressValue(const IpAddress& address) {
  if (address.is_v4()) return address.v4();
  AddressValue v = 0;
  for (uint8_t byte : address.bytes()) v = (v << 8) | byte;
  return v;
}

IpAddress FromAddressValue(AddressValue value, IpFamily family) {
  if (family == IpFamily::kV4) return IpAddress::FromV4(static_cast<uint32_t>(value));
  std::array<uint8_t, 16> bytes{};
  for (int i = 15; i >= 0; --i) {
    bytes[static_cast<size_t>(i)] = static_cast<uint8_t>(value);
    value >>= 8;
  }
  return IpAddress::FromV6(bytes);
}

std::string AddressCountToString(AddressValue count) {
  if (count == 0) return "0";
  std::string digits;
  while (count != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(count % 10)));
    count /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

void AddressRangeSet::Add(const Cidr& cidr) {
  AddressValue first = ToAddressValue(cidr.network());
  AddressValue last = ToAddressValue(cidr.LastAddress());
  if (cidr.network().is_v4()) {
    AddV4(static_cast<uint32_t>(first), static_cast<uint32_t>(last));
  } else {
    AddV6(first, last);
  }
}

void AddressRangeSet::Add(const IpAddress& address) {
  AddressValue v = ToAddressValue(address);
  if (address.is_v4()) {
    AddV4(static_cast<uint32_t>(v), static_cast<uint32_t>(v));
  } else {
    AddV6(v, v);
  }
}

void AddressRangeSet::AddV4(uint32_t first, uint32_t last) {
  v4_.push_back({first, last});
  normalized_ = false;
}

void AddressRangeSet::AddV6(AddressValue first, AddressValue last) {
  v6_.push_back({first, last});
  normalized_ = false;
}

void AddressRangeSet::Normalize() {
  if (normalized_) return;
  SortAndMerge(v4_);
  SortAndMerge(v6_);
  normalized_ = true;
}

bool AddressRangeSet::Contains(const IpAddress& address) const {
  AddressValue v = ToAddressValue(address);
  return address.is_v4() ? RangesIntersect(v4_, v, v) : RangesIntersect(v6_, v, v);
}

bool AddressRangeSet::Intersects(const Cidr& cidr) const {
  AddressValue first = ToAddressValue(cidr.network());
  AddressValue last = ToAddressValue(cidr.LastAddress());
  return cidr.network().is_v4() ? RangesIntersect(v4_, first, last)
                                : RangesIntersect(v6_, first, last);
}

bool AddressRangeSet::IntersectsV4(uint32_t first, uint32_t last) const {
  return RangesIntersect(v4_, first, last);
}

bool AddressRangeSet::IntersectsV6(AddressValue first, AddressValue last) const {
  return RangesIntersect(v6_, first, last);
}

std::vector<Cidr> AddressRangeSet::ToCidrs() const {
  std::vector<Cidr> out;
  out.reserve(v4_.size() + v6_.size());
  for (const auto& r : v4_) AppendCidrs(r.first, r.last, IpFamily::kV4, out);
  for (const auto& r : v6_) AppendCidrs(r.first, r.last, IpFamily::kV6, out);
  return out;
}

AddressRangeSet AddressRangeSet::Minus(const AddressRangeSet& other) const {
  AddressRangeSet out;
  out.v4_ = MinusRanges(v4_, other.v4_);
  out.v6_ = MinusRanges(v6_, other.v6_);
  return out;
}

AddressRangeSet AddressRangeSet::Intersect(const AddressRangeSet& other) const {
  AddressRangeSet out;
  out.v4_ = IntersectRanges(v4_, other.v4_);
  out.v6_ = IntersectRanges(v6_, other.v6_);
  return out;
}

AddressValue AddressRangeSet::CountV4() const { return CountOf(v4_); }
AddressValue AddressRangeSet::CountV6() const { return CountOf(v6_); }

}  // namespace mamori
