#include "rse/ingest/ingest.h"

#include "rse/ingest/parsers/log_scan.h"

namespace mamori::rse::ingest {
namespace {

void NoteMalformed(IngestStats& stats, const IngestOptions& options, uint64_t line_number,
                   std::string_view reason, std::string_view line) {
  ++stats.malformed_reasons[std::string(reason)];
  if (stats.examples.size() < options.max_examples) {
    stats.examples.push_back({line_number, std::string(reason), std::string(line.substr(0, 200))});
  }
}

}  // namespace

Expected<IngestStats> Ingest(LineReader& reader, LogParser& parser, const EventSink& sink,
                             const IngestOptions& options) {
  IngestStats stats;
  Event event;
  UnixMicros newest = 0;
  std::string_view line;
  bool too_long = false;
  while (true) {
    auto more = reader.Next(line, too_long);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    ++stats.lines;
    if (options.progress && (stats.lines & 0xFFFF) == 0) options.progress(reader, stats);
    if (too_long) {
      ++stats.too_long;
      NoteMalformed(stats, options, reader.line_number(), "line too long", line);
      continue;
    }
    if (!scan::IsValidUtf8(line)) ++stats.invalid_utf8;
    event.Clear();
    event.raw = line;
    ParseResult result = parser.Parse(line, event);
    if (result.outcome == ParseOutcome::kSkip) {
      ++stats.skipped;
      continue;
    }
    if (result.outcome == ParseOutcome::kMalformed) {
      ++stats.malformed;
      NoteMalformed(stats, options, reader.line_number(), result.reason, line);
      continue;
    }
    ++stats.events;
    if (event.time != 0) {
      if (newest != 0 && event.time + kBackwardsTolerance < newest) {
        ++stats.time_went_backwards;
        stats.largest_backwards_jump = std::max(stats.largest_backwards_jump, newest - event.time);
      }
      newest = std::max(newest, event.time);
    }
    if (sink && !sink(event)) break;
  }
  if (options.progress) options.progress(reader, stats);
  return stats;
}

Expected<IngestStats> IngestFile(const std::string& path, std::string_view format,
                                 const EventSink& sink, const IngestOptions& options) {
  auto parser = MakeLogParser(format, options.parser);
  if (!parser) return tl::unexpected(parser.error());
  auto reader = LineReader::Open(path, options.parser.max_line_bytes);
  if (!reader) return tl::unexpected(reader.error());
  return Ingest(**reader, **parser, sink, options);
}

}  // namespace mamori::rse::ingest
