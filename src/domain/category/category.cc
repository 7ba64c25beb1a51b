#include "domain/category/category.h"

#include <array>
#include <utility>

namespace mamori::domain {

namespace {

constexpr std::array<std::pair<Category, std::string_view>, 14> kCategoryNames = {{
    {Category::kAdvertising, "advertising"},
    {Category::kCdn, "cdn"},
    {Category::kWebHosting, "web_hosting"},
    {Category::kUrlShortener, "url_shortener"},
    {Category::kDynamicDns, "dynamic_dns"},
    {Category::kCloudStorage, "cloud_storage"},
    {Category::kPasteSite, "paste_site"},
    {Category::kCompromisedSite, "compromised_site"},
    {Category::kDga, "dga"},
    {Category::kReregistered, "reregistered"},
    {Category::kTyposquatting, "typosquatting"},
    {Category::kAttackerRegistered, "attacker_registered"},
    {Category::kLegitimate, "legitimate"},
    {Category::kIpLiteral, "ip_literal"},
}};

}  // namespace

std::string_view CategoryName(Category category) {
  for (const auto& [c, name] : kCategoryNames) {
    if (c == category) return name;
  }
  return "unknown";
}

std::optional<Category> ParseCategory(std::string_view name) {
  for (const auto& [c, n] : kCategoryNames) {
    if (n == name) return c;
  }
  return std::nullopt;
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kBlockRegisteredDomain: return "block-registered-domain";
    case Action::kBlockFqdn: return "block-fqdn";
    case Action::kBlockUrl: return "block-url";
    case Action::kReportAbuse: return "report-abuse";
    case Action::kMonitor: return "monitor";
  }
  return "monitor";
}

std::string_view DefensePointName(DefensePoint point) {
  switch (point) {
    case DefensePoint::kDnsRpz: return "dns_rpz";
    case DefensePoint::kWebProxy: return "web_proxy";
    case DefensePoint::kFirewall: return "firewall";
    case DefensePoint::kEndpoint: return "endpoint";
  }
  return "endpoint";
}

bool IsAbusedService(Category category) {
  switch (category) {
    case Category::kAdvertising:
    case Category::kCdn:
    case Category::kWebHosting:
    case Category::kUrlShortener:
    case Category::kDynamicDns:
    case Category::kCloudStorage:
    case Category::kPasteSite:
    case Category::kCompromisedSite: return true;
    default: return false;
  }
}

bool IsDedicated(Category category) {
  return category == Category::kDga || category == Category::kReregistered ||
         category == Category::kTyposquatting || category == Category::kAttackerRegistered;
}

}  // namespace mamori::domain
