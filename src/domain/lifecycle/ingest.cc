// IngestLifecycleFile (ingest.h): dispatch to a reader, then one store call per snapshot (a
// snapshot is applied whole or not at all) or per batch of observations.
#include "domain/lifecycle/ingest.h"

#include <fmt/format.h>

#include <chrono>

#include "domain/lifecycle/labels_reader.h"
#include "domain/lifecycle/popularity_reader.h"
#include "domain/lifecycle/rdap_reader.h"
#include "domain/lifecycle/zone_reader.h"

namespace mamori::domain::lifecycle {

Expected<ingest::IngestReport> IngestLifecycleFile(store::Store& store, const std::string& path,
                                                   std::string_view format,
                                                   const ingest::IngestOptions& options) {
  auto start = std::chrono::steady_clock::now();
  ingest::IngestReport report;
  report.file = path;
  report.format = std::string(format);
  auto context = [&](const Error& e) { return tl::unexpected(e.WithContext(path)); };

  if (format == "popularity") {
    MAMORI_ASSIGN_OR_RETURN(auto snapshot, ReadPopularityList(path, options, report));
    auto applied = store.ApplyPopularitySnapshot(snapshot.list, snapshot.day, snapshot.ranked);
    if (!applied) return context(applied.error());
    report.stored = static_cast<int64_t>(snapshot.ranked.size());
  } else if (format == "zone") {
    MAMORI_ASSIGN_OR_RETURN(auto snapshot, ReadZoneSnapshot(path, options, report));
    auto applied = store.ApplyZoneSnapshot(snapshot.zone, snapshot.day, snapshot.domains);
    if (!applied) return context(applied.error());
    report.stored = static_cast<int64_t>(snapshot.domains.size());
  } else if (format == "rdap") {
    MAMORI_ASSIGN_OR_RETURN(auto observations, ReadRdapFile(path, options, report));
    auto added = store.AddRegistrations(observations);
    if (!added) return context(added.error());
    // Observations equal to a domain's newest are merged away by the store; counted here.
    report.stored = static_cast<int64_t>(observations.size());
  } else if (format == "labels") {
    MAMORI_ASSIGN_OR_RETURN(auto labels, ReadDomainLabels(path, options, report));
    auto added = store.AddDomainLabels(labels);
    if (!added) return context(added.error());
    report.stored = static_cast<int64_t>(labels.size());
  } else {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("unknown lifecycle format '{}' (popularity, zone, rdap, labels)",
                                 format),
                     path);
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace mamori::domain::lifecycle
