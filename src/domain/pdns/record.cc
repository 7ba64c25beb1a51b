#include "domain/pdns/record.h"

#include <fmt/format.h>

#include "core/domain_name.h"
#include "core/ip.h"
#include "domain/pdns/rrtype.h"

namespace mamori::domain::pdns {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Quoted(std::string_view text) { return fmt::format("\"{}\"", text.substr(0, 80)); }

}  // namespace

Status NormalizeName(std::string_view text, std::string_view field, std::string& out) {
  auto name = DomainName::Parse(Trim(text));
  if (!name) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} {}: {}", field, Quoted(text), name.error().message));
  }
  out = name->name();
  return Ok();
}

Status NormalizeRdata(uint16_t rrtype, std::string_view text, std::string& out) {
  text = Trim(text);
  switch (rrtype) {
    case kTypeA:
    case kTypeAaaa: {
      auto ip = IpAddress::Parse(text);
      if (!ip) {
        return MakeError(ErrorCode::kInvalidArgument,
                         fmt::format("rdata {}: not an IP address", Quoted(text)));
      }
      if (ip->is_v4() != (rrtype == kTypeA)) {
        return MakeError(ErrorCode::kInvalidArgument,
                         fmt::format("rdata {}: an IPv{} address in an {} record", Quoted(text),
                                     ip->is_v4() ? 4 : 6, rrtype == kTypeA ? "A" : "AAAA"));
      }
      out = ip->ToString();
      return Ok();
    }
    case kTypeMx: {
      // "preference exchange"; a bare name (some exports drop the preference) is accepted.
      size_t space = text.find_last_of(" \t");
      std::string_view exchange = space == std::string_view::npos ? text : text.substr(space + 1);
      if (exchange == ".") {
        out = ".";
        return Ok();
      }
      return NormalizeName(exchange, "rdata", out);
    }
    case kTypeCname:
    case kTypeNs:
    case kTypePtr:
    case kTypeDname:
      return NormalizeName(text, "rdata", out);
    default:
      if (text.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty rdata");
      out.assign(text);
      return Ok();
  }
}

}  // namespace mamori::domain::pdns
