// IngestEvidenceFile: one entry point for every domain-evidence format, so `mamori domain ingest`
// (and the server, later) need not know which reader handles which: passive DNS (dnsdb, zeek,
// zeek-tsv, zeek-json; domain/pdns/ingest.h) and the lifecycle formats (popularity, zone, rdap,
// labels; domain/lifecycle/ingest.h). docs/formats/ describes each.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/ingest/report.h"
#include "store/store.h"

namespace mamori::domain::ingest {

struct EvidenceFormat {
  std::string_view name;
  std::string_view description;
};
// Every format name with a line about it, for --help and errors.
const std::vector<EvidenceFormat>& EvidenceFormats();

// kInvalidArgument naming the known formats when `format` is none of them.
Expected<IngestReport> IngestEvidenceFile(store::Store& store, const std::string& path,
                                          std::string_view format, const IngestOptions& options);

}  // namespace mamori::domain::ingest
