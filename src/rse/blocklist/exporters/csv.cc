// "csv": the list as RFC 4180 CSV (docs/formats/blocklist-csv.md), every entry the profile
// takes, for spreadsheets, SIEM lookups and review:
//   indicator,type,priority,category,sources,covered
// CRLF line ends, fields quoted only when they hold a comma, quote, CR or LF.
#include <fmt/format.h>

#include "rse/blocklist/exporters/internal/formats.h"

namespace mamori::rse::blocklist::exporters {

namespace {

void AppendField(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

Expected<RenderResult> RenderCsv(const Blocklist& list, const DeviceProfile& profile) {
  RenderResult result;
  result.content = "indicator,type,priority,category,sources,covered\r\n";
  std::string sources;
  for (const BlocklistEntry& e : list.entries) {
    if (!ProfileTakes(profile, e)) {
      ++result.skipped;
      continue;
    }
    std::string& out = result.content;
    AppendField(out, e.indicator.value);
    out += ',';
    out += IndicatorTypeName(e.indicator.type);
    fmt::format_to(std::back_inserter(out), ",{:.2f},", e.priority);
    AppendField(out, e.category);
    out += ',';
    sources.clear();
    for (size_t i = 0; i < e.sources.size(); ++i) {
      if (i > 0) sources += ';';
      sources += e.sources[i];
    }
    AppendField(out, sources);
    fmt::format_to(std::back_inserter(out), ",{}\r\n", e.covered);
    ++result.written;
  }
  return result;
}

}  // namespace mamori::rse::blocklist::exporters
