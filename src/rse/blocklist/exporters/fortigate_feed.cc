// "fortigate-feed": a FortiGate external threat feed (docs/formats/fortigate-feed.md).
//
// Plain text, one entry per line, no comments. FortiOS has one feed type per class (IP
// Address, Domain Name, FortiGuard Category for URLs, Malware Hash), so a profile normally
// enables one class; whatever classes the profile takes are written. Domain entries that block
// their subdomains are also written as "*.name" (the Domain Name feed's simple wildcard); URLs
// keep their scheme, as the FortiGuard Category feed accepts; hashes are written bare (the
// optional description after the hash is left out).
#include "rse/blocklist/exporters/internal/formats.h"

namespace mamori::rse::blocklist::exporters {

Expected<RenderResult> RenderFortigateFeed(const Blocklist& list, const DeviceProfile& profile) {
  RenderResult result;
  for (const BlocklistEntry& e : list.entries) {
    const Indicator& ind = e.indicator;
    if (!ProfileTakes(profile, e) || !IsLineSafe(ind.value)) {
      ++result.skipped;
      continue;
    }
    result.content += ind.value;
    result.content += '\n';
    if (ind.type == IndicatorType::kDomain && e.wildcard) {
      result.content += "*.";
      result.content += ind.value;
      result.content += '\n';
    }
    ++result.written;
  }
  return result;
}

}  // namespace mamori::rse::blocklist::exporters
