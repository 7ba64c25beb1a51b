// Ingest: runs one input (LineReader) through one parser (LogParser) and hands every event to a
// callback, counting what happened to each line — the one-shot `mamori ingest` and, later, the
// tailing collector both drive it. It keeps nothing: the callback decides what to store.
//
// Counting rules: every line read is a `line`; it then is exactly one of event, skipped,
// malformed or too_long (too-long lines are cut and not parsed). Invalid UTF-8 is counted but the
// line is still parsed (logs carry attackers' bytes; a rule may want them). "Time went backwards"
// counts events more than kBackwardsTolerance older than the newest event before them in the same
// input: a clock jump or a merged file, which windowed rules need to know about.
//
// Not thread-safe; one call per input at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "rse/ingest/event.h"
#include "rse/ingest/line_reader.h"
#include "rse/ingest/log_parser.h"

namespace mamori::rse::ingest {

// Out-of-order times within this are normal (a web server logs a request's start time when it
// finishes, so slow requests come later with earlier times).
inline constexpr UnixMicros kBackwardsTolerance = 60 * 1'000'000LL;

struct MalformedLine {
  uint64_t line = 0;    // 1-based line number in the input
  std::string reason;   // the parser's reason, or "line too long"
  std::string excerpt;  // the start of the line (at most 200 bytes)
};

struct IngestStats {
  uint64_t lines = 0;
  uint64_t events = 0;
  uint64_t skipped = 0;    // valid lines with no event (other programs, blank lines, headers)
  uint64_t malformed = 0;  // not of the format (excluding too_long)
  uint64_t too_long = 0;   // longer than ParserOptions::max_line_bytes
  uint64_t invalid_utf8 = 0;
  uint64_t time_went_backwards = 0;
  UnixMicros largest_backwards_jump = 0;              // micros
  std::map<std::string, uint64_t> malformed_reasons;  // reason → count (too_long included)
  std::vector<MalformedLine> examples;                // the first few malformed / too-long lines
};

struct IngestOptions {
  ParserOptions parser;
  size_t max_examples = 5;
  // Called about every 65,536 lines with the input bytes consumed so far.
  std::function<void(const LineReader&, const IngestStats&)> progress;
};

// Parses lines one at a time and counts each in `stats()` by the rules above — what Ingest()
// does per line, for callers that get their lines elsewhere (the live collector).
class LineCounter {
 public:
  explicit LineCounter(LogParser& parser, size_t max_examples = 5)
      : parser_(parser), max_examples_(max_examples) {}
  // Counts `line` (`too_long`: it was cut at the line cap; `line_number`: for examples) and
  // returns true when `event` now holds an event (valid until the parser's next Parse()).
  bool Parse(std::string_view line, bool too_long, uint64_t line_number, Event& event);
  IngestStats& stats() { return stats_; }
  const IngestStats& stats() const { return stats_; }

 private:
  void NoteMalformed(uint64_t line_number, std::string_view reason, std::string_view line);
  LogParser& parser_;
  size_t max_examples_;
  IngestStats stats_;
  UnixMicros newest_ = 0;
};

// Receives each event (valid only during the call); returns false to stop reading.
using EventSink = std::function<bool(const Event&)>;

// Reads `reader` to the end (or until `sink` returns false). Errors: the reader's (I/O, gzip).
Expected<IngestStats> Ingest(LineReader& reader, LogParser& parser, const EventSink& sink,
                             const IngestOptions& options = {});

// Opens `path` ("-" = stdin) and ingests it with the parser of `format`.
Expected<IngestStats> IngestFile(const std::string& path, std::string_view format,
                                 const EventSink& sink, const IngestOptions& options = {});

}  // namespace mamori::rse::ingest
