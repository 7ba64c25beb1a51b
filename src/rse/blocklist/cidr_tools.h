// IP lists for `mamori cidr`: read addresses, CIDRs and ranges fast, merge them, and print the
// result as CIDRs the way FireHOL's `iprange` does.
//
// Input (docs/formats/cidr-list.md): one entry per line — IPv4, IPv4/prefix (or /netmask),
// IPv4 range `a.b.c.d-e.f.g.h` (spaces around `-` allowed), IPv6, IPv6/prefix, IPv6 range;
// blank lines and `#`/`;` comments (whole line or after the entry) are skipped; CRLF and a
// UTF-8 BOM are accepted. Host bits of a CIDR are cleared (10.1.2.3/8 is 10.0.0.0/8). Invalid
// lines are counted and the first ones kept with file name and line number; a file is an error
// only when it has invalid lines and not a single valid one.
//
// IPv4 takes a hand-written path (mmap, no inet_pton, no per-line allocation, radix sort,
// 8 bytes per range, output streamed in chunks); IPv6 uses core/ip.h and AddressRangeSet.
// Set algebra (diff) goes through AddressRangeSet. The measured figure is in cidr_tools.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/address_range_set.h"
#include "core/error.h"

namespace mamori::rse::blocklist {

enum class FamilyFilter { kAll, kV4Only, kV6Only };

struct IpListError {
  std::string file;
  int64_t line = 0;
  std::string reason;
  std::string excerpt;           // the start of the line
  std::string ToString() const;  // "file:line: reason [excerpt]"
};

struct IpListStats {
  int64_t lines = 0;       // lines read
  int64_t skipped = 0;     // blank and comment lines
  int64_t entries_v4 = 0;  // valid addresses, CIDRs and ranges (what `iprange -C` calls entries)
  int64_t entries_v6 = 0;
  int64_t filtered = 0;  // valid entries of the family left out by the filter (not counted above)
  int64_t host_bits_cleared = 0;  // CIDRs written with host bits set
  int64_t invalid = 0;
  std::vector<IpListError> first_errors;  // the first kMaxReportedErrors invalid lines

  static constexpr size_t kMaxReportedErrors = 10;
  int64_t entries() const { return entries_v4 + entries_v6; }
};

// Merged addresses: sorted, disjoint, non-adjacent ranges. IPv4 ranges are packed into 8 bytes
// (first << 32 | last) so that a list of millions stays small and fast to print.
struct IpRanges {
  std::vector<uint64_t> v4;
  std::vector<AddressRange> v6;

  static IpRanges FromSet(const AddressRangeSet& set);
  AddressRangeSet ToSet() const;
  bool empty() const { return v4.empty() && v6.empty(); }

  uint64_t CountV4() const;  // addresses
  // Exact decimal address counts (::/0 has 2^128, which AddressValue cannot hold).
  std::string CountV6String() const;
  std::string CountString() const;  // IPv4 + IPv6
  // Number of CIDRs in the minimal cover printed by WriteIpRanges(kCidrs).
  size_t CidrCountV4() const;
  size_t CidrCountV6() const;
};

// Collects the entries of one or more lists; Finish() sorts and merges them. Not thread-safe.
class IpListReader {
 public:
  explicit IpListReader(FamilyFilter filter = FamilyFilter::kAll) : filter_(filter) {}

  // Parses `text`, the whole content of `name` (used in error positions). Fails (kInvalidArgument,
  // context `name`) only when the text has invalid lines and no valid entry; the entries of
  // the valid lines are kept either way.
  Status Parse(std::string_view text, std::string_view name);
  // Reads a whole file (mmap, or one read) and parses it; "-" is standard input.
  Status ReadFile(const std::string& path);

  // The union of everything read. Leaves the reader empty; stats() stays.
  IpRanges Finish();
  const IpListStats& stats() const { return stats_; }

 private:
  // `[begin, end)` must end with '\n'.
  Status ParseLines(const char* begin, const char* end, std::string_view name);
  void AddInvalid(std::string_view name, int64_t line, std::string_view reason,
                  std::string_view text);

  FamilyFilter filter_;
  IpListStats stats_;
  std::vector<uint64_t> v4_;  // first << 32 | last, unsorted
  AddressRangeSet v6_;
};

// Reads the files (stdin for "-"; stdin when `paths` is empty) into one merged list.
Expected<IpRanges> ReadIpLists(const std::vector<std::string>& paths, FamilyFilter filter,
                               IpListStats* stats);

enum class ListStyle {
  // The minimal CIDR cover, one per line, IPv4 first, ascending: byte for byte what
  // `iprange --optimize` prints for IPv4 (single hosts without /32; IPv6 without /128).
  kCidrs,
  // One `first-last` line per range, like `iprange -j` (a single host as `a-a`).
  kRanges,
};

// Writes the lines to `fd` in 1 MiB chunks; `line_prefix` starts every line (diff's -/+).
Status WriteIpRanges(const IpRanges& ranges, ListStyle style, int fd,
                     std::string_view line_prefix = {});
// The same text as a string.
std::string FormatIpRanges(const IpRanges& ranges, ListStyle style,
                           std::string_view line_prefix = {});

}  // namespace mamori::rse::blocklist
