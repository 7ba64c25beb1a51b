// CsvReader: RFC 4180 records on top of LineScanner, for the csv and urlhaus-csv formats.
//
// Fields may be quoted; a quoted field may hold the delimiter, doubled quotes ("") and line
// breaks. Unquoted fields are trimmed of spaces (tabs too unless the delimiter is a tab), and a
// quote inside an unquoted field is kept as text, as most real feeds expect. Lines whose first
// non-blank character is '#' are comments (both formats we read use them for headers and
// notes); they are returned as such so a format can read a header out of one (URLhaus does).
//
// A broken record never costs more than its first line: a quote that is never closed, or text
// after a closing quote, makes that line kMalformed and reading resumes on the next line.
//
// The reader borrows the body; fields() are views into the body or into the reader's scratch
// buffer and stay valid until the next call to Next(). Not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/parsers/line_scanner.h"

namespace mamori::feeds::parsers {

class CsvReader {
 public:
  CsvReader(std::string_view body, char delimiter);

  enum class Kind { kRecord, kBlank, kComment, kMalformed, kEnd };
  Kind Next();

  const std::vector<std::string_view>& fields() const { return fields_; }
  size_t line() const { return line_; }                        // first line of the last item
  size_t lines_spanned() const { return lines_spanned_; }      // physical lines it took
  std::string_view first_line() const { return first_line_; }  // for excerpts and comments
  const std::string& error() const { return error_; }          // why kMalformed

 private:
  // Parses one record that starts at `begin` (an offset into the scanner's body) and may run
  // over several lines; returns false with error_ set when the record is malformed.
  bool ParseRecord(size_t begin, size_t& end);

  struct FieldSpan {
    bool in_scratch = false;
    size_t begin = 0;
    size_t size = 0;
  };

  LineScanner scanner_;
  std::string_view text_;  // the body without BOM
  char delimiter_;
  std::vector<std::string_view> fields_;
  std::vector<FieldSpan> spans_;
  std::string scratch_;  // unescaped text of fields that held doubled quotes
  size_t line_ = 0;
  size_t lines_spanned_ = 0;
  std::string_view first_line_;
  std::string error_;
};

}  // namespace mamori::feeds::parsers
