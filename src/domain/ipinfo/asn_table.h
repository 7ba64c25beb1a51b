// AsnTable: an IP-range → ASN/country table in the iptoasn.com TSV format
// (docs/formats/ip-asn.md): `range_start \t range_end \t AS_number \t country_code \t
// AS_description`, IPv4 and IPv6 ranges (one file may hold both), AS_number 0 = not routed.
//
// Ranges are kept in sorted arrays per family and found by binary search (feature extraction
// looks up every address of every domain; bench/ipinfo_lookup.cc measures it). Malformed lines
// are counted and skipped; overlapping ranges make the whole file fail, since the answer for an
// address in both would depend on the order. Immutable after loading; Lookup is thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/ipinfo/internal/address.h"
#include "domain/ipinfo/ip_info.h"

namespace mamori::domain::ipinfo {

struct AsnTableLoadReport {
  uint64_t lines = 0;            // every line, blank and comment lines included
  uint64_t ranges = 0;           // routed ranges kept
  uint64_t not_routed = 0;       // AS_number 0 lines (skipped: no info)
  uint64_t malformed_lines = 0;  // skipped
  static constexpr size_t kMaxExamples = 10;
  std::vector<std::string> malformed_examples;  // the first kMaxExamples, "origin:line: reason"
};

class AsnTable final : public IpInfoSource {
 public:
  // Parses TSV text; `origin` (a path) names the input in errors: "<origin>:<line>".
  // kCorrupt when two ranges overlap, or when no line at all is a valid range.
  static Expected<AsnTable> Parse(std::string_view text, std::string_view origin,
                                  AsnTableLoadReport* report = nullptr);
  // Reads `path`, plain text or gzip (ip2asn-v4.tsv.gz as downloaded), and parses it.
  static Expected<AsnTable> Load(const std::string& path, AsnTableLoadReport* report = nullptr);

  std::optional<IpInfo> Lookup(const IpAddress& address) const override;

  size_t v4_ranges() const { return v4_starts_.size(); }
  size_t v6_ranges() const { return v6_starts_.size(); }

 private:
  // What a range maps to. Stored beside the range's end, and the organisation names in one
  // buffer, so a lookup touches few cache lines: the bucket, the starts, the entry, the name.
  struct Info {
    uint32_t asn = 0;
    uint32_t org_offset = 0;   // into org_chars_
    uint16_t org_length = 0;   // longer descriptions are cut to 65,535 bytes
    char country[2] = {0, 0};  // {0,0} = unknown
  };
  template <typename Key>
  struct Entry {
    Key end;
    Info info;
  };
  friend class AsnTableBuilder;

  IpInfo MakeInfo(const Info& info) const;
  void BuildIndexes();

  // The starts alone are searched, so they are kept dense. `vN_bucket_[h]` is the first range
  // whose start has top 16 bits >= h (65,537 entries): a lookup binary-searches only the ranges
  // of its bucket instead of ~19 cache-missing steps over the whole array.
  std::vector<uint32_t> v4_starts_;
  std::vector<Entry<uint32_t>> v4_entries_;
  std::vector<internal::U128> v6_starts_;
  std::vector<Entry<internal::U128>> v6_entries_;
  std::vector<uint32_t> v4_bucket_, v6_bucket_;
  std::string org_chars_;  // distinct organisation names, concatenated
};

}  // namespace mamori::domain::ipinfo
