#include "core/ip.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include <fmt/format.h>

namespace mamori {

namespace {

// Hand-written dotted-quad parser: feeds are mostly IPv4 and inet_pton needs a NUL-terminated
// copy; this path parses in place (about 3x faster than copy + inet_pton in bench/parse_bench).
bool ParseV4(std::string_view s, uint32_t& out) {
  uint32_t value = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    if (i >= s.size()) return false;
    uint32_t octet = 0;
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      octet = octet * 10 + static_cast<uint32_t>(s[i] - '0');
      if (octet > 255 || i - start >= 3) return false;
      ++i;
    }
    if (i == start) return false;
    if (i - start > 1 && s[start] == '0') return false;  // no octal-looking "010"
    value = (value << 8) | octet;
    ++parts;
    if (parts < 4) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  if (i != s.size()) return false;
  out = value;
  return true;
}

}  // namespace

Expected<IpAddress> IpAddress::Parse(std::string_view text) {
  uint32_t v4 = 0;
  if (ParseV4(text, v4)) return FromV4(v4);
  // No NUL inside: inet_pton would stop there and accept "::1\0junk" as "::1".
  if (text.find(':') != std::string_view::npos && text.size() < INET6_ADDRSTRLEN &&
      text.find('\0') == std::string_view::npos) {
    char buf[INET6_ADDRSTRLEN];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    std::array<uint8_t, 16> bytes{};
    if (inet_pton(AF_INET6, buf, bytes.data()) == 1) return FromV6(bytes);
  }
  return MakeError(ErrorCode::kInvalidArgument, "not an IPv4 or IPv6 address",
                   std::string(text.substr(0, 64)));
}

IpAddress IpAddress::FromV4(uint32_t host_order) {
  IpAddress a;
  a.family_ = IpFamily::kV4;
  a.bytes_[0] = static_cast<uint8_t>(host_order >> 24);
  a.bytes_[1] = static_cast<uint8_t>(host_order >> 16);
  a.bytes_[2] = static_cast<uint8_t>(host_order >> 8);
  a.bytes_[3] = static_cast<uint8_t>(host_order);
  return a;
}

IpAddress IpAddress::FromV6(const std::array<uint8_t, 16>& bytes) {
  IpAddress a;
  a.family_ = IpFamily::kV6;
  a.bytes_ = bytes;
  return a;
}

uint32_t IpAddress::v4() const {
  return (uint32_t{bytes_[0]} << 24) | (uint32_t{bytes_[1]} << 16) | (uint32_t{bytes_[2]} << 8) |
         uint32_t{bytes_[3]};
}

std::string IpAddress::ToString() const {
  if (is_v4()) {
    return fmt::format("{}.{}.{}.{}", bytes_[0], bytes_[1], bytes_[2], bytes_[3]);
  }
  // glibc prints ::a.b.c.d for the deprecated IPv4-compatible range (::/96 with a non-zero
  // seventh group); RFC 5952 keeps mixed notation for ::ffff:0:0/96 only, so write it as hex.
  bool first_96_zero = true;
  for (int i = 0; i < 12; ++i) first_96_zero = first_96_zero && bytes_[i] == 0;
  if (first_96_zero && (bytes_[12] != 0 || bytes_[13] != 0)) {
    return fmt::format("::{:x}:{:x}", (bytes_[12] << 8) | bytes_[13],
                       (bytes_[14] << 8) | bytes_[15]);
  }
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, bytes_.data(), buf, sizeof buf);  // RFC 5952 form on glibc otherwise
  return buf;
}

IpAddress IpAddress::Masked(int prefix) const {
  IpAddress out = *this;
  int n = bit_length() / 8;
  for (int i = 0; i < n; ++i) {
    int bits_left = prefix - i * 8;
    if (bits_left >= 8) continue;
    if (bits_left <= 0) {
      out.bytes_[i] = 0;
    } else {
      out.bytes_[i] &= static_cast<uint8_t>(0xFF << (8 - bits_left));
    }
  }
  return out;
}

bool IpAddress::HasHostBits(int prefix) const { return Masked(prefix) != *this; }

Cidr Cidr::Of(const IpAddress& address, int prefix) {
  Cidr c;
  c.prefix_ = prefix;
  c.network_ = address.Masked(prefix);
  return c;
}

Expected<Cidr::ParseResult> Cidr::Parse(std::string_view text) {
  auto slash = text.find('/');
  auto address = IpAddress::Parse(text.substr(0, slash));
  if (!address) {
    return MakeError(ErrorCode::kInvalidArgument, "not a CIDR prefix (bad address part)",
                     std::string(text.substr(0, 64)));
  }
  int prefix = address->bit_length();
  if (slash != std::string_view::npos) {
    std::string_view p = text.substr(slash + 1);
    auto r = std::from_chars(p.data(), p.data() + p.size(), prefix);
    // Digits only: from_chars takes a sign, and "/-0" is not a prefix length.
    if (p.empty() || p.front() < '0' || p.front() > '9' || r.ec != std::errc() ||
        r.ptr != p.data() + p.size() || prefix < 0 || prefix > address->bit_length()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("prefix length must be 0..{}", address->bit_length()),
                       std::string(text.substr(0, 64)));
    }
  }
  ParseResult result;
  result.host_bits_cleared = address->HasHostBits(prefix);
  result.cidr = Of(*address, prefix);
  return result;
}

bool Cidr::Contains(const IpAddress& address) const {
  return address.family() == network_.family() && address.Masked(prefix_) == network_;
}

bool Cidr::Contains(const Cidr& other) const {
  return other.prefix_ >= prefix_ && Contains(other.network_);
}

IpAddress Cidr::LastAddress() const {
  auto bytes = network_.bytes();
  int n = network_.bit_length() / 8;
  for (int i = 0; i < n; ++i) {
    int bits_left = prefix_ - i * 8;
    if (bits_left >= 8) continue;
    if (bits_left <= 0) {
      bytes[i] = 0xFF;
    } else {
      bytes[i] |= static_cast<uint8_t>(0xFF >> bits_left);
    }
  }
  if (network_.is_v4()) {
    return IpAddress::FromV4((uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                             (uint32_t{bytes[2]} << 8) | uint32_t{bytes[3]});
  }
  return IpAddress::FromV6(bytes);
}

std::string Cidr::ToString() const { return fmt::format("{}/{}", network_.ToString(), prefix_); }

}  // namespace mamori
