#include "core/indicator.h"

#include <charconv>
#include <functional>

#include <fmt/format.h>

#include "core/domain_name.h"
#include "core/ip.h"

namespace mamori {

std::string_view IndicatorTypeName(IndicatorType type) {
  switch (type) {
    case IndicatorType::kIpv4: return "ipv4";
    case IndicatorType::kIpv6: return "ipv6";
    case IndicatorType::kCidr: return "cidr";
    case IndicatorType::kDomain: return "domain";
    case IndicatorType::kUrl: return "url";
    case IndicatorType::kSha256: return "sha256";
    case IndicatorType::kSha1: return "sha1";
    case IndicatorType::kMd5: return "md5";
  }
  return "unknown";
}

std::optional<IndicatorType> ParseIndicatorType(std::string_view name) {
  for (int i = 1; i <= 8; ++i) {
    auto type = static_cast<IndicatorType>(i);
    if (IndicatorTypeName(type) == name) return type;
  }
  return std::nullopt;
}

size_t IndicatorHash::operator()(const Indicator& i) const noexcept {
  return std::hash<std::string_view>()(i.value) * 31 + static_cast<size_t>(i.type);
}

namespace {

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::optional<IndicatorType> HashTypeForLength(size_t n) {
  switch (n) {
    case 32: return IndicatorType::kMd5;
    case 40: return IndicatorType::kSha1;
    case 64: return IndicatorType::kSha256;
    default: return std::nullopt;
  }
}

bool IsHashType(IndicatorType t) {
  return t == IndicatorType::kMd5 || t == IndicatorType::kSha1 || t == IndicatorType::kSha256;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// Undoes common defanging. Returns true when anything changed.
bool Refang(std::string& s) {
  bool changed = false;
  auto replace_all = [&](std::string_view from, std::string_view to) {
    size_t pos = 0;
    while ((pos = s.find(from, pos)) != std::string::npos) {
      s.replace(pos, from.size(), to);
      pos += to.size();
      changed = true;
    }
  };
  replace_all("[.]", ".");
  replace_all("(.)", ".");
  replace_all("{.}", ".");
  replace_all("[dot]", ".");
  replace_all("[:]", ":");
  replace_all("[://]", "://");
  // hxxp:// hxxps:// (any case) at the start; only as a scheme, so a name such as
  // "hxxpress.example" is left alone.
  size_t colon = (s.size() > 4 && (s[4] == 's' || s[4] == 'S')) ? 5 : 4;
  if (s.size() > colon + 2 && (s[0] == 'h' || s[0] == 'H') && (s[1] == 'x' || s[1] == 'X') &&
      (s[2] == 'x' || s[2] == 'X') && (s[3] == 'p' || s[3] == 'P') &&
      s.compare(colon, 3, "://") == 0) {
    s[1] = 't';
    s[2] = 't';
    changed = true;
  }
  return changed;
}

Expected<std::string> NormalizeUrl(std::string_view text) {
  auto fail = [&](std::string why) {
    return MakeError(ErrorCode::kInvalidArgument, std::move(why), std::string(text.substr(0, 120)));
  };
  size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return fail("URL has no scheme");
  std::string scheme = ToLower(text.substr(0, scheme_end));
  for (char c : scheme) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
      return fail("URL scheme has invalid characters");
    }
  }
  std::string_view rest = text.substr(scheme_end + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (auto hash = tail.find('#'); hash != std::string_view::npos) tail = tail.substr(0, hash);

  std::string userinfo;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    userinfo = std::string(authority.substr(0, at + 1));
    authority = authority.substr(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("URL has an unclosed IPv6 bracket");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("URL has junk after the IPv6 host");
      port = after.substr(1);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return fail("URL has no host");
  std::string host_text;
  if (auto ip = IpAddress::Parse(host)) {
    host_text = ip->is_v4() ? ip->ToString() : "[" + ip->ToString() + "]";
  } else {
    auto domain = DomainName::Parse(host);
    if (!domain) return fail("URL host is not a valid name or address: " + domain.error().message);
    host_text = domain->name();
  }
  std::string port_text;
  if (!port.empty()) {
    int port_number = 0;
    auto r = std::from_chars(port.data(), port.data() + port.size(), port_number);
    if (r.ec != std::errc() || r.ptr != port.data() + port.size() || port_number <= 0 ||
        port_number > 65535) {
      return fail("URL port is not a number in 1..65535");
    }
    bool is_default = (scheme == "http" && port_number == 80) ||
                      (scheme == "https" && port_number == 443) ||
                      (scheme == "ftp" && port_number == 21);
    if (!is_default) port_text = fmt::format(":{}", port_number);
  }
  for (char c : tail) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return fail("URL contains whitespace or control characters");
    }
  }
  std::string out;
  out.reserve(scheme.size() + 3 + userinfo.size() + host_text.size() + port_text.size() +
              tail.size() + 1);
  out.append(scheme).append("://").append(userinfo).append(host_text).append(port_text);
  if (tail.empty() || tail.front() != '/') out.push_back('/');
  out.append(tail);
  return out;
}

}  // namespace

Expected<NormalizedIndicator> NormalizeIndicator(std::string_view text,
                                                 std::optional<IndicatorType> expected) {
  NormalizedIndicator result;
  std::string refanged;
  bool maybe_defanged = text.find_first_of("[({") != std::string_view::npos ||
                        (text.size() > 2 && (text[0] == 'h' || text[0] == 'H') &&
                         (text[1] == 'x' || text[1] == 'X'));
  if (maybe_defanged) {
    refanged = std::string(text);
    if (Refang(refanged)) {
      // Until nothing changes: "[[.]]" refangs to "[.]", which must refang too, or the stored
      // value would normalize differently the next time (found by fuzz/indicator_fuzz.cc).
      // Every replacement shortens the text or happens once, so this ends.
      while (Refang(refanged)) {
      }
      result.defanged = true;
      text = refanged;
    }
  }
  auto wrong_type = [&](IndicatorType want, const Error* cause) {
    std::string msg = fmt::format("not a valid {}", IndicatorTypeName(want));
    if (cause) msg += ": " + cause->message;
    return MakeError(ErrorCode::kInvalidArgument, std::move(msg), std::string(text.substr(0, 120)));
  };
  if (text.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty indicator");

  // Hashes.
  if (auto hash_type = HashTypeForLength(text.size()); hash_type && IsHex(text)) {
    if (!expected || *expected == *hash_type) {
      result.indicator = {*hash_type, ToLower(text)};
      return result;
    }
  }
  if (expected && IsHashType(*expected)) return wrong_type(*expected, nullptr);

  // URLs.
  if (text.find("://") != std::string_view::npos) {
    if (expected && *expected != IndicatorType::kUrl) return wrong_type(*expected, nullptr);
    auto url = NormalizeUrl(text);
    if (!url) return tl::unexpected(url.error());
    result.indicator = {IndicatorType::kUrl, std::move(*url)};
    return result;
  }
  if (expected && *expected == IndicatorType::kUrl) return wrong_type(*expected, nullptr);

  // Addresses and networks.
  bool looks_numeric = !text.empty() && (text.find(':') != std::string_view::npos ||
                                         (text.front() >= '0' && text.front() <= '9'));
  if (looks_numeric) {
    if (text.find('/') == std::string_view::npos) {
      if (auto ip = IpAddress::Parse(text)) {
        IndicatorType t = ip->is_v4() ? IndicatorType::kIpv4 : IndicatorType::kIpv6;
        if (expected && *expected != t && *expected != IndicatorType::kCidr) {
          return wrong_type(*expected, nullptr);
        }
        result.indicator = {t, ip->ToString()};
        return result;
      }
    } else if (auto cidr = Cidr::Parse(text)) {
      result.host_bits_cleared = cidr->host_bits_cleared;
      if (cidr->cidr.is_host()) {
        const IpAddress& ip = cidr->cidr.network();
        IndicatorType t = ip.is_v4() ? IndicatorType::kIpv4 : IndicatorType::kIpv6;
        if (expected && *expected != t && *expected != IndicatorType::kCidr) {
          return wrong_type(*expected, nullptr);
        }
        result.indicator = {t, ip.ToString()};
      } else {
        if (expected && *expected != IndicatorType::kCidr) return wrong_type(*expected, nullptr);
        result.indicator = {IndicatorType::kCidr, cidr->cidr.ToString()};
      }
      return result;
    } else if (!expected || *expected != IndicatorType::kDomain) {
      return tl::unexpected(cidr.error());
    }
  }
  if (expected && *expected != IndicatorType::kDomain) {
    if (*expected == IndicatorType::kCidr || *expected == IndicatorType::kIpv4 ||
        *expected == IndicatorType::kIpv6) {
      auto ip = IpAddress::Parse(text);
      return wrong_type(*expected, ip ? nullptr : &ip.error());
    }
    return wrong_type(*expected, nullptr);
  }
  auto domain = DomainName::Parse(text);
  if (!domain) return tl::unexpected(domain.error());
  result.indicator = {IndicatorType::kDomain, domain->name()};
  return result;
}

std::string_view UrlHost(std::string_view url) {
  auto start = url.find("://");
  if (start == std::string_view::npos) return {};
  url.remove_prefix(start + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  if (auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  if (!url.empty() && url.front() == '[') return url.substr(1, url.find(']') - 1);
  return url.substr(0, url.rfind(':'));
}

}  // namespace mamori
