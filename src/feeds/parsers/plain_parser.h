// PlainParser: one indicator per line (docs/formats/plain.md).
//
// The first whitespace-separated token of a line is the value; anything after it is ignored,
// so "1.2.3.4  # scanner" and "evil.example ; seen 2024-01-01" both work. Lines that start with
// '#', ';' or '//' are comments. Values of any type are accepted unless the source forces one
// (options.indicator_type). Owns a copy of its options; not thread-safe.
#pragma once

#include "feeds/parser.h"

namespace mamori::feeds::parsers {

class PlainParser : public FeedParser {
 public:
  explicit PlainParser(ParserOptions options) : options_(std::move(options)) {}
  Status Parse(std::string_view body, std::string_view origin, ParsedFeed& out) override;

 private:
  ParserOptions options_;
};

}  // namespace mamori::feeds::parsers
