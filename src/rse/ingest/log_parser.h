// LogParser: turns one log line of a known format into an Event (event.h).
//
// One parser object per format and per reading thread: it owns the scratch arena its events
// point into, so an Event filled by Parse() is valid until the next Parse() on the same parser.
// Parse() never throws and never crashes on hostile input: a line that is not of the format is
// kMalformed with a short reason (counted and skipped by the caller), a line that is valid but
// carries no event (a comment, a Zeek header, a blank line) is kSkip.
//
// Formats are registered in parsers/registry.cc; `mamori ingest --format help` lists them and
// docs/formats/logs-*.md document each with examples.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "rse/ingest/event.h"

namespace mamori::rse::ingest {

enum class ParseOutcome { kEvent, kSkip, kMalformed };

struct ParseResult {
  ParseOutcome outcome = ParseOutcome::kEvent;
  std::string_view reason;  // for kMalformed: what was wrong (a static string)

  static ParseResult Ok() { return {}; }
  static ParseResult Skip() { return {ParseOutcome::kSkip, {}}; }
  static ParseResult Malformed(std::string_view why) { return {ParseOutcome::kMalformed, why}; }
};

// What a parser may need beyond the line.
struct ParserOptions {
  // Syslog's "Oct 11 22:14:15" has no year: the year is taken from this time (the reading time),
  // and a date more than a day in its future is put in the previous year (a log read just after
  // New Year). Its zone is UTC unless the line says otherwise.
  UnixSeconds now = 0;
  // Lines longer than this are malformed ("line too long"), so one giant line cannot hold
  // unbounded memory in rules and evidence.
  size_t max_line_bytes = 64 * 1024;
};

class LogParser {
 public:
  virtual ~LogParser() = default;
  // The registered format name ("nginx-combined").
  virtual std::string_view format() const = 0;
  // Fills `event` (which the caller has Clear()ed) from `line` (no trailing newline).
  virtual ParseResult Parse(std::string_view line, Event& event) = 0;
};

struct LogFormatInfo {
  std::string_view name;         // "nginx-combined"
  std::string_view description;  // one line, for --help
  std::string_view doc;          // "docs/formats/logs-nginx.md"
};

// Every registered format.
const std::vector<LogFormatInfo>& LogFormats();
// A parser for `format`; kInvalidArgument naming the known formats when there is none.
Expected<std::unique_ptr<LogParser>> MakeLogParser(std::string_view format,
                                                   const ParserOptions& options = {});

}  // namespace mamori::rse::ingest
