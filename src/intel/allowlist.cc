#include "intel/allowlist.h"

namespace mamori::intel {

namespace {

std::string ValueKey(const Indicator& i) {
  return std::string(IndicatorTypeName(i.type)) + ":" + i.value;
}

}  // namespace

AllowlistMatcher AllowlistMatcher::Build(const std::vector<store::AllowlistEntry>& entries,
                                         UnixSeconds now) {
  AllowlistMatcher m;
  for (const auto& e : entries) {
    if (e.expires_at != 0 && e.expires_at <= now) continue;
    if (e.kind == "cidr") {
      auto cidr = Cidr::Parse(e.value);
      if (!cidr) continue;
      m.cidrs_.emplace_back(cidr->cidr, e);
    } else if (e.kind == "suffix") {
      m.suffixes_.emplace(e.value, e);
    } else {
      auto normalized = NormalizeIndicator(e.value);
      if (!normalized) continue;
      m.values_.emplace(ValueKey(normalized->indicator), e);
    }
    ++m.size_;
  }
  return m;
}

std::optional<store::AllowlistEntry> AllowlistMatcher::MatchDomain(const std::string& name) const {
  std::string_view rest = name;
  while (true) {
    if (auto it = suffixes_.find(std::string(rest)); it != suffixes_.end()) return it->second;
    auto dot = rest.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(dot + 1);
  }
}

std::optional<store::AllowlistEntry> AllowlistMatcher::MatchAddress(
    const IpAddress& address) const {
  for (const auto& [cidr, entry] : cidrs_) {
    if (cidr.Contains(address)) return entry;
  }
  return std::nullopt;
}

std::optional<store::AllowlistEntry> AllowlistMatcher::Match(const Indicator& indicator) const {
  if (auto it = values_.find(ValueKey(indicator)); it != values_.end()) return it->second;
  switch (indicator.type) {
    case IndicatorType::kDomain:
      return MatchDomain(indicator.value);
    case IndicatorType::kIpv4:
    case IndicatorType::kIpv6:
      if (auto ip = IpAddress::Parse(indicator.value)) return MatchAddress(*ip);
      return std::nullopt;
    case IndicatorType::kCidr: {
      // A network is allowlisted when it lies inside an allowlisted network, and it must not
      // be blocked whole when it contains one (the caller decides how to split it).
      auto parsed = Cidr::Parse(indicator.value);
      if (!parsed) return std::nullopt;
      for (const auto& [cidr, entry] : cidrs_) {
        if (cidr.Contains(parsed->cidr) || parsed->cidr.Contains(cidr)) return entry;
      }
      return std::nullopt;
    }
    case IndicatorType::kUrl: {
      std::string host(UrlHost(indicator.value));
      if (auto ip = IpAddress::Parse(host)) return MatchAddress(*ip);
      if (auto it = values_.find("domain:" + host); it != values_.end()) return it->second;
      return MatchDomain(host);
    }
    default:
      return std::nullopt;
  }
}

}  // namespace mamori::intel
