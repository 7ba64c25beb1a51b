// Helpers shared by the IP info sources (not part of the public interface): IPv4-mapped IPv6
// unwrapping and 128-bit keys for IPv6 ranges.
#pragma once

#include <cstdint>

#include "core/ip.h"

namespace mamori::domain::ipinfo::internal {

// ::ffff:a.b.c.d → a.b.c.d; any other address unchanged. Resolvers and logs write IPv4 peers
// in this form; every data set keys them as IPv4.
inline IpAddress UnmapV4(const IpAddress& address) {
  if (address.is_v4()) return address;
  const auto& b = address.bytes();
  for (int i = 0; i < 10; ++i) {
    if (b[i] != 0) return address;
  }
  if (b[10] != 0xff || b[11] != 0xff) return address;
  return IpAddress::FromV4((uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) |
                           (uint32_t{b[14]} << 8) | uint32_t{b[15]});
}

using U128 = unsigned __int128;

inline U128 V6Key(const IpAddress& address) {
  U128 key = 0;
  for (uint8_t byte : address.bytes()) key = (key << 8) | byte;
  return key;
}

}  // namespace mamori::domain::ipinfo::internal
