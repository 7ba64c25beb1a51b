#include "domain/ingest/ingest.h"

#include <fmt/format.h>

#include "domain/lifecycle/ingest.h"
#include "domain/pdns/ingest.h"

namespace mamori::domain::ingest {

const std::vector<EvidenceFormat>& EvidenceFormats() {
  static const std::vector<EvidenceFormat> formats = {
      {"dnsdb", "passive DNS, Farsight DNSDB JSON lines (docs/formats/passive-dns.md)"},
      {"zeek", "passive DNS from a Zeek dns.log, TSV or JSON detected (passive-dns.md)"},
      {"zeek-tsv", "Zeek dns.log in its tab-separated form"},
      {"zeek-json", "Zeek dns.log as JSON lines"},
      {"popularity", "a day's popularity list, rank,domain CSV (popularity-list.md)"},
      {"zone", "a day's registered names of a zone: list or master file (zone-snapshot.md)"},
      {"rdap", "RDAP domain objects, one per file or per line (rdap.md)"},
      {"labels", "domain,label,date[,source] ground truth (domain-labels.md)"},
  };
  return formats;
}

Expected<IngestReport> IngestEvidenceFile(store::Store& store, const std::string& path,
                                          std::string_view format, const IngestOptions& options) {
  if (format == "dnsdb" || format.starts_with("zeek")) {
    return pdns::IngestPdnsFile(store, path, format, options);
  }
  if (format == "popularity" || format == "zone" || format == "rdap" || format == "labels") {
    return lifecycle::IngestLifecycleFile(store, path, format, options);
  }
  std::string known;
  for (const auto& f : EvidenceFormats()) known += fmt::format("{}{}", known.empty() ? "" : ", ", f.name);
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("unknown evidence format '{}' (known: {})", format, known), path);
}

}  // namespace mamori::domain::ingest
