// "paloalto-edl": a PAN-OS external dynamic list (docs/formats/paloalto-edl.md).
//
// Plain text, one entry per line, no comments. PAN-OS wants one class per list (an IP, Domain
// or URL EDL object), so a profile normally enables one class; whatever classes the profile
// takes are written. Domain entries that block their subdomains are also written as
// "*.name" (PAN's subdomain wildcard, which does not match the name itself); URL entries drop
// the scheme, which PAN-OS rejects. PAN has no hash list: hashes are skipped.
#include "rse/blocklist/exporters/internal/formats.h"

namespace mamori::rse::blocklist::exporters {

namespace {

// PAN-OS documents 255 characters as the longest domain entry and skips longer lines.
constexpr size_t kMaxEntryLength = 255;

}  // namespace

Expected<RenderResult> RenderPaloAltoEdl(const Blocklist& list, const DeviceProfile& profile) {
  RenderResult result;
  for (const BlocklistEntry& e : list.entries) {
    const Indicator& ind = e.indicator;
    if (!ProfileTakes(profile, e) || IsHashType(ind.type)) {
      ++result.skipped;
      continue;
    }
    std::string_view line = ind.type == IndicatorType::kUrl ? StripUrlScheme(ind.value) : ind.value;
    bool wildcard = ind.type == IndicatorType::kDomain && e.wildcard;
    if (!IsLineSafe(line) || line.size() + (wildcard ? 2 : 0) > kMaxEntryLength) {
      ++result.skipped;
      continue;
    }
    result.content += line;
    result.content += '\n';
    if (wildcard) {
      result.content += "*.";
      result.content += line;
      result.content += '\n';
    }
    ++result.written;
  }
  return result;
}

}  // namespace mamori::rse::blocklist::exporters
