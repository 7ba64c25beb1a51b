#include "domain/pdns/ingest.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "domain/pdns/aggregator.h"
#include "domain/pdns/reader.h"

namespace mamori::domain::pdns {

Expected<ingest::IngestReport> IngestPdnsFile(store::Store& store, const std::string& path,
                                              std::string_view format,
                                              const ingest::IngestOptions& options,
                                              size_t flush_at) {
  const auto start = std::chrono::steady_clock::now();
  MAMORI_RETURN_IF_ERROR(CheckFormat(format));
  ingest::IngestReport report;
  PdnsAggregator aggregator(
      [&](std::vector<store::PdnsRrset>& batch) -> Status {
        MAMORI_ASSIGN_OR_RETURN(store::PdnsMergeStats merged, store.MergePdns(batch));
        report.stored += merged.inserted + merged.updated;
        return Ok();
      },
      flush_at);
  // The reader's callback cannot return an error: the first sink error is kept, and the rest
  // of the file is only counted.
  Status sink_status = Ok();
  ReadStats stats;
  MAMORI_RETURN_IF_ERROR(ReadPdnsFile(
      path, format, report,
      [&](const PdnsRecord& record) {
        if (sink_status) sink_status = aggregator.Add(record);
      },
      &stats, options.progress));
  MAMORI_RETURN_IF_ERROR(sink_status.map_error(
      [&](Error e) { return e.WithContext(fmt::format("{} (passive DNS)", report.file)); }));
  MAMORI_RETURN_IF_ERROR(aggregator.Flush());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (stats.nxdomain + stats.no_answer + stats.unknown_rrtype > 0) {
    spdlog::info(
        "{}: ignored {} NXDOMAIN responses, {} responses without a usable answer, {} "
        "lines of unknown rrtype{}{}",
        report.file, stats.nxdomain, stats.no_answer, stats.unknown_rrtype,
        stats.examples.empty() ? "" : "; e.g. ", fmt::join(stats.examples, "; "));
  }
  return report;
}

}  // namespace mamori::domain::pdns
