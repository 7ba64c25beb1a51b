// The feed formats mamori reads. Each has a page under docs/formats/.
#pragma once

#include <optional>
#include <string_view>

namespace mamori::feeds {

enum class FeedFormat {
  kPlain,       // one indicator per line; '#', ';' and '//' comments
  kHosts,       // hosts file: "0.0.0.0 evil.example" -> the names
  kCsv,         // CSV with a configurable column mapping
  kNetset,      // FireHOL .netset / Spamhaus DROP ("1.2.3.0/24 ; SBL123")
  kUrlhausCsv,  // abuse.ch URLhaus CSV export
  kMisp,        // MISP feed: manifest.json + <uuid>.json events
  kStix,        // STIX 2.1 bundle (JSON)
  kTaxii,       // TAXII 2.1 collection (objects are STIX 2.1)
};

std::string_view FeedFormatName(FeedFormat format);  // "plain", "urlhaus-csv", ...
std::optional<FeedFormat> ParseFeedFormat(std::string_view name);
// Guesses a format from a file name or URL ("x.netset" -> netset, "x.csv" -> csv, ...);
// plain when nothing matches.
FeedFormat GuessFeedFormat(std::string_view path_or_url);

}  // namespace mamori::feeds
