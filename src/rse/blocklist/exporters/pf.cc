// "pf": a pf table file, one address or CIDR per line, for
// `pfctl -t <table> -T replace -f FILE` (docs/formats/pf.md). pfctl reads '#' comments.
#include "core/ip.h"
#include "rse/blocklist/exporters/internal/formats.h"

namespace mamori::rse::blocklist::exporters {

Expected<RenderResult> RenderPf(const Blocklist& list, const DeviceProfile& profile) {
  RenderResult result;
  std::string body;
  for (const BlocklistEntry& e : list.entries) {
    if (!ProfileTakes(profile, e) || !IsIpType(e.indicator.type)) {
      ++result.skipped;
      continue;
    }
    auto parsed = Cidr::Parse(e.indicator.value);
    if (!parsed) {
      ++result.skipped;
      continue;
    }
    const Cidr& c = parsed->cidr;
    body += c.is_host() ? c.network().ToString() : c.ToString();
    body += '\n';
    ++result.written;
  }
  result.content = CommentHeader("#", list, profile, "entries", result.written);
  result.content += body;
  return result;
}

}  // namespace mamori::rse::blocklist::exporters
