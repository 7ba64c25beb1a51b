// "hosts": a hosts(5) file mapping each blocked name to 0.0.0.0 (docs/formats/hosts-output.md).
// A hosts file matches exact names only, so an entry that blocks subdomains is written as its
// name alone. Only domains fit; everything else is skipped.
#include "rse/blocklist/exporters/internal/formats.h"

namespace mamori::rse::blocklist::exporters {

Expected<RenderResult> RenderHosts(const Blocklist& list, const DeviceProfile& profile) {
  RenderResult result;
  std::string body;
  for (const BlocklistEntry& e : list.entries) {
    const Indicator& ind = e.indicator;
    if (!ProfileTakes(profile, e) || ind.type != IndicatorType::kDomain ||
        !IsZoneSafeName(ind.value)) {
      ++result.skipped;
      continue;
    }
    body += "0.0.0.0 ";
    body += ind.value;
    body += '\n';
    ++result.written;
  }
  result.content = CommentHeader("#", list, profile, "names", result.written);
  result.content += body;
  return result;
}

}  // namespace mamori::rse::blocklist::exporters
