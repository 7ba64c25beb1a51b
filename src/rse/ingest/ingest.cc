#include "rse/ingest/ingest.h"

#include "rse/ingest/parsers/log_scan.h"

namespace mamori::rse::ingest {

void LineCounter::NoteMalformed(uint64_t line_number, std::string_view reason,
                                std::string_view line) {
  ++stats_.malformed_reasons[std::string(reason)];
  if (stats_.examples.size() < max_examples_) {
    stats_.examples.push_back({line_number, std::string(reason), std::string(line.substr(0, 200))});
  }
}

bool LineCounter::Parse(std::string_view line, bool too_long, uint64_t line_number,
                        Event& event) {
  ++stats_.lines;
  if (too_long) {
    ++stats_.too_long;
    NoteMalformed(line_number, "line too long", line);
    return false;
  }
  if (!scan::IsValidUtf8(line)) ++stats_.invalid_utf8;
  event.Clear();
  event.raw = line;
  ParseResult result = parser_.Parse(line, event);
  if (result.outcome == ParseOutcome::kSkip) {
    ++stats_.skipped;
    return false;
  }
  if (result.outcome == ParseOutcome::kMalformed) {
    ++stats_.malformed;
    NoteMalformed(line_number, result.reason, line);
    return false;
  }
  ++stats_.events;
  if (event.time != 0) {
    if (newest_ != 0 && event.time + kBackwardsTolerance < newest_) {
      ++stats_.time_went_backwards;
      stats_.largest_backwards_jump = std::max(stats_.largest_backwards_jump, newest_ - event.time);
    }
    newest_ = std::max(newest_, event.time);
  }
  return true;
}

Expected<IngestStats> Ingest(LineReader& reader, LogParser& parser, const EventSink& sink,
                             const IngestOptions& options) {
  LineCounter counter(parser, options.max_examples);
  Event event;
  std::string_view line;
  bool too_long = false;
  while (true) {
    auto more = reader.Next(line, too_long);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    bool got = counter.Parse(line, too_long, reader.line_number(), event);
    if (options.progress && (counter.stats().lines & 0xFFFF) == 0) {
      options.progress(reader, counter.stats());
    }
    if (got && sink && !sink(event)) break;
  }
  if (options.progress) options.progress(reader, counter.stats());
  return std::move(counter.stats());
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
