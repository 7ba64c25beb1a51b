#include "rse/blocklist/exporters/nftables_script.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "core/ip.h"
#include "rse/blocklist/exporters/internal/formats.h"

namespace mamori::rse::blocklist {

namespace {

struct Element {
  Cidr cidr;
  size_t index;  // in list.entries
};

// Marks the elements that lie inside another element. CIDRs either nest or are disjoint, so
// after sorting by (network, prefix) an element is covered exactly when the last element kept
// before it contains it.
std::vector<bool> CoveredElements(std::vector<Element> elements, size_t entry_count) {
  std::vector<bool> covered(entry_count, false);
  std::sort(elements.begin(), elements.end(),
            [](const Element& a, const Element& b) { return a.cidr < b.cidr; });
  std::optional<Cidr> last_kept;
  for (const Element& e : elements) {
    if (last_kept && last_kept->Contains(e.cidr)) {
      covered[e.index] = true;
    } else {
      last_kept = e.cidr;
    }
  }
  return covered;
}

void AppendAdd(std::string& out, std::string_view family, std::string_view table,
               std::string_view set, const std::vector<std::string_view>& values) {
  for (size_t start = 0; start < values.size(); start += kNftElementsPerStatement) {
    size_t end = std::min(values.size(), start + kNftElementsPerStatement);
    fmt::format_to(std::back_inserter(out), "add element {} {} {} {{\n", family, table, set);
    for (size_t i = start; i < end; ++i) {
      out += '\t';
      out += values[i];
      out += i + 1 < end ? ",\n" : "\n";
    }
    out += "}\n";
  }
}

}  // namespace

bool IsNftIdentifier(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!letter(name[0]) && name[0] != '_') return false;
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

std::string NftReplaceScript(const Blocklist& list, const std::string& family,
                             const std::string& table, const std::string& set_v4,
                             const std::string& set_v6, NftScriptCounts* counts) {
  NftScriptCounts local;
  NftScriptCounts& n = counts != nullptr ? *counts : local;
  n = {};

  std::vector<Element> elements;
  std::vector<IpFamily> family_of(list.entries.size());
  std::vector<std::string> text_of(list.entries.size());
  std::vector<bool> is_element(list.entries.size(), false);
  for (size_t i = 0; i < list.entries.size(); ++i) {
    const Indicator& ind = list.entries[i].indicator;
    if (!exporters::IsIpType(ind.type)) {
      ++n.skipped;
      continue;
    }
    auto parsed = Cidr::Parse(ind.value);
    if (!parsed) {  // not what the type promises; never write it into a firewall script
      ++n.skipped;
      continue;
    }
    elements.push_back({parsed->cidr, i});
    family_of[i] = parsed->cidr.network().family();
    // The canonical text (host bits cleared, a host without /32): what nft accepts and lists.
    text_of[i] =
        parsed->cidr.is_host() ? parsed->cidr.network().ToString() : parsed->cidr.ToString();
    is_element[i] = true;
  }
  std::vector<bool> covered = CoveredElements(elements, list.entries.size());

  std::vector<std::string_view> v4, v6;
  for (size_t i = 0; i < list.entries.size(); ++i) {
    if (!is_element[i]) continue;
    if (covered[i]) {
      ++n.covered;
      continue;
    }
    (family_of[i] == IpFamily::kV6 ? v6 : v4).push_back(text_of[i]);
  }
  n.v4_elements = static_cast<int64_t>(v4.size());
  n.v6_elements = static_cast<int64_t>(v6.size());

  std::string out = fmt::format(
      "table {0} {1} {{\n"
      "\tset {2} {{\n\t\ttype ipv4_addr\n\t\tflags interval\n\t}}\n"
      "\tset {3} {{\n\t\ttype ipv6_addr\n\t\tflags interval\n\t}}\n"
      "}}\n"
      "flush set {0} {1} {2}\n"
      "flush set {0} {1} {3}\n",
      family, table, set_v4, set_v6);
  AppendAdd(out, family, table, set_v4, v4);
  AppendAdd(out, family, table, set_v6, v6);
  return out;
}

namespace exporters {

Expected<RenderResult> RenderNftables(const Blocklist& list, const DeviceProfile& profile) {
  const std::string set_v6 = profile.set_name + "_v6";
  for (const std::string* name : {&profile.nft_table, &profile.set_name, &set_v6}) {
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
  NftScriptCounts counts;
  std::string script =
      NftReplaceScript(taken, "inet", profile.nft_table, profile.set_name, set_v6, &counts);
  RenderResult result;
  result.written = counts.v4_elements + counts.v6_elements + counts.covered;
  result.skipped = not_taken + counts.skipped;
  result.content = CommentHeader("#", list, profile, "entries", result.written);
  result.content += "# apply with: nft -f FILE\n";
  result.content += script;
  return result;
}

}  // namespace exporters
}  // namespace mamori::rse::blocklist
