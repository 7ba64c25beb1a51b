// NetsetParser: address and network lists (docs/formats/netset.md):
//   FireHOL .netset/.ipset   one IP or CIDR per line, '#' comments
//   Spamhaus DROP/EDROP      "1.10.16.0/20 ; SBL256894", ';' comments
//   Spamhaus drop_v4.json / drop_v6.json   JSON lines {"cidr":"...","sblid":"...","rir":"..."}
//                            and a final {"type":"metadata",...} line
// The three are told apart per line, so one parser reads them all. Values must be addresses or
// CIDR prefixes; host bits are cleared (and counted). Address ranges ("a.b.c.d-e.f.g.h") are
// counted as unsupported. Owns a copy of its options; not thread-safe.
#pragma once

#include "feeds/parser.h"

namespace mamori::feeds::parsers {

class NetsetParser : public FeedParser {
 public:
  explicit NetsetParser(ParserOptions options) : options_(std::move(options)) {}
  Status Parse(std::string_view body, std::string_view origin, ParsedFeed& out) override;

 private:
  ParserOptions options_;
};

}  // namespace mamori::feeds::parsers
