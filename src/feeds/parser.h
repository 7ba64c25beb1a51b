// Feed parsers: turn one fetched document into listing entries plus a report of what was
// skipped and why.
//
// One parser per format lives in src/feeds/parsers/ (one file each); line-oriented formats
// share the LineScanner in parsers/line_scanner.h. A parser never fails on a bad line: it
// counts it, keeps the first few line numbers with reasons, and goes on. It fails as a whole
// only when the document cannot be read at all (e.g. a STIX file that is not JSON). Whether a
// document with too many bad lines is acceptable is decided by the updater, not the parser.
// Parsers are not thread-safe; make one per document stream.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/indicator.h"
#include "feeds/format.h"
#include "store/records.h"

namespace mamori::feeds {

struct LineError {
  size_t line = 0;  // 1-based line number (or object index for JSON formats)
  std::string reason;
  std::string excerpt;  // the offending text, cut to 80 characters
};

struct ParseReport {
  size_t lines_total = 0;        // lines (or objects) read
  size_t lines_skipped = 0;      // blank lines and comments
  size_t entries = 0;            // indicators produced (before de-duplication)
  size_t invalid = 0;            // lines/objects that should have held an indicator but did not
  size_t unsupported = 0;        // valid but not handled (e.g. STIX patterns we cannot express)
  size_t duplicates = 0;         // removed by Deduplicate()
  size_t host_bits_cleared = 0;  // CIDRs normalized
  size_t defanged = 0;           // refanged values
  std::vector<LineError> first_errors;  // at most kMaxReportedErrors

  static constexpr size_t kMaxReportedErrors = 10;
  void AddError(size_t line, std::string reason, std::string_view excerpt);
  // invalid / (entries + invalid); 0 for an empty document.
  double InvalidShare() const;
  void Merge(const ParseReport& other);
};

struct ParsedFeed {
  std::vector<store::ListingEntry> entries;
  ParseReport report;
};

// Format options, read from a source's options_json. Unknown keys are errors.
struct ParserOptions {
  // Force every value to this type (otherwise detected per value).
  std::optional<IndicatorType> indicator_type;
  // CSV: delimiter, header handling and column mapping. Columns are 0-based indexes, or names
  // when the file has a header ("value_column": "url").
  char csv_delimiter = ',';
  bool csv_has_header = false;
  std::string csv_value_column = "0";
  std::string csv_category_column;    // optional
  std::string csv_confidence_column;  // optional, 0..100
  std::string csv_type_column;        // optional, indicator type names
  // Default confidence for entries whose format gives none (-1 = unknown).
  int default_confidence = -1;

  static Expected<ParserOptions> FromJson(std::string_view json);
};

class FeedParser {
 public:
  virtual ~FeedParser() = default;
  // Parses one document (`origin` names it in errors, e.g. the URL or "events/<uuid>.json")
  // and appends to `out`.
  virtual Status Parse(std::string_view body, std::string_view origin, ParsedFeed& out) = 0;
};

// MakeParser(kMisp) parses one MISP event document (the fetcher walks the manifest);
// MakeParser(kTaxii) parses one TAXII 2.1 envelope page ({"objects": [...], "more": ...}) with
// the STIX parser, accepting an empty page.
Expected<std::unique_ptr<FeedParser>> MakeParser(FeedFormat format, const ParserOptions& options);

// The parser for a source as configured: its format name and its options object (fetcher keys
// are skipped). Errors name the unknown format or the bad option; every caller that turns a
// SourceRecord (or CLI flags) into a parser goes through here.
Expected<std::unique_ptr<FeedParser>> MakeParserForSource(std::string_view format_name,
                                                          std::string_view options_json);

// Removes duplicate indicators (keeping the first), counting them in report.duplicates.
void Deduplicate(ParsedFeed& feed);

}  // namespace mamori::feeds
