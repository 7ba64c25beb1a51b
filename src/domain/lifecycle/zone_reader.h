// Reads a zone snapshot — the names registered under a TLD on one day — for
// store::Store::ApplyZoneSnapshot. docs/formats/zone-snapshot.md describes the inputs: a plain
// list of names (one per line), or a DNS master file (RFC 1035 §5, as ICANN CZDS serves them)
// whose registered names are the owners of NS records strictly below the zone apex. Names are
// deduplicated; malformed lines are counted in the report and skipped.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "domain/ingest/report.h"
#include "store/domain_records.h"

namespace mamori::domain::lifecycle {

struct ZoneSnapshot {
  std::string zone;  // "com": options.name, else the first $ORIGIN, else the file name
  store::Day day = 0;
  std::vector<std::string> domains;  // full names ("example.com"), sorted, unique
};

Expected<ZoneSnapshot> ReadZoneSnapshot(const std::string& path,
                                        const ingest::IngestOptions& options,
                                        ingest::IngestReport& report);

}  // namespace mamori::domain::lifecycle
