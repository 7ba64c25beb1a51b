#include "feeds/parsers/csv_parser.h"

#include <fmt/format.h>

#include <charconv>

#include "feeds/parsers/csv_reader.h"
#include "feeds/parsers/entry_sink.h"

namespace mamori::feeds::parsers {

namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

Expected<CsvParser::Column> ParseColumn(std::string_view key, const std::string& spec,
                                        bool has_header, bool required) {
  CsvParser::Column column;
  if (spec.empty()) {
    if (required) return MakeError(ErrorCode::kInvalidArgument, fmt::format("{} is empty", key));
    return column;
  }
  column.set = true;
  size_t index = 0;
  auto r = std::from_chars(spec.data(), spec.data() + spec.size(), index);
  if (r.ec == std::errc() && r.ptr == spec.data() + spec.size()) {
    column.index = index;
    return column;
  }
  if (!has_header) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} '{}' is a column name, but csv_has_header is false; give a "
                                 "0-based column index or set csv_has_header",
                                 key, spec));
  }
  column.name = ToLower(spec);
  return column;
}

// Index of `column` in `header` (names compare case-insensitively); kNone for an unset column.
Expected<size_t> Resolve(const CsvParser::Column& column,
                         const std::vector<std::string_view>& header) {
  if (!column.set) return kNone;
  if (column.index) return *column.index;
  std::string names;
  for (size_t i = 0; i < header.size(); ++i) {
    if (ToLower(header[i]) == column.name) return i;
    names += (i ? ", " : "") + std::string(header[i]);
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("CSV header has no column '{}' (columns: {})", column.name,
                               names.substr(0, 200)));
}

std::string_view FieldOrEmpty(const std::vector<std::string_view>& fields, size_t index) {
  return index < fields.size() ? fields[index] : std::string_view();
}

}  // namespace

Expected<std::unique_ptr<CsvParser>> CsvParser::Make(ParserOptions options) {
  char d = options.csv_delimiter;
  if (d == '"' || d == '\n' || d == '\r' || d == '#' || d == '\0') {
    return MakeError(ErrorCode::kInvalidArgument,
                     "csv_delimiter cannot be a quote, '#', a line break or NUL");
  }
  std::unique_ptr<CsvParser> parser(new CsvParser(std::move(options)));
  const ParserOptions& o = parser->options_;
  bool header = o.csv_has_header;
  MAMORI_ASSIGN_OR_RETURN(parser->value_,
                          ParseColumn("csv_value_column", o.csv_value_column, header, true));
  MAMORI_ASSIGN_OR_RETURN(parser->category_,
                          ParseColumn("csv_category_column", o.csv_category_column, header, false));
  MAMORI_ASSIGN_OR_RETURN(parser->confidence_, ParseColumn("csv_confidence_column",
                                                           o.csv_confidence_column, header, false));
  MAMORI_ASSIGN_OR_RETURN(parser->type_,
                          ParseColumn("csv_type_column", o.csv_type_column, header, false));
  return parser;
}

Status CsvParser::Parse(std::string_view body, std::string_view origin, ParsedFeed& out) {
  EntrySink sink(options_, out);
  sink.Reserve(LineScanner::CountLines(body));
  ParseReport& report = out.report;
  CsvReader reader(body, options_.csv_delimiter);

  bool header_pending = options_.csv_has_header;
  std::vector<std::string_view> no_header;
  size_t value_col = 0, category_col = kNone, confidence_col = kNone, type_col = kNone;
  auto resolve_all = [&](const std::vector<std::string_view>& header) -> Status {
    MAMORI_ASSIGN_OR_RETURN(value_col, Resolve(value_, header));
    MAMORI_ASSIGN_OR_RETURN(category_col, Resolve(category_, header));
    MAMORI_ASSIGN_OR_RETURN(confidence_col, Resolve(confidence_, header));
    MAMORI_ASSIGN_OR_RETURN(type_col, Resolve(type_, header));
    return Ok();
  };
  if (!header_pending) MAMORI_RETURN_IF_ERROR(resolve_all(no_header));

  for (auto kind = reader.Next(); kind != CsvReader::Kind::kEnd; kind = reader.Next()) {
    report.lines_total += reader.lines_spanned();
    size_t line = reader.line();
    switch (kind) {
      case CsvReader::Kind::kBlank:
      case CsvReader::Kind::kComment:
        ++report.lines_skipped;
        continue;
      case CsvReader::Kind::kMalformed:
        sink.Invalid(line, reader.error(), reader.first_line());
        continue;
      default:
        break;
    }
    const std::vector<std::string_view>& fields = reader.fields();
    if (header_pending) {
      if (auto status = resolve_all(fields); !status) {
        return tl::unexpected(status.error().WithContext(fmt::format("{}:{}", origin, line)));
      }
      header_pending = false;
      report.lines_skipped += reader.lines_spanned();
      continue;
    }
    if (value_col >= fields.size()) {
      sink.Invalid(line,
                   fmt::format("row has {} field(s); the value column {} is missing", fields.size(),
                               value_col),
                   reader.first_line());
      continue;
    }
    std::string_view value = fields[value_col];
    if (value.empty()) {
      sink.Invalid(line, "empty value", reader.first_line());
      continue;
    }
    int confidence = -1;
    if (std::string_view text = FieldOrEmpty(fields, confidence_col); !text.empty()) {
      auto r = std::from_chars(text.data(), text.data() + text.size(), confidence);
      if (r.ec != std::errc() || r.ptr != text.data() + text.size() || confidence < 0 ||
          confidence > 100) {
        sink.Invalid(line, fmt::format("confidence '{}' is not an integer 0..100", text),
                     reader.first_line());
        continue;
      }
    }
    std::optional<IndicatorType> declared;
    if (std::string_view text = FieldOrEmpty(fields, type_col); !text.empty()) {
      declared = ParseIndicatorType(ToLower(text));
      if (!declared) {
        sink.Invalid(line,
                     fmt::format("unknown indicator type '{}' (use ipv4, ipv6, cidr, domain, url, "
                                 "sha256, sha1 or md5)",
                                 text),
                     reader.first_line());
        continue;
      }
    }
    sink.Add(line, value, reader.first_line(), FieldOrEmpty(fields, category_col), confidence,
             declared);
  }
  return Ok();
}

}  // namespace mamori::feeds::parsers
