// IngestPdnsFile: reads a passive DNS file (reader.h formats: "dnsdb", "zeek", "zeek-tsv",
// "zeek-json"; plain or gzip; "-" = stdin), aggregates it (aggregator.h) and merges the rrsets
// into the store (store::Store::MergePdns) in batches of up to eight million distinct rrsets
// (PdnsAggregator::kDefaultFlushAt). Parsing runs on a second thread. Each batch is one
// transaction: an ingest that fails midway keeps the batches merged before the failure,
// and ingesting the same file again adds its counts again (first/last seen do not move).
// docs/formats/passive-dns.md describes the formats and what is stored.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "domain/ingest/report.h"
#include "store/store.h"

namespace mamori::domain::pdns {

// Errors: kInvalidArgument (unknown format), kNotFound/kIo (the file), kCorrupt (bad gzip),
// the store's errors. Malformed lines are not errors: they are in the report.
// `flush_at`: distinct rrsets per store batch (tests use small ones).
Expected<ingest::IngestReport> IngestPdnsFile(store::Store& store, const std::string& path,
                                              std::string_view format,
                                              const ingest::IngestOptions& options,
                                              size_t flush_at = 8'000'000);

}  // namespace mamori::domain::pdns
