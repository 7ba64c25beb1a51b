#include "domain/category/target.h"

#include <fmt/format.h>

#include "core/indicator.h"
#include "core/ip.h"

namespace mamori::domain {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Expected<Target> FromUrl(std::string_view input, std::string_view url_text) {
  auto normalized = NormalizeIndicator(url_text, IndicatorType::kUrl);
  if (!normalized) {
    return MakeError(ErrorCode::kInvalidArgument, normalized.error().message, std::string(input));
  }
  Target t;
  t.input = std::string(input);
  t.is_url = true;
  t.url = normalized->indicator.value;
  // The normalized URL is "scheme://[userinfo@]host[:port]/tail".
  std::string_view rest = t.url;
  rest.remove_prefix(rest.find("://") + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view tail = rest.substr(slash);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string host(UrlHost(t.url));
  if (auto ip = IpAddress::Parse(host)) {
    t.host = ip->ToString();
  } else {
    auto name = DomainName::Parse(host);
    if (!name) return MakeError(ErrorCode::kInvalidArgument, name.error().message, t.input);
    t.host = name->name();
    t.name = std::move(*name);
  }
  if (tail != "/") t.url_pattern = fmt::format("{}{}", authority, tail);
  return t;
}

}  // namespace

Expected<Target> ParseTarget(std::string_view text) {
  std::string_view input = Trim(text);
  if (input.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty input");
  if (input.find("://") != std::string_view::npos) return FromUrl(input, input);
  // A path or query without a scheme is still a URL ("bit.ly/abc", "evil.com?x=1"), unless the
  // text is a network ("10.0.0.0/8").
  if (input.find_first_of("/?") != std::string_view::npos) {
    if (Cidr::Parse(input)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "a network (CIDR), not a name, URL or address: nothing to categorize",
                       std::string(input));
    }
    std::string with_scheme = fmt::format("http://{}", input);
    return FromUrl(input, with_scheme);
  }
  std::string_view host = input;
  // "user@host" (userinfo or a mail address): the host is what is categorized.
  if (auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  // "[2001:db8::1]" or "[2001:db8::1]:443".
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    if (close == std::string_view::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "unclosed '[' in an IPv6 address",
                       std::string(input));
    }
    std::string_view after = host.substr(close + 1);
    if (!after.empty() && !(after.front() == ':' && AllDigits(after.substr(1)))) {
      return MakeError(ErrorCode::kInvalidArgument, "junk after an IPv6 address",
                       std::string(input));
    }
    host = host.substr(1, close - 1);
  } else if (auto colon = host.find(':');
             colon != std::string_view::npos && host.find(':', colon + 1) == std::string_view::npos &&
             AllDigits(host.substr(colon + 1))) {
    host = host.substr(0, colon);  // "evil.com:8080"
  }
  auto normalized = NormalizeIndicator(host);
  if (!normalized) {
    return MakeError(ErrorCode::kInvalidArgument, normalized.error().message, std::string(input));
  }
  Target t;
  t.input = std::string(input);
  switch (normalized->indicator.type) {
    case IndicatorType::kIpv4:
    case IndicatorType::kIpv6:
      t.host = normalized->indicator.value;
      return t;
    case IndicatorType::kDomain: {
      auto name = DomainName::Parse(normalized->indicator.value);
      if (!name) return MakeError(ErrorCode::kInvalidArgument, name.error().message, t.input);
      t.host = name->name();
      t.name = std::move(*name);
      return t;
    }
    case IndicatorType::kCidr:
      return MakeError(ErrorCode::kInvalidArgument,
                       "a network (CIDR), not a name, URL or address: nothing to categorize",
                       t.input);
    default:
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("a {} hash, not a name, URL or address",
                                   IndicatorTypeName(normalized->indicator.type)),
                       t.input);
  }
}

}  // namespace mamori::domain
