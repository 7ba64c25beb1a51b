#include "feeds/parsers/netset_parser.h"

#include "core/ip.h"
#include "feeds/parsers/entry_sink.h"
#include "feeds/parsers/json_util.h"
#include "feeds/parsers/line_scanner.h"

namespace mamori::feeds::parsers {

namespace {

void ParseJsonLine(std::string_view content, size_t line, EntrySink& sink) {
  auto object = ParseJson(content, "");
  if (!object || !object->is_object()) {
    sink.Invalid(line, "not a JSON object", content);
    return;
  }
  if (GetString(*object, "type") == "metadata") {
    sink.Skipped();
    return;
  }
  std::string_view cidr = GetString(*object, "cidr");
  if (cidr.empty()) {
    sink.Invalid(line, "JSON line has no \"cidr\" string", content);
    return;
  }
  sink.Add(line, cidr, content);
}

bool IsAddressRange(std::string_view token) {
  size_t dash = token.find('-');
  return dash != std::string_view::npos && IpAddress::Parse(token.substr(0, dash)) &&
         IpAddress::Parse(token.substr(dash + 1));
}

}  // namespace

Status NetsetParser::Parse(std::string_view body, std::string_view origin, ParsedFeed& out) {
  EntrySink sink(options_, out, TypeSet::Addresses());
  sink.Reserve(LineScanner::CountLines(body));
  ForEachContentLine(body, out.report, [&](std::string_view content, size_t line) {
    if (content.front() == '{') {
      ParseJsonLine(content, line, sink);
      return;
    }
    std::string_view rest = content;
    std::string_view token = NextToken(rest);
    // Spamhaus has written both "1.2.3.0/24 ; SBL1" and "1.2.3.0/24;SBL1"; neither ';' nor '#'
    // can be part of an address.
    token = token.substr(0, token.find_first_of(";#"));
    if (IsAddressRange(token)) {
      sink.Unsupported(line, "address ranges are not supported; list CIDR prefixes", content);
      return;
    }
    sink.Add(line, token, content);
  });
  return Ok();
}

}  // namespace mamori::feeds::parsers
