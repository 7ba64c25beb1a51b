// LineScanner and text helpers shared by the line-oriented feed formats (plain, hosts, netset,
// and the CSV record reader underneath csv and urlhaus-csv).
//
// The scanner walks a document held by the caller and hands out string_views into it, so a
// million-line feed is read without one copy per line; the caller keeps the body alive while
// the views are in use. It strips a leading UTF-8 BOM, accepts "\n" and "\r\n" line ends (a
// lone final line without a newline too) and counts 1-based line numbers for error reports.
// A scanner is a cheap value; it is not thread-safe, but separate scanners over the same body
// are independent.
#pragma once

#include <cstddef>
#include <string_view>

#include "feeds/parser.h"

namespace mamori::feeds::parsers {

class LineScanner {
 public:
  explicit LineScanner(std::string_view body);

  // Sets `line` to the next line without its terminator; false at the end of the document.
  bool Next(std::string_view& line);
  // 1-based number of the line last returned by Next() (0 before the first call).
  size_t line_number() const { return line_number_; }

  // Lets a reader that looked ahead (a CSV record spanning lines) go back to a saved point.
  struct Position {
    size_t offset = 0;
    size_t line_number = 0;
  };
  Position Save() const { return {offset_, line_number_}; }
  void Restore(Position p) {
    offset_ = p.offset;
    line_number_ = p.line_number;
  }

  // The document without its BOM; Position offsets are relative to it.
  std::string_view text() const { return body_; }

  // Number of lines in `body` (for reserving output); counts a final line without a newline.
  static size_t CountLines(std::string_view body);

 private:
  std::string_view body_;
  size_t offset_ = 0;
  size_t line_number_ = 0;
};

inline bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// Removes spaces and tabs (and stray '\r', '\v', '\f') from both ends.
std::string_view Trim(std::string_view s);

// True for lines that are comments in every line format we read: the first non-blank text
// starts with '#', ';' or '//'.
bool IsFullLineComment(std::string_view trimmed);

// Cuts a trailing comment that starts with '#' or ';' after whitespace ("1.2.3.0/24 ; SBL1"),
// and trims. The whitespace rule keeps URL fragments ("http://x/#a") and query separators
// intact.
std::string_view StripInlineComment(std::string_view line);

// Returns the next whitespace-separated token of `rest` and advances `rest` past it; empty
// when none is left.
std::string_view NextToken(std::string_view& rest);

// The loop every line format shares: counts each line in report.lines_total, blank and comment
// lines in report.lines_skipped, and calls `handle(content, line_number)` with the trimmed text
// of every other line.
template <typename Handler>
void ForEachContentLine(std::string_view body, ParseReport& report, Handler&& handle) {
  LineScanner scanner(body);
  std::string_view line;
  while (scanner.Next(line)) {
    ++report.lines_total;
    std::string_view content = Trim(line);
    if (content.empty() || IsFullLineComment(content)) {
      ++report.lines_skipped;
      continue;
    }
    handle(content, scanner.line_number());
  }
}

}  // namespace mamori::feeds::parsers
