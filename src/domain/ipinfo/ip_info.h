// IP address → autonomous system and country, for domain reputation (issue 5): a domain's
// resolved addresses are turned into distinct ASNs and countries, and the ASNs are compared with
// those earlier malicious domains used.
//
// `IpInfoSource` is the lookup interface. Two kinds of file back it (docs/formats/ip-asn.md):
// iptoasn.com TSV prefix tables (domain/ipinfo/asn_table.h) and MaxMind DB files such as
// GeoLite2-ASN / GeoLite2-Country / DB-IP lite (domain/ipinfo/mmdb_source.h). `OpenIpInfo`
// picks the reader for each file by its content and chains them. Every source is immutable
// after it is opened; `Lookup` is const and safe to call from any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/ip.h"

namespace mamori::domain::ipinfo {

struct IpInfo {
  uint32_t asn = 0;     // 0 = unknown
  std::string as_org;   // organisation of `asn` as the source names it; may be empty
  std::string country;  // ISO 3166 alpha-2, upper case ("US", also "EU", "AP"); "" unknown

  bool operator==(const IpInfo&) const = default;
};

class IpInfoSource {
 public:
  virtual ~IpInfoSource() = default;
  // What the source knows about `address`, or nullopt when it knows nothing (not routed, not in
  // the file, wrong family). IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are looked up as the
  // IPv4 address they carry.
  virtual std::optional<IpInfo> Lookup(const IpAddress& address) const = 0;
};

// What OpenIpInfo read from each file; for the caller to log.
struct IpInfoFileReport {
  enum class Kind { kTable, kMmdb };
  std::string path;
  Kind kind = Kind::kTable;
  std::string description;       // MMDB: database_type ("GeoLite2-ASN"); table: "iptoasn TSV"
  uint64_t entries = 0;          // table: routed ranges kept; MMDB: search-tree nodes
  uint64_t malformed_lines = 0;  // table only
  std::vector<std::string> malformed_examples;  // table only: the first few, "file:line: reason"
};

// Opens every file of `paths` — each either a MaxMind DB (recognised by its metadata marker
// "\xAB\xCD\xEFMaxMind.com") or an iptoasn TSV table (plain or gzip) — and chains them: for each
// address, the first file that knows the ASN gives `asn` and `as_org`, the first that knows the
// country gives `country`. Fails on the first file that cannot be read, naming it. `report`
// (optional) receives one entry per file, in order.
Expected<std::unique_ptr<IpInfoSource>> OpenIpInfo(const std::vector<std::string>& paths,
                                                   std::vector<IpInfoFileReport>* report = nullptr);

}  // namespace mamori::domain::ipinfo
