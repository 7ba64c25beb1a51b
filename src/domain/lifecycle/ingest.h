// The one entry point that reads a domain-lifecycle file and stores what it holds: popularity
// list snapshots, zone snapshots, RDAP responses, labels (docs/formats/popularity-list.md,
// zone-snapshot.md, rdap.md, domain-labels.md). `mamori domain ingest` calls it.
// Thread-safe as far as the Store is; one call reads one file.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "domain/ingest/report.h"
#include "store/store.h"

namespace mamori::domain::lifecycle {

// `format`: "popularity", "zone", "rdap" or "labels". Malformed lines are counted in the report
// and skipped; an error means the file could not be used at all (unreadable, no day or name,
// a snapshot older than the newest stored one) and nothing was stored.
Expected<ingest::IngestReport> IngestLifecycleFile(store::Store& store, const std::string& path,
                                                   std::string_view format,
                                                   const ingest::IngestOptions& options);

}  // namespace mamori::domain::lifecycle
