#include "rse/blocklist/exporters/exporter.h"

#include <fmt/format.h>

#include "rse/blocklist/exporters/internal/formats.h"

namespace mamori::rse::blocklist {

Expected<RenderResult> Render(const Blocklist& list, const DeviceProfile& profile) {
  switch (profile.kind) {
    case DeviceKind::kPaloAltoEdl:
      return exporters::RenderPaloAltoEdl(list, profile);
    case DeviceKind::kFortigateFeed:
      return exporters::RenderFortigateFeed(list, profile);
    case DeviceKind::kNftables:
      return exporters::RenderNftables(list, profile);
    case DeviceKind::kIpset:
      return exporters::RenderIpset(list, profile);
    case DeviceKind::kPf:
      return exporters::RenderPf(list, profile);
    case DeviceKind::kUnboundRpz:
    case DeviceKind::kBindRpz:
      return exporters::RenderRpz(list, profile);
    case DeviceKind::kHosts:
      return exporters::RenderHosts(list, profile);
    case DeviceKind::kCsv:
      return exporters::RenderCsv(list, profile);
    case DeviceKind::kStix:
      return exporters::RenderStix(list, profile);
  }
  return MakeError(ErrorCode::kInternal,
                   fmt::format("no exporter for device kind {}", static_cast<int>(profile.kind)),
                   profile.name);
}

std::string_view ContentTypeFor(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::kStix:
      return "application/json";
    case DeviceKind::kCsv:
      return "text/csv; charset=utf-8";
    // text/dns (RFC 4027) is the registered type of a zone file, but browsers download it instead
    // of showing it and devices that fetch RPZ over HTTP expect text; plain text serves both.
    default:
      return "text/plain; charset=utf-8";
  }
}

namespace exporters {

bool IsIpType(IndicatorType type) {
  return type == IndicatorType::kIpv4 || type == IndicatorType::kIpv6 ||
         type == IndicatorType::kCidr;
}

bool IsHashType(IndicatorType type) {
  return type == IndicatorType::kSha256 || type == IndicatorType::kSha1 ||
         type == IndicatorType::kMd5;
}

bool ProfileTakes(const DeviceProfile& profile, const BlocklistEntry& entry) {
  IndicatorType type = entry.indicator.type;
  if (IsIpType(type)) {
    if (type == IndicatorType::kCidr && profile.cidr == CidrPolicy::kUnsupported) return false;
    return profile.capacity.ip > 0;
  }
  if (type == IndicatorType::kDomain) return profile.capacity.domain > 0;
  if (type == IndicatorType::kUrl) return profile.capacity.url > 0;
  if (IsHashType(type)) return profile.capacity.hash > 0;
  return false;
}

bool IsLineSafe(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}

bool IsZoneSafeName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok || ++label > 63) return false;
  }
  return label > 0;
}

std::string_view StripUrlScheme(std::string_view url) {
  size_t p = url.find("://");
  if (p == std::string_view::npos) return url;
  return url.substr(p + 3);
}

std::string CommentHeader(std::string_view marker, const Blocklist& list,
                          const DeviceProfile& profile, std::string_view what, int64_t written) {
  // Profile names are [a-z0-9._-]+ when loaded; a name made in code is cut at a line break so
  // the header stays one comment line.
  std::string_view name = profile.name.empty() ? std::string_view(list.profile) : profile.name;
  name = name.substr(0, name.find_first_of("\r\n"));
  return fmt::format("{} mamori blocklist for profile {}, built {}, {} {}\n", marker, name,
                     FormatIso8601(list.built_at), written, what);
}

}  // namespace exporters
}  // namespace mamori::rse::blocklist
