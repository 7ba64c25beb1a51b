// Target: what a categorization input names — a host name, a URL on a host, or an IP literal —
// normalized so that every way of writing it gives the same answer: any case, trailing dots,
// ports, userinfo ("user@host"), defanged forms ("hxxp://evil[.]com"), scheme-less URLs
// ("bit.ly/abc"), IDN in Unicode or punycode. Plain value; ParseTarget is thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/domain_name.h"
#include "core/error.h"

namespace mamori::domain {

struct Target {
  std::string input;                // the text as given, trimmed
  std::string host;                 // A-label name, or canonical IP text (IPv6 without brackets)
  std::optional<DomainName> name;   // set unless the host is an IP literal
  bool is_ip() const { return !name.has_value(); }
  bool is_url = false;              // the input had a path, query or scheme
  std::string url;                  // normalized URL ("http://bit.ly/abc") when is_url
  // Host (with a non-default port) plus path and query, without scheme ("bit.ly/abc"): the
  // pattern URL filters match. Empty when the URL has no path beyond "/" and no query.
  std::string url_pattern;
};

// Errors (kInvalidArgument, context = the input): empty input, a hash or CIDR, a URL whose host
// is neither a name nor an address, an invalid name (the reason from DomainName::Parse).
Expected<Target> ParseTarget(std::string_view text);

}  // namespace mamori::domain
