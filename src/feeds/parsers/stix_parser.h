// StixParser: STIX 2.1 indicators from a bundle ({"type":"bundle","objects":[...]}) or a
// TAXII 2.1 envelope ({"more":...,"objects":[...]}); see docs/formats/stix.md.
//
// Each `indicator` object with pattern_type "stix" (or none, as in STIX 2.0) has its pattern
// parsed by ParseStixPattern(); the alternatives a blocklist can hold become entries, the others
// are counted as unsupported with a reason. Other pattern languages (sigma, yara, snort, ...)
// are unsupported; revoked indicators and non-indicator objects are skipped; benign ones too.
// Error line numbers are 1-based object indexes within the document's objects array.
//
// A document that is not JSON, or has no objects array, fails as a whole. The one exception is
// an empty TAXII envelope ({} or {"more": false}), which a TAXII server sends for "nothing new";
// it is accepted when the parser was made for TAXII. Owns a copy of its options; not
// thread-safe.
#pragma once

#include "feeds/parser.h"

namespace mamori::feeds::parsers {

class StixParser : public FeedParser {
 public:
  StixParser(ParserOptions options, bool taxii_envelope)
      : options_(std::move(options)), taxii_envelope_(taxii_envelope) {}
  Status Parse(std::string_view body, std::string_view origin, ParsedFeed& out) override;

 private:
  ParserOptions options_;
  bool taxii_envelope_;
};

// Our category for the first STIX indicator type that has one ("malicious-activity" ->
// "malware"); empty when none does.
std::string_view StixCategory(std::string_view indicator_type);

}  // namespace mamori::feeds::parsers
