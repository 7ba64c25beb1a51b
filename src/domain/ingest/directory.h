// IngestEvidenceDirectory: reads a whole evidence directory into the store in the right order —
// the layout `mamori sim domains` writes (docs/domain-sim.md) and that a user can assemble from
// real exports:
//   pdns/dnsdb.jsonl  pdns/zeek/*.log (only with `zeek`)  popularity/<list>-YYYY-MM-DD.csv
//   zones/<tld>-YYYY-MM-DD.txt  rdap/rdap-YYYY-MM-DD.jsonl  labels.csv
//   blocklists/<feed>/<feed>-YYYY-MM-DD.txt  (plain lists, one domain per line)
// Daily files are applied in date order (file names sort by date). Each blocklist folder becomes
// an intel-store source named "<prefix><feed>" whose snapshots are applied at their dates, so
// its listing history is what the feed said day by day.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/ingest/report.h"
#include "store/store.h"

namespace mamori::domain::ingest {

struct DirectoryOptions {
  bool zeek = false;                    // also read pdns/zeek/*.log (same answers as dnsdb.jsonl)
  std::string source_prefix = "sim-";   // blocklist source names
  int source_reliability = 70;
  std::function<void(std::string_view file, size_t done, size_t total)> progress;
};

struct DirectoryReport {
  std::vector<IngestReport> files;  // one per evidence file
  size_t blocklist_snapshots = 0;
  size_t blocklist_entries = 0;
  size_t blocklist_malformed = 0;
  double seconds = 0;
};

Expected<DirectoryReport> IngestEvidenceDirectory(store::Store& store, const std::string& dir,
                                                  const DirectoryOptions& options = {});

}  // namespace mamori::domain::ingest
