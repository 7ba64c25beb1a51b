// Built-in warning lists: values mamori never blocks (or never blocks at a given level) unless
// the user says otherwise, shipped in data/warninglists/ with provenance (PROVENANCE.md there).
//
//   special ranges   RFC 1918/6598/bogon/special-purpose (RFC 6890) IPv4 and IPv6 ranges
//   resolvers        public DNS resolvers (MISP public-dns-v4/v6, CC0)
//   cloud/cdn        provider ranges with a permissive list (MISP amazon-aws, google-gcp, azure,
//                    cloudflare, akamai, fastly — CC0)
//   popular          popular benign registered domains (top-sites MIT, MISP tranco10k CC0)
//   platforms        shared services whose registered domain must never be blocked whole, only
//                    a subdomain or URL below it: URL shorteners (CC BY-SA 4.0), CDN suffixes
//                    (cdncheck, MIT), plus every PSL private-section suffix (libpsl)
//
// The lists are embedded in the binary at build time (like the store migrations), so mamori
// needs no data directory; `extra_dirs` adds user lists in the same formats
// (docs/formats/warninglists.md).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/address_range_set.h"
#include "core/error.h"
#include "core/indicator.h"

namespace mamori::intel {

// Why a value is protected: list name and a human reason ("public-dns-v4: public DNS resolver").
struct WarningMatch {
  std::string list;
  std::string reason;
};

struct WarningListStats {
  std::string list;
  std::string kind;  // "cidr", "domain", "platform"
  int64_t entries = 0;
};

class WarningLists {
 public:
  // The embedded lists plus every list file in `extra_dirs`. Errors name the file and line.
  static Expected<WarningLists> LoadBuiltin(const std::vector<std::filesystem::path>& extra_dirs = {});
  // Lists from directories only (tests, or a user who wants none of the built-ins).
  static Expected<WarningLists> LoadFrom(const std::vector<std::filesystem::path>& dirs);
  // One embedded list alone ("special-ranges"); kNotFound naming the list for an unknown name.
  static Expected<WarningLists> LoadBuiltinList(std::string_view name);

  // A listed indicator that must not be blocked as it is: an address/CIDR intersecting a
  // protected range, a popular registered domain (or its www.), a platform's registered domain
  // itself (bit.ly, blogspot.com), a popular site's front-page URL. Subdomains of platforms and
  // URLs with a path are NOT matched here: they are what should be blocked instead of the
  // platform or site. Hashes never match.
  std::optional<WarningMatch> Match(const Indicator& indicator) const;
  // True when a domain is a platform (its name is a shared-service registered domain or a PSL
  // private suffix): the domain may be blocked only below it, never with a wildcard at it.
  bool IsPlatform(std::string_view domain) const;

  struct Assembled;  // internal: the members, as a load builds them
  // Protected addresses, for "never emit a CIDR containing one of these".
  const AddressRangeSet& protected_addresses() const { return addresses_; }
  std::vector<WarningListStats> Stats() const;

 private:
  static WarningLists From(Assembled assembled);

  AddressRangeSet addresses_;
  // Which list each protected range came from, for reasons (sorted by range first).
  std::vector<std::pair<AddressRange, std::string>> v4_origin_;
  std::vector<std::pair<AddressRange, std::string>> v6_origin_;
  std::unordered_map<std::string, std::string> popular_;    // domain -> list name
  std::unordered_map<std::string, std::string> platforms_;  // domain -> list name
  std::vector<WarningListStats> stats_;
};

}  // namespace mamori::intel
