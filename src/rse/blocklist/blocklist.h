// Blocklist: the result of one build for one device profile, ready to export.
//
// Produced by the selector (selector.h) from scored indicators; consumed by the exporters
// (exporters/exporter.h), the connectors (connectors/) and the EDL endpoint of `mamori serve`.
// Entries are in a deterministic order (indicator type, then value) so that two builds from
// the same data render byte-identical files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/indicator.h"

namespace mamori::rse::blocklist {

struct BlocklistEntry {
  // What the device blocks. An aggregate chosen by the selector is a kCidr entry that covers
  // several listed indicators; a listed IPv4 host stays kIpv4 (exporters write it without /32).
  Indicator indicator;
  double priority = 0;             // 0..100 for one indicator; sum over covered ones for aggregates
  std::string category;            // dominant category of what it covers ("c2", "malware", ...)
  std::vector<std::string> sources;  // names of the sources listing what it covers, sorted
  int64_t covered = 1;             // listed indicators this entry stands for (aggregates: > 1)
  bool wildcard = false;           // a domain entry that also blocks every name below it
};

struct Blocklist {
  std::string profile;   // device profile name
  UnixSeconds built_at = 0;
  std::vector<BlocklistEntry> entries;  // sorted by (indicator.type, indicator.value)
};

// Sorts entries into the canonical order described above.
void SortCanonical(std::vector<BlocklistEntry>& entries);

}  // namespace mamori::rse::blocklist
