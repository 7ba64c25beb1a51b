// Reads a popularity list snapshot (Tranco, Umbrella, Majestic …) into (domain, rank) pairs
// for store::Store::ApplyPopularitySnapshot. docs/formats/popularity-list.md describes the
// input: CSV `rank,domain`, or a CSV with a header naming its columns (Majestic's
// `GlobalRank,TldRank,Domain,…`). Malformed lines are counted in the report and skipped.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "domain/ingest/report.h"
#include "store/domain_records.h"

namespace mamori::domain::lifecycle {

struct PopularitySnapshot {
  std::string list;  // options.name, else the file name's prefix
  store::Day day = 0;
  std::vector<std::pair<std::string, int32_t>> ranked;
};

// Errors (file unreadable, no list name or day, a header without rank or domain column) refuse
// the whole file; bad lines only add to report.
Expected<PopularitySnapshot> ReadPopularityList(const std::string& path,
                                                const ingest::IngestOptions& options,
                                                ingest::IngestReport& report);

}  // namespace mamori::domain::lifecycle
