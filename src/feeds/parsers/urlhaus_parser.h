// UrlhausParser: the abuse.ch URLhaus CSV exports (csv/, csv_recent/, csv_online/), see
// docs/formats/urlhaus-csv.md.
//
// The export starts with '#' comment lines, the last of which names the columns
// ("# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter"); rows are
// fully quoted. The column positions are read from that comment when present (older exports
// had no last_online column), else the current layout is assumed. Every row is kept, whatever
// its url_status: an offline URL is still evidence about its host. The category comes from
// `threat`. Owns a copy of its options; not thread-safe.
#pragma once

#include "feeds/parser.h"

namespace mamori::feeds::parsers {

class UrlhausParser : public FeedParser {
 public:
  explicit UrlhausParser(ParserOptions options) : options_(std::move(options)) {}
  Status Parse(std::string_view body, std::string_view origin, ParsedFeed& out) override;

 private:
  ParserOptions options_;
};

// Our category for a URLhaus `threat` value ("malware_download" -> "malware").
std::string_view UrlhausCategory(std::string_view threat);

}  // namespace mamori::feeds::parsers
