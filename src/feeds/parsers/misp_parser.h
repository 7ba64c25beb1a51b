// MispParser: one MISP feed event document, {"Event": {..., "Attribute": [...],
// "Object": [{"Attribute": [...]}]}} (docs/formats/misp.md). The feed's manifest.json is read
// by the fetcher, which hands over one event document at a time.
//
// Attributes of network and file-hash types become entries (composite types such as
// "domain|ip" or "filename|sha256" give their indicator parts); attributes with to_ids false,
// deleted ones, and those of other types are counted (skipped, skipped, unsupported). Error
// line numbers are 1-based attribute indexes within the event, the event's own attributes
// first, then those of its objects in order. Owns a copy of its options; not thread-safe.
#pragma once

#include "feeds/parser.h"

namespace mamori::feeds::parsers {

class MispParser : public FeedParser {
 public:
  explicit MispParser(ParserOptions options) : options_(std::move(options)) {}
  Status Parse(std::string_view body, std::string_view origin, ParsedFeed& out) override;

 private:
  ParserOptions options_;
};

// Our category for a MISP attribute category ("Payload delivery" -> "malware"); empty when
// the MISP category does not tell what the indicator is for.
std::string_view MispCategory(std::string_view attribute_category);

}  // namespace mamori::feeds::parsers
