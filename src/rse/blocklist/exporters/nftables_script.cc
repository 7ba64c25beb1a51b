#include "rse/blocklist/exporters/nftables_script.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

#include "rse/blocklist/exporters/internal/formats.h"

namespace mamori::rse::blocklist {

namespace {

// Sorts networks and drops those inside another one (counted in `covered`). CIDRs either nest
// or are disjoint, so after sorting by (network, prefix) a network is covered exactly when the
// last one kept contains it.
void KeepOutermost(std::vector<Cidr>& nets, int64_t& covered) {
  std::sort(nets.begin(), nets.end());
  size_t kept = 0;
  for (size_t i = 0; i < nets.size(); ++i) {
    if (kept > 0 && nets[kept - 1].Contains(nets[i])) {
      ++covered;
      continue;
    }
    nets[kept++] = nets[i];
  }
  nets.resize(kept);
}

// Drops from sorted `hosts` the duplicates and the addresses inside one of the sorted, disjoint
// `nets` (counted in `covered`): one walk through both. `bounds(cidr)` gives a network's first
// and last address as a Host.
template <typename Host, typename Bounds>
void DropCoveredHosts(std::vector<Host>& hosts, const std::vector<Cidr>& nets, Bounds bounds,
                      int64_t& covered) {
  std::vector<std::pair<Host, Host>> ranges;
  ranges.reserve(nets.size());
  for (const Cidr& c : nets) ranges.push_back(bounds(c));
  size_t kept = 0;
  size_t n = 0;
  for (size_t i = 0; i < hosts.size(); ++i) {
    const Host h = hosts[i];
    while (n < ranges.size() && ranges[n].second < h) ++n;
    if ((n < ranges.size() && !(h < ranges[n].first)) || (kept > 0 && hosts[kept - 1] == h)) {
      ++covered;
      continue;
    }
    hosts[kept++] = h;
  }
  hosts.resize(kept);
}

void AppendV4(std::string& out, uint32_t a) {
  char buf[16];
  char* p = buf;
  for (int shift = 24; shift >= 0; shift -= 8) {
    unsigned octet = (a >> shift) & 255;
    if (octet >= 100) *p++ = static_cast<char>('0' + octet / 100);
    if (octet >= 10) *p++ = static_cast<char>('0' + octet / 10 % 10);
    *p++ = static_cast<char>('0' + octet % 10);
    if (shift != 0) *p++ = '.';
  }
  out.append(buf, p);
}

// The canonical text (host bits cleared): what nft accepts and lists.
void AppendCidr(std::string& out, const Cidr& cidr) { out += cidr.ToString(); }

// `add element` statements of at most kNftElementsPerStatement elements; `append(out, i)` writes
// element i.
template <typename Append>
void AppendAdd(std::string& out, std::string_view family, std::string_view table,
               std::string_view set, size_t count, Append append) {
  for (size_t start = 0; start < count; start += kNftElementsPerStatement) {
    size_t end = std::min(count, start + kNftElementsPerStatement);
    fmt::format_to(std::back_inserter(out), "add element {} {} {} {{\n", family, table, set);
    for (size_t i = start; i < end; ++i) {
      out += '\t';
      append(out, i);
      out += i + 1 < end ? ",\n" : "\n";
    }
    out += "}\n";
  }
}

}  // namespace

NftSetNames NftSetNames::WithBase(std::string_view base) {
  std::string b(base);
  return {b, b + "_net", b + "_v6", b + "_v6_net"};
}

void NftElementsOf(const Blocklist& list, NftElements& out) {
  out.hosts_v4.clear();
  out.networks_v4.clear();
  out.hosts_v6.clear();
  out.networks_v6.clear();
  out.counts = {};
  NftElementCounts& n = out.counts;
  out.hosts_v4.reserve(list.entries.size());
  for (const BlocklistEntry& e : list.entries) {
    const Indicator& ind = e.indicator;
    if (ind.type == IndicatorType::kIpv4) {
      // The common case, without Cidr::Parse's search for '/' and masking: IpAddress::Parse
      // reads dotted quads with its own parser (no inet_pton, no allocation), 38 ms of CPU for
      // the benchmark's 1M values against 55 ms through Cidr::Parse (BM_NftElementsParse1M*).
      // Other values take the general path below.
      auto address = IpAddress::Parse(ind.value);
      if (address && address->is_v4()) {
        out.hosts_v4.push_back(address->v4());
        continue;
      }
    }
    if (!exporters::IsIpType(ind.type)) {
      ++n.skipped;
      continue;
    }
    auto parsed = Cidr::Parse(ind.value);
    if (!parsed) {  // not what the type promises; never write it into a firewall
      ++n.skipped;
      continue;
    }
    const Cidr& c = parsed->cidr;
    bool v4 = c.network().is_v4();
    if (c.is_host()) {
      if (v4) {
        out.hosts_v4.push_back(c.network().v4());
      } else {
        out.hosts_v6.push_back(c.network());
      }
    } else {
      (v4 ? out.networks_v4 : out.networks_v6).push_back(c);
    }
  }
  KeepOutermost(out.networks_v4, n.covered);
  KeepOutermost(out.networks_v6, n.covered);
  // Sorted as integers: 14 ms of CPU for the 940,000 IPv4 hosts of the benchmark's 1M list,
  // 60 ms for the whole choice with parsing (BM_NftElementsOf1M). A radix sort we tried saved
  // under 10 ms of that: not enough for code of our own.
  std::sort(out.hosts_v4.begin(), out.hosts_v4.end());
  DropCoveredHosts(
      out.hosts_v4, out.networks_v4,
      [](const Cidr& c) { return std::pair(c.network().v4(), c.LastAddress().v4()); }, n.covered);
  std::sort(out.hosts_v6.begin(), out.hosts_v6.end());
  DropCoveredHosts(
      out.hosts_v6, out.networks_v6,
      [](const Cidr& c) { return std::pair(c.network(), c.LastAddress()); }, n.covered);
  n.v4_hosts = static_cast<int64_t>(out.hosts_v4.size());
  n.v4_networks = static_cast<int64_t>(out.networks_v4.size());
  n.v6_hosts = static_cast<int64_t>(out.hosts_v6.size());
  n.v6_networks = static_cast<int64_t>(out.networks_v6.size());
}

NftElements NftElementsOf(const Blocklist& list) {
  NftElements out;
  NftElementsOf(list, out);
  return out;
}

bool IsNftIdentifier(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!letter(name[0]) && name[0] != '_') return false;
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

std::string NftDeclareScript(const std::string& family, const std::string& table,
                             const NftSetNames& sets) {
  return fmt::format(
      "table {0} {1} {{\n"
      "\tset {2} {{\n\t\ttype ipv4_addr\n\t}}\n"
      "\tset {3} {{\n\t\ttype ipv4_addr\n\t\tflags interval\n\t}}\n"
      "\tset {4} {{\n\t\ttype ipv6_addr\n\t}}\n"
      "\tset {5} {{\n\t\ttype ipv6_addr\n\t\tflags interval\n\t}}\n"
      "}}\n",
      family, table, sets.hosts_v4, sets.networks_v4, sets.hosts_v6, sets.networks_v6);
}

std::string NftReplaceScript(const Blocklist& list, const std::string& family,
                             const std::string& table, const NftSetNames& sets,
                             NftElementCounts* counts) {
  NftElements e = NftElementsOf(list);
  if (counts != nullptr) *counts = e.counts;
  std::string out = NftDeclareScript(family, table, sets);
  for (const std::string* set :
       {&sets.hosts_v4, &sets.networks_v4, &sets.hosts_v6, &sets.networks_v6}) {
    fmt::format_to(std::back_inserter(out), "flush set {} {} {}\n", family, table, *set);
  }
  // About 16 bytes per element.
  out.reserve(out.size() + 16 * list.entries.size() + 4096);
  AppendAdd(out, family, table, sets.hosts_v4, e.hosts_v4.size(),
            [&](std::string& s, size_t i) { AppendV4(s, e.hosts_v4[i]); });
  AppendAdd(out, family, table, sets.networks_v4, e.networks_v4.size(),
            [&](std::string& s, size_t i) { AppendCidr(s, e.networks_v4[i]); });
  AppendAdd(out, family, table, sets.hosts_v6, e.hosts_v6.size(),
            [&](std::string& s, size_t i) { s += e.hosts_v6[i].ToString(); });
  AppendAdd(out, family, table, sets.networks_v6, e.networks_v6.size(),
            [&](std::string& s, size_t i) { AppendCidr(s, e.networks_v6[i]); });
  return out;
}

namespace exporters {

Expected<RenderResult> RenderNftables(const Blocklist& list, const DeviceProfile& profile) {
  const NftSetNames sets = NftSetNames::WithBase(profile.set_name);
  for (const std::string* name :
       {&profile.nft_table, &sets.hosts_v4, &sets.networks_v4, &sets.hosts_v6, &sets.networks_v6}) {
    if (!IsNftIdentifier(*name)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("'{}' is not a valid nftables table or set name (a letter or "
                                   "'_', then letters, digits, '_', '.', '-')",
                                   name->substr(0, 80)),
                       profile.name);
    }
  }
  // Entries the profile does not take are left out before the script is built, so they count
  // as skipped and cannot cover anything.
  Blocklist taken{list.profile, list.built_at, {}};
  int64_t not_taken = 0;
  for (const BlocklistEntry& e : list.entries) {
    if (ProfileTakes(profile, e)) {
      taken.entries.push_back(e);
    } else {
      ++not_taken;
    }
  }
  NftElementCounts counts;
  std::string script = NftReplaceScript(taken, "inet", profile.nft_table, sets, &counts);
  RenderResult result;
  result.written = counts.v4_elements() + counts.v6_elements() + counts.covered;
  result.skipped = not_taken + counts.skipped;
  result.content = CommentHeader("#", list, profile, "entries", result.written);
  result.content += "# apply with: nft -f FILE\n";
  result.content += script;
  return result;
}

}  // namespace exporters
}  // namespace mamori::rse::blocklist
