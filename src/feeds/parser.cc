#include "feeds/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "feeds/fetcher.h"
#include "feeds/parsers/csv_parser.h"
#include "feeds/parsers/entry_sink.h"
#include "feeds/parsers/hosts_parser.h"
#include "feeds/parsers/misp_parser.h"
#include "feeds/parsers/netset_parser.h"
#include "feeds/parsers/plain_parser.h"
#include "feeds/parsers/stix_parser.h"
#include "feeds/parsers/urlhaus_parser.h"

namespace mamori::feeds {

namespace {

// Cuts to at most `max` bytes without splitting a UTF-8 sequence.
std::string_view CutUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

void ParseReport::AddError(size_t line, std::string reason, std::string_view excerpt) {
  if (first_errors.size() >= kMaxReportedErrors) return;
  first_errors.push_back({line, std::move(reason), std::string(CutUtf8(excerpt, 80))});
}

double ParseReport::InvalidShare() const {
  size_t total = entries + invalid;
  return total == 0 ? 0.0 : static_cast<double>(invalid) / static_cast<double>(total);
}

void ParseReport::Merge(const ParseReport& other) {
  lines_total += other.lines_total;
  lines_skipped += other.lines_skipped;
  entries += other.entries;
  invalid += other.invalid;
  unsupported += other.unsupported;
  duplicates += other.duplicates;
  host_bits_cleared += other.host_bits_cleared;
  defanged += other.defanged;
  for (const LineError& e : other.first_errors) {
    if (first_errors.size() >= kMaxReportedErrors) break;
    first_errors.push_back(e);
  }
}

namespace {

// The source's one options object is passed whole to the fetcher and the parser, so the parser
// skips the fetcher's keys and still names any other unknown key: a typo is caught wherever it
// lands.
constexpr const auto& kFetcherKeys = kFetchOptionKeys;

constexpr std::array<std::string_view, 8> kParserKeys = {
    "indicator_type",      "csv_delimiter",         "csv_has_header",  "csv_value_column",
    "csv_category_column", "csv_confidence_column", "csv_type_column", "default_confidence"};

std::string KnownKeys() {
  std::string out;
  for (auto k : kParserKeys) out += (out.empty() ? "" : ", ") + std::string(k);
  out += "; fetcher keys: ";
  for (size_t i = 0; i < kFetcherKeys.size(); ++i) {
    out += (i ? ", " : "") + std::string(kFetcherKeys[i]);
  }
  return out;
}

tl::unexpected<Error> OptionError(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message), "options_json");
}

// A column is a 0-based index (JSON number) or a header name (JSON string).
Expected<std::string> ColumnOption(const std::string& key, const nlohmann::json& v) {
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_string()) return v.get<std::string>();
  return OptionError(fmt::format("'{}' must be a column index (0-based) or a header name", key));
}

}  // namespace

Expected<ParserOptions> ParserOptions::FromJson(std::string_view json) {
  ParserOptions options;
  bool blank = true;
  for (char c : json) blank = blank && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
  if (blank) return options;
  try {
    nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end());
    if (!doc.is_object()) return OptionError("options must be a JSON object");
    for (const auto& [key, v] : doc.items()) {
      if (key == "indicator_type") {
        auto type = v.is_string() ? ParseIndicatorType(v.get<std::string>()) : std::nullopt;
        if (!type) {
          return OptionError(
              "'indicator_type' must be one of ipv4, ipv6, cidr, domain, url, sha256, sha1, md5");
        }
        options.indicator_type = type;
      } else if (key == "csv_delimiter") {
        if (!v.is_string() || v.get<std::string>().size() != 1) {
          return OptionError(
              "'csv_delimiter' must be a one-character string, e.g. \",\" or \"\\t\"");
        }
        options.csv_delimiter = v.get<std::string>()[0];
      } else if (key == "csv_has_header") {
        if (!v.is_boolean()) return OptionError("'csv_has_header' must be true or false");
        options.csv_has_header = v.get<bool>();
      } else if (key == "csv_value_column") {
        MAMORI_ASSIGN_OR_RETURN(options.csv_value_column, ColumnOption(key, v));
      } else if (key == "csv_category_column") {
        MAMORI_ASSIGN_OR_RETURN(options.csv_category_column, ColumnOption(key, v));
      } else if (key == "csv_confidence_column") {
        MAMORI_ASSIGN_OR_RETURN(options.csv_confidence_column, ColumnOption(key, v));
      } else if (key == "csv_type_column") {
        MAMORI_ASSIGN_OR_RETURN(options.csv_type_column, ColumnOption(key, v));
      } else if (key == "default_confidence") {
        if (!v.is_number_integer() || v.get<int64_t>() < -1 || v.get<int64_t>() > 100) {
          return OptionError("'default_confidence' must be an integer 0..100 (or -1: unknown)");
        }
        options.default_confidence = v.get<int>();
      } else if (std::find(kFetcherKeys.begin(), kFetcherKeys.end(), key) == kFetcherKeys.end()) {
        return OptionError(fmt::format("unknown option '{}' (known: {})", key, KnownKeys()));
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return OptionError(std::string("options are not valid JSON: ") + e.what());
  }
  return options;
}

Expected<std::unique_ptr<FeedParser>> MakeParserForSource(std::string_view format_name,
                                                          std::string_view options_json) {
  auto format = ParseFeedFormat(format_name);
  if (!format) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown feed format; use plain, hosts, csv, netset, urlhaus-csv, misp, stix "
                     "or taxii",
                     std::string(format_name));
  }
  auto options = ParserOptions::FromJson(options_json);
  if (!options) return tl::unexpected(options.error().WithContext("options"));
  return MakeParser(*format, *options);
}

Expected<std::unique_ptr<FeedParser>> MakeParser(FeedFormat format, const ParserOptions& options) {
  using parsers::TypeSet;
  if (options.default_confidence < -1 || options.default_confidence > 100) {
    return MakeError(ErrorCode::kInvalidArgument, "default_confidence must be -1..100");
  }
  // Formats that can hold only some types reject a forced type they can never produce, so a
  // misconfigured source fails at once instead of reporting every line invalid.
  auto check_type = [&](TypeSet holds) -> Status {
    if (options.indicator_type && !holds.Contains(*options.indicator_type)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("format {} holds {}; indicator_type '{}' cannot be used",
                                   FeedFormatName(format), holds.Describe(),
                                   IndicatorTypeName(*options.indicator_type)));
    }
    return Ok();
  };
  std::unique_ptr<FeedParser> parser;
  switch (format) {
    case FeedFormat::kPlain:
      parser = std::make_unique<parsers::PlainParser>(options);
      break;
    case FeedFormat::kHosts:
      MAMORI_RETURN_IF_ERROR(check_type({IndicatorType::kDomain}));
      parser = std::make_unique<parsers::HostsParser>(options);
      break;
    case FeedFormat::kCsv: {
      MAMORI_ASSIGN_OR_RETURN(parser, parsers::CsvParser::Make(options));
      break;
    }
    case FeedFormat::kNetset:
      MAMORI_RETURN_IF_ERROR(check_type(TypeSet::Addresses()));
      parser = std::make_unique<parsers::NetsetParser>(options);
      break;
    case FeedFormat::kUrlhausCsv:
      MAMORI_RETURN_IF_ERROR(check_type({IndicatorType::kUrl}));
      parser = std::make_unique<parsers::UrlhausParser>(options);
      break;
    case FeedFormat::kMisp:
      parser = std::make_unique<parsers::MispParser>(options);
      break;
    case FeedFormat::kStix:
      parser = std::make_unique<parsers::StixParser>(options, /*taxii_envelope=*/false);
      break;
    case FeedFormat::kTaxii:
      parser = std::make_unique<parsers::StixParser>(options, /*taxii_envelope=*/true);
      break;
  }
  if (!parser) return MakeError(ErrorCode::kInternal, "unknown feed format");
  return parser;
}

void Deduplicate(ParsedFeed& feed) {
  // An open-addressing table of entry indexes: one flat array and no node allocation, where
  // std::unordered_set costs an allocation per entry and dominates a million-entry feed.
  // Entries are compared in place (no key copies), then compacted in one pass, keeping the
  // first occurrence of each indicator in its original order.
  std::vector<store::ListingEntry>& entries = feed.entries;
  const size_t n = entries.size();
  if (n < 2) return;
  struct Slot {
    uint32_t index_plus_one = 0;  // 0: empty
    uint32_t tag = 0;             // high hash bits, to skip most full comparisons
  };
  if (n >= std::numeric_limits<uint32_t>::max()) return;  // not a feed anyone can hold in RAM
  const size_t capacity = std::bit_ceil(n * 2);
  const size_t mask = capacity - 1;
  std::vector<Slot> slots(capacity);
  std::vector<uint8_t> keep(n, 0);
  IndicatorHash hasher;
  for (size_t i = 0; i < n; ++i) {
    const Indicator& indicator = entries[i].indicator;
    uint64_t h = hasher(indicator);
    uint32_t tag = static_cast<uint32_t>(h >> 32);
    size_t pos = h & mask;
    bool duplicate = false;
    while (slots[pos].index_plus_one != 0) {
      const Slot& slot = slots[pos];
      if (slot.tag == tag && entries[slot.index_plus_one - 1].indicator == indicator) {
        duplicate = true;
        break;
      }
      pos = (pos + 1) & mask;
    }
    if (!duplicate) {
      slots[pos] = {static_cast<uint32_t>(i + 1), tag};
      keep[i] = 1;
    }
  }
  size_t write = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!keep[i]) continue;
    if (write != i) entries[write] = std::move(entries[i]);
    ++write;
  }
  entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(write), entries.end());
  feed.report.duplicates += n - write;
}

}  // namespace mamori::feeds
