#include "rse/blocklist/blocklist.h"

#include <algorithm>
#include <tuple>

#include "core/address_range_set.h"
#include "core/ip.h"

namespace mamori::rse::blocklist {
namespace {

// Addresses and networks first, in numeric order (IPv4 before IPv6, wider prefix first), then
// domains, URLs and hashes by text: the order people expect to read in a firewall list.
struct SortKey {
  int rank = 0;
  int family = 0;
  AddressValue network = 0;
  int prefix = 0;
  auto operator<=>(const SortKey&) const = default;
};

SortKey KeyOf(const Indicator& indicator) {
  SortKey key;
  switch (indicator.type) {
    case IndicatorType::kIpv4:
    case IndicatorType::kIpv6:
    case IndicatorType::kCidr: {
      auto parsed = Cidr::Parse(indicator.value);
      if (!parsed) return {1, 0, 0, 0};
      key.family = parsed->cidr.network().is_v4() ? 4 : 6;
      key.network = ToAddressValue(parsed->cidr.network());
      key.prefix = parsed->cidr.prefix();
      return key;
    }
    case IndicatorType::kDomain:
      return {2, 0, 0, 0};
    case IndicatorType::kUrl:
      return {3, 0, 0, 0};
    default:
      return {4, static_cast<int>(indicator.type), 0, 0};
  }
}

}  // namespace

void SortCanonical(std::vector<BlocklistEntry>& entries) {
  std::vector<std::pair<SortKey, size_t>> keys(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) keys[i] = {KeyOf(entries[i].indicator), i};
  std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return entries[a.second].indicator.value < entries[b.second].indicator.value;
  });
  std::vector<BlocklistEntry> sorted;
  sorted.reserve(entries.size());
  for (const auto& [key, index] : keys) sorted.push_back(std::move(entries[index]));
  entries = std::move(sorted);
}

}  // namespace mamori::rse::blocklist
