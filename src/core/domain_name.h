// DomainName: a validated, normalized DNS name as mamori stores and compares it.
//
// Parse() lower-cases, strips one trailing dot, converts Unicode labels to A-labels (IDNA 2008
// via libidn2, e.g. "bücher.example" -> "xn--bcher-kva.example") and enforces RFC 1035 limits
// (labels 1..63 octets, name <= 253). Letters, digits, '-' and '_' are accepted in labels
// because real zones and feeds contain '_' (SRV-style and abused hostnames); the top-level label
// must not be all digits so an IP address is never taken for a name.
//
// Registered domain and public suffix come from the Public Suffix List (libpsl, the list shipped
// by Debian's `publicsuffix` package, loaded once per process). `IsPrivateSuffix()` tells when
// the suffix comes from the PSL's private section ("blogspot.com", "duckdns.org"): such a
// suffix is a shared platform, so the registered domain of "x.blogspot.com" is
// "x.blogspot.com", and the platform itself must never be blocked whole.
// Values are immutable and thread-safe; PSL lookups are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mamori {

class DomainName {
 public:
  static Expected<DomainName> Parse(std::string_view text);

  const std::string& name() const { return name_; }  // A-label form, lower case, no trailing dot
  // The Unicode form for display ("bücher.example"); equals name() for ASCII names.
  std::string ToUnicode() const;

  // Registrable domain under the PSL (ICANN and private sections), e.g. "www.example.co.uk" ->
  // "example.co.uk", "x.y.blogspot.com" -> "y.blogspot.com". nullopt when the name is itself a
  // public suffix ("co.uk") or has no known suffix.
  std::optional<std::string> RegisteredDomain() const;
  // The longest public suffix of this name ("co.uk", "blogspot.com"); for unknown TLDs the last
  // label (the PSL's implicit "*" rule).
  std::string PublicSuffix() const;
  // True when PublicSuffix() comes from the PSL private section (a shared platform).
  bool IsPrivateSuffix() const;
  // True when the name itself is a public suffix ("com", "blogspot.com").
  bool IsPublicSuffix() const;
  // The parent name ("a.b.example" -> "b.example"); nullopt for a single label.
  std::optional<std::string> Parent() const;
  // True when this name equals `suffix` or is below it ("a.example.com" vs "example.com").
  bool IsSubdomainOf(std::string_view suffix) const;

  auto operator<=>(const DomainName&) const = default;
  bool operator==(const DomainName&) const = default;

 private:
  explicit DomainName(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

}  // namespace mamori
