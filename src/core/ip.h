// IPv4/IPv6 addresses and CIDR prefixes: parse, normalize, compare, test containment.
//
// `IpAddress` is a 17-byte value type (family + 16 address bytes, IPv4 in the first 4); it is
// ordered IPv4 before IPv6, then by bytes, so sorted containers group networks together.
// `Cidr` always holds a network address with host bits cleared: `Cidr::Parse("10.1.2.3/8")`
// yields 10.0.0.0/8 and reports that it normalized the host bits, so feed parsers can warn.
// IPv4-mapped IPv6 addresses (::ffff:1.2.3.4) are kept as IPv6, as written. All types here are
// immutable values and safe to share between threads.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mamori {

enum class IpFamily : uint8_t { kV4 = 4, kV6 = 6 };

class IpAddress {
 public:
  IpAddress() = default;
  static Expected<IpAddress> Parse(std::string_view text);
  static IpAddress FromV4(uint32_t host_order);
  static IpAddress FromV6(const std::array<uint8_t, 16>& bytes);

  IpFamily family() const { return family_; }
  bool is_v4() const { return family_ == IpFamily::kV4; }
  int bit_length() const { return is_v4() ? 32 : 128; }
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  uint32_t v4() const;  // host byte order; only for IPv4

  // Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6.
  std::string ToString() const;
  // Returns this address with all bits after the first `prefix` bits cleared.
  IpAddress Masked(int prefix) const;
  // True when any bit after the first `prefix` bits is set.
  bool HasHostBits(int prefix) const;

  auto operator<=>(const IpAddress&) const = default;
  bool operator==(const IpAddress&) const = default;

 private:
  IpFamily family_ = IpFamily::kV4;
  std::array<uint8_t, 16> bytes_{};
};

class Cidr {
 public:
  Cidr() = default;
  // Cidr::Of(addr, prefix) clears host bits; `prefix` must be within the family's bit length.
  static Cidr Of(const IpAddress& address, int prefix);

  struct ParseResult;
  // Accepts "a.b.c.d/n", "v6/n" and a bare address (full-length prefix).
  static Expected<ParseResult> Parse(std::string_view text);

  const IpAddress& network() const { return network_; }
  int prefix() const { return prefix_; }
  bool is_host() const { return prefix_ == network_.bit_length(); }
  bool Contains(const IpAddress& address) const;
  bool Contains(const Cidr& other) const;
  IpAddress LastAddress() const;
  std::string ToString() const;  // "10.0.0.0/8"

  auto operator<=>(const Cidr&) const = default;
  bool operator==(const Cidr&) const = default;

 private:
  IpAddress network_;
  int prefix_ = 0;
};

struct Cidr::ParseResult {
  Cidr cidr;
  bool host_bits_cleared = false;  // the input had host bits set; we cleared them
};

}  // namespace mamori
