// CsvParser: CSV feeds with a column mapping from the source's options (docs/formats/csv.md).
//
// ParserOptions says which column holds the value and, optionally, the category, confidence
// (0..100) and indicator type of each row; columns are 0-based indexes, or header names when
// csv_has_header is set. Quoting follows RFC 4180 (CsvReader); '#' lines are comments.
// A header that lacks a named column fails the whole document, since every row would be
// misread. Immutable after Make(); Parse() is not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "feeds/parser.h"

namespace mamori::feeds::parsers {

class CsvParser : public FeedParser {
 public:
  // Fails when the options cannot work: a bad delimiter, or a column given by name while the
  // file has no header.
  static Expected<std::unique_ptr<CsvParser>> Make(ParserOptions options);
  Status Parse(std::string_view body, std::string_view origin, ParsedFeed& out) override;

  // A column as configured: an index, or a name to look up in the header. Unset when empty.
  struct Column {
    bool set = false;
    std::optional<size_t> index;
    std::string name;
  };

 private:
  explicit CsvParser(ParserOptions options) : options_(std::move(options)) {}

  ParserOptions options_;
  Column value_, category_, confidence_, type_;
};

}  // namespace mamori::feeds::parsers
