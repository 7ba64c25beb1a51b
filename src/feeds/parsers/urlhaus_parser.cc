#include "feeds/parsers/urlhaus_parser.h"

#include <fmt/format.h>

#include "feeds/parsers/csv_reader.h"
#include "feeds/parsers/entry_sink.h"

namespace mamori::feeds::parsers {

namespace {

// Column positions of the current export; replaced by those named in the header comment.
struct Layout {
  size_t url = 2;
  size_t threat = 5;
};

// Reads "# id,dateadded,url,..." into a layout; false for any other comment.
bool ReadHeaderComment(std::string_view comment, Layout& layout) {
  std::string_view text = Trim(Trim(comment).substr(1));
  if (!text.starts_with("id,") && !text.starts_with("\"id\",")) return false;
  CsvReader header(text, ',');
  if (header.Next() != CsvReader::Kind::kRecord) return false;
  Layout found{static_cast<size_t>(-1), static_cast<size_t>(-1)};
  const auto& names = header.fields();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "url") found.url = i;
    if (names[i] == "threat") found.threat = i;
  }
  if (found.url == static_cast<size_t>(-1)) return false;
  layout = found;
  return true;
}

}  // namespace

std::string_view UrlhausCategory(std::string_view threat) {
  // URLhaus lists malware distribution sites; "malware_download" is the threat it uses. An
  // unknown future value is kept as written rather than guessed.
  if (threat.empty() || threat == "malware_download") return "malware";
  return threat;
}

Status UrlhausParser::Parse(std::string_view body, std::string_view origin, ParsedFeed& out) {
  EntrySink sink(options_, out, {IndicatorType::kUrl});
  sink.Reserve(LineScanner::CountLines(body));
  ParseReport& report = out.report;
  CsvReader reader(body, ',');
  Layout layout;
  for (auto kind = reader.Next(); kind != CsvReader::Kind::kEnd; kind = reader.Next()) {
    report.lines_total += reader.lines_spanned();
    size_t line = reader.line();
    switch (kind) {
      case CsvReader::Kind::kComment:
        ReadHeaderComment(reader.first_line(), layout);
        [[fallthrough]];
      case CsvReader::Kind::kBlank:
        ++report.lines_skipped;
        continue;
      case CsvReader::Kind::kMalformed:
        sink.Invalid(line, reader.error(), reader.first_line());
        continue;
      default:
        break;
    }
    const auto& fields = reader.fields();
    if (layout.url >= fields.size()) {
      sink.Invalid(line,
                   fmt::format("row has {} field(s); URLhaus rows have the url in column {}",
                               fields.size(), layout.url),
                   reader.first_line());
      continue;
    }
    if (fields[layout.url] == "url") {  // an uncommented header row
      report.lines_skipped += reader.lines_spanned();
      continue;
    }
    std::string_view threat = layout.threat < fields.size() ? fields[layout.threat] : "";
    sink.Add(line, fields[layout.url], reader.first_line(), UrlhausCategory(threat));
  }
  return Ok();
}

}  // namespace mamori::feeds::parsers
