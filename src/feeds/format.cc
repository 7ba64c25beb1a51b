#include "feeds/format.h"

#include <array>
#include <utility>

namespace mamori::feeds {

namespace {
constexpr std::array<std::pair<FeedFormat, std::string_view>, 8> kNames = {{
    {FeedFormat::kPlain, "plain"},
    {FeedFormat::kHosts, "hosts"},
    {FeedFormat::kCsv, "csv"},
    {FeedFormat::kNetset, "netset"},
    {FeedFormat::kUrlhausCsv, "urlhaus-csv"},
    {FeedFormat::kMisp, "misp"},
    {FeedFormat::kStix, "stix"},
    {FeedFormat::kTaxii, "taxii"},
}};
}  // namespace

std::string_view FeedFormatName(FeedFormat format) {
  for (const auto& [f, name] : kNames) {
    if (f == format) return name;
  }
  return "unknown";
}

std::optional<FeedFormat> ParseFeedFormat(std::string_view name) {
  for (const auto& [f, n] : kNames) {
    if (n == name) return f;
  }
  return std::nullopt;
}

FeedFormat GuessFeedFormat(std::string_view path) {
  if (auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  auto ends = [&](std::string_view suffix) { return path.ends_with(suffix); };
  if (ends(".netset") || ends(".ipset") || ends("drop.txt") || ends("drop_v6.json") ||
      ends("edrop.txt")) {
    return FeedFormat::kNetset;
  }
  if (ends("/manifest.json")) return FeedFormat::kMisp;
  if (path.find("/taxii2/") != std::string_view::npos ||
      path.find("/collections/") != std::string_view::npos) {
    return FeedFormat::kTaxii;
  }
  if (path.find("urlhaus") != std::string_view::npos && ends(".csv")) {
    return FeedFormat::kUrlhausCsv;
  }
  if (ends(".csv")) return FeedFormat::kCsv;
  if (ends(".json")) return FeedFormat::kStix;
  if (ends("hosts") || ends(".hosts")) return FeedFormat::kHosts;
  return FeedFormat::kPlain;
}

}  // namespace mamori::feeds
