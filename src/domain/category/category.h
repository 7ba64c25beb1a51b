// Categories, actions and defense points of domain categorization (docs/domain-categories.md):
// how a malicious name was made, and so what exactly to block, where, and whom to tell.
// Plain enums with stable lower-case names (used in JSON, the CLI and service-list files).
// Free functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace mamori::domain {

enum class Category {
  // Abused legitimate services: the name belongs to a shared platform; block below it.
  kAdvertising,
  kCdn,
  kWebHosting,  // including free hosting, site builders, app platforms, tunnels
  kUrlShortener,
  kDynamicDns,
  kCloudStorage,  // cloud storage and file sharing
  kPasteSite,
  kCompromisedSite,  // an established or popular site serving something malicious
  // Dedicated malicious: the registered domain exists only for the attack; block it whole.
  kDga,
  kReregistered,  // re-registered after expiry
  kTyposquatting,
  kAttackerRegistered,  // other
  // Not a malicious category: a popular site named without anything that shows abuse.
  kLegitimate,
  // Not a domain: an IPv4/IPv6 literal, reported as such.
  kIpLiteral,
};

enum class Action {
  kBlockRegisteredDomain,  // the registrable domain and everything below it
  kBlockFqdn,              // one host name (a platform customer's name) and names below it
  kBlockUrl,               // a URL pattern (host + path), at URL-aware defense points only
  kReportAbuse,            // nothing to block here; tell the platform or owner
  kMonitor,                // nothing to block or report yet
};

enum class DefensePoint { kDnsRpz, kWebProxy, kFirewall, kEndpoint };

std::string_view CategoryName(Category category);  // "url_shortener", "dga", ...
std::optional<Category> ParseCategory(std::string_view name);
std::string_view ActionName(Action action);  // "block-registered-domain", ...
std::string_view DefensePointName(DefensePoint point);  // "dns_rpz", "web_proxy", ...

// True for the eight abused-service categories (advertising … compromised_site).
bool IsAbusedService(Category category);
// True for dga, reregistered, typosquatting, attacker_registered.
bool IsDedicated(Category category);

}  // namespace mamori::domain
