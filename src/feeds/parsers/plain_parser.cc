#include "feeds/parsers/plain_parser.h"

#include "feeds/parsers/entry_sink.h"
#include "feeds/parsers/line_scanner.h"

namespace mamori::feeds::parsers {

Status PlainParser::Parse(std::string_view body, std::string_view origin, ParsedFeed& out) {
  EntrySink sink(options_, out);
  sink.Reserve(LineScanner::CountLines(body));
  ForEachContentLine(body, out.report, [&](std::string_view content, size_t line) {
    std::string_view rest = content;
    sink.Add(line, NextToken(rest), content);
  });
  return Ok();
}

}  // namespace mamori::feeds::parsers
