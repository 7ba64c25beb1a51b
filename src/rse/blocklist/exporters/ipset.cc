// "ipset": an `ipset restore` file (docs/formats/ipset.md).
//
// Each set is filled under a temporary name and swapped in (`swap` exchanges two sets
// atomically), so packet filtering never sees an empty or half-filled set while a large list
// loads; `flush NAME` + `add` would. `create -exist` succeeds only when an existing set has the
// same type and parameters, so maxelem is derived from the profile's IP capacity (stable across
// builds) rather than from the entry count (which would change it, and fail, on growth).
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/ip.h"
#include "rse/blocklist/exporters/internal/formats.h"

namespace mamori::rse::blocklist::exporters {

namespace {

constexpr size_t kIpsetMaxNameLength = 31;  // IPSET_MAXNAMELEN - 1
constexpr int64_t kMinMaxElem = 65536;      // ipset's default maxelem

bool IsIpsetName(std::string_view name) {
  if (name.empty() || name.size() > kIpsetMaxNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

int64_t MaxElem(int64_t wanted) {
  int64_t m = kMinMaxElem;
  while (m < wanted && m < (int64_t{1} << 40)) m <<= 1;
  return m;
}

// The set filled before the swap: "<name>.new", the name cut to fit 31 characters. Two sets
// whose names share 27 characters share it too, which is harmless within one file (each
// temporary set is destroyed before the next is made).
std::string TemporaryName(const std::string& name) {
  return name.substr(0, kIpsetMaxNameLength - 4) + ".new";
}

void AppendSet(std::string& out, const std::string& name, std::string_view type,
               std::string_view family, int64_t maxelem, const std::vector<std::string>& values) {
  std::string tmp = TemporaryName(name);
  std::string create_args =
      fmt::format("{} family {} hashsize 1024 maxelem {} -exist", type, family, maxelem);
  fmt::format_to(std::back_inserter(out), "create {} {}\n", name, create_args);
  fmt::format_to(std::back_inserter(out), "create {} {}\n", tmp, create_args);
  fmt::format_to(std::back_inserter(out), "flush {}\n", tmp);
  for (const std::string& v : values) {
    fmt::format_to(std::back_inserter(out), "add {} {} -exist\n", tmp, v);
  }
  fmt::format_to(std::back_inserter(out), "swap {} {}\n", tmp, name);
  fmt::format_to(std::back_inserter(out), "destroy {}\n", tmp);
}

}  // namespace

Expected<RenderResult> RenderIpset(const Blocklist& list, const DeviceProfile& profile) {
  const std::string& name_v4 = profile.set_name;
  std::string name_v6 = profile.set_name + "_v6";
  if (!IsIpsetName(name_v6)) {  // the longer of the two
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a usable ipset name: letters, digits, '_', '.', "
                                 "'-', at most {} characters",
                                 name_v4.substr(0, 80), kIpsetMaxNameLength - 3),
                     profile.name);
  }
  // Without CIDR support the device holds single addresses only (hash:ip).
  bool nets = profile.cidr != CidrPolicy::kUnsupported;
  RenderResult result;
  std::vector<std::string> v4, v6;
  for (const BlocklistEntry& e : list.entries) {
    if (!ProfileTakes(profile, e) || !IsIpType(e.indicator.type)) {
      ++result.skipped;
      continue;
    }
    auto parsed = Cidr::Parse(e.indicator.value);
    // hash:net cannot store a /0 ("zero prefix size"), hash:ip no network at all.
    if (!parsed || parsed->cidr.prefix() == 0 || (!nets && !parsed->cidr.is_host())) {
      ++result.skipped;
      continue;
    }
    const Cidr& c = parsed->cidr;
    (c.network().is_v4() ? v4 : v6).push_back(c.is_host() ? c.network().ToString() : c.ToString());
    ++result.written;
  }
  int64_t maxelem = MaxElem(
      std::max<int64_t>(profile.capacity.ip, static_cast<int64_t>(std::max(v4.size(), v6.size()))));
  std::string_view type = nets ? "hash:net" : "hash:ip";
  result.content = CommentHeader("#", list, profile, "entries", result.written);
  result.content += "# apply with: ipset restore -f FILE\n";
  AppendSet(result.content, name_v4, type, "inet", maxelem, v4);
  AppendSet(result.content, name_v6, type, "inet6", maxelem, v6);
  return result;
}

}  // namespace mamori::rse::blocklist::exporters
