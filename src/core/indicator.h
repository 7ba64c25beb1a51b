// Indicator: one normalized observable (address, network, name, URL or file hash).
//
// Everything that enters the intel store goes through NormalizeIndicator(), so the same
// observable written in different ways ("EXAMPLE.com.", "example.com"; "10.1.2.3/8",
// "10.0.0.0/8"; "hxxp://Evil[.]com:80/a") is stored once, under one value:
//   ipv4/ipv6  canonical address text; a /32 or /128 CIDR becomes an address
//   cidr       network address with host bits cleared ("10.0.0.0/8"); `host_bits_cleared` set
//   domain     DomainName::Parse (lower case, no trailing dot, A-labels)
//   url        scheme and host lower-cased, host normalized as domain or IP, default port and
//              fragment dropped, empty path -> "/", path and query kept byte for byte
//   md5/sha1/sha256  lower-case hex of the right length
// Common defanging ("hxxp", "[.]", "(.)", "[:]") is undone first. Plain values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mamori {

enum class IndicatorType : int {
  kIpv4 = 1,
  kIpv6 = 2,
  kCidr = 3,
  kDomain = 4,
  kUrl = 5,
  kSha256 = 6,
  kSha1 = 7,
  kMd5 = 8,
};

std::string_view IndicatorTypeName(IndicatorType type);  // "ipv4", "domain", ...
std::optional<IndicatorType> ParseIndicatorType(std::string_view name);

struct Indicator {
  IndicatorType type = IndicatorType::kDomain;
  std::string value;

  auto operator<=>(const Indicator&) const = default;
  bool operator==(const Indicator&) const = default;
};

struct NormalizedIndicator {
  Indicator indicator;
  bool host_bits_cleared = false;  // a CIDR had host bits set (worth a warning)
  bool defanged = false;           // the input was defanged ("hxxp", "[.]")
};

// Detects the type from the text (hash by length and hex, URL by "scheme://", then IP, CIDR,
// domain) unless `expected` is given, in which case the text must be of that type.
Expected<NormalizedIndicator> NormalizeIndicator(std::string_view text,
                                                 std::optional<IndicatorType> expected = {});

// The host of a URL ("https://user@Host:8443/a?b" → "Host", "http://[2001:db8::1]/" →
// "2001:db8::1"), as a view into `url`; empty when `url` has no "scheme://".
std::string_view UrlHost(std::string_view url);

// Hash of an indicator for unordered containers.
struct IndicatorHash {
  size_t operator()(const Indicator& i) const noexcept;
};

}  // namespace mamori
