#include "domain/pdns/reader.h"

#include <fmt/format.h>

#include "domain/pdns/internal/line_source.h"
#include "domain/pdns/internal/readers.h"

namespace mamori::domain::pdns {

Status CheckFormat(std::string_view format) {
  if (format == "dnsdb" || format == "zeek" || format == "zeek-tsv" || format == "zeek-json") {
    return Ok();
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("unknown passive DNS format \"{}\" (expected dnsdb, zeek, "
                               "zeek-tsv or zeek-json)",
                               format));
}

Status ReadPdnsFile(const std::string& path, std::string_view format, ingest::IngestReport& report,
                    const RecordFn& fn, ReadStats* stats,
                    const std::function<void(int64_t, int64_t)>& progress) {
  MAMORI_RETURN_IF_ERROR(CheckFormat(format));
  MAMORI_ASSIGN_OR_RETURN(auto source, internal::LineSource::Open(path));
  std::unique_ptr<internal::LineParser> parser =
      format == "dnsdb" ? internal::NewDnsdbParser()
                        : internal::NewZeekParser(format != "zeek-json", format != "zeek-tsv");
  report.file = source->name();
  report.format = std::string(format);
  ReadStats local_stats;
  internal::LineContext ctx;
  ctx.file = source->name();
  ctx.report = &report;
  ctx.stats = stats != nullptr ? stats : &local_stats;
  ctx.fn = &fn;
  std::string_view line;
  bool too_long = false;
  while (true) {
    MAMORI_ASSIGN_OR_RETURN(bool more, source->Next(line, too_long));
    if (!more) break;
    ++report.lines;
    ctx.line = source->line_number();
    if (progress && (report.lines & 0xffff) == 0) progress(source->bytes_read(), source->size());
    if (too_long) {
      ctx.Malformed(fmt::format("line longer than {} bytes", line.size()));
      continue;
    }
    parser->Parse(line, ctx);
  }
  if (progress) progress(source->bytes_read(), source->size());
  return Ok();
}

}  // namespace mamori::domain::pdns
