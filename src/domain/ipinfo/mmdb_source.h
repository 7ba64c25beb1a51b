// MmdbSource: an IpInfoSource over one MaxMind DB file, read through libmaxminddb
// (docs/formats/ip-asn.md). Reads `autonomous_system_number` and
// `autonomous_system_organization` (GeoLite2-ASN, DB-IP ASN lite) and `country.iso_code`, else
// `registered_country.iso_code` (GeoLite2-Country / City, DB-IP country lite); any of them may
// be absent. The file is memory-mapped; the source owns the mapping until destroyed.
// Immutable after Open; libmaxminddb lookups on an opened database are thread-safe, so Lookup
// may be called from any number of threads.
#pragma once

#include <maxminddb.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "domain/ipinfo/ip_info.h"

namespace mamori::domain::ipinfo {

class MmdbSource final : public IpInfoSource {
 public:
  // kIo when the file cannot be opened; kCorrupt when it is not a MaxMind DB (no valid
  // metadata) or its search tree is broken. The error names `path`.
  static Expected<std::unique_ptr<MmdbSource>> Open(const std::string& path);
  ~MmdbSource() override;
  MmdbSource(const MmdbSource&) = delete;
  MmdbSource& operator=(const MmdbSource&) = delete;

  std::optional<IpInfo> Lookup(const IpAddress& address) const override;

  std::string database_type() const;  // metadata "database_type", e.g. "GeoLite2-ASN"
  int ip_version() const { return mmdb_.metadata.ip_version; }
  uint32_t node_count() const { return mmdb_.metadata.node_count; }

 private:
  MmdbSource() = default;
  MMDB_s mmdb_{};
  bool open_ = false;
};

}  // namespace mamori::domain::ipinfo
