#include "core/special_addresses.h"

#include <array>
#include <string_view>

namespace mamori {
namespace {

// Parsed once; the tables are small enough that a linear scan beats anything cleverer.
template <size_t N>
std::array<Cidr, N> ParseAll(const std::array<std::string_view, N>& texts) {
  std::array<Cidr, N> out;
  for (size_t i = 0; i < N; ++i) out[i] = Cidr::Parse(texts[i])->cidr;
  return out;
}

bool InAny(const IpAddress& address, const auto& cidrs) {
  for (const Cidr& c : cidrs) {
    if (c.Contains(address)) return true;
  }
  return false;
}

}  // namespace

bool IsSpecialPurpose(const IpAddress& address) {
  static const auto kRanges = ParseAll(std::array<std::string_view, 24>{
      "0.0.0.0/8",       "10.0.0.0/8",     "100.64.0.0/10",  "127.0.0.0/8",
      "169.254.0.0/16",  "172.16.0.0/12",  "192.0.0.0/24",   "192.88.99.0/24",
      "192.168.0.0/16",  "198.18.0.0/15",  "224.0.0.0/4",    "240.0.0.0/4",
      "::/128",          "::1/128",        "::ffff:0:0/96",  "64:ff9b:1::/48",
      "100::/64",        "2001::/23",      "2002::/16",      "fc00::/7",
      "fe80::/10",       "ff00::/8",       "255.255.255.255/32", "5f00::/16"});
  return InAny(address, kRanges);
}

bool IsDocumentation(const IpAddress& address) {
  static const auto kRanges = ParseAll(std::array<std::string_view, 4>{
      "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"});
  return InAny(address, kRanges);
}

}  // namespace mamori
