// DNS resource record types: the mnemonic ("A", "MX") ↔ number (1, 15) table shared by the
// passive DNS readers (RFC 1035, IANA "Resource Record (RR) TYPEs"). Pure functions,
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mamori::domain::pdns {

inline constexpr uint16_t kTypeA = 1;
inline constexpr uint16_t kTypeNs = 2;
inline constexpr uint16_t kTypeCname = 5;
inline constexpr uint16_t kTypeSoa = 6;
inline constexpr uint16_t kTypePtr = 12;
inline constexpr uint16_t kTypeMx = 15;
inline constexpr uint16_t kTypeTxt = 16;
inline constexpr uint16_t kTypeAaaa = 28;
inline constexpr uint16_t kTypeSrv = 33;
inline constexpr uint16_t kTypeDname = 39;

// The number of a type written as a mnemonic (case-insensitive), as RFC 3597's "TYPE123", or as
// Zeek's "query-123" for types it has no name for. nullopt for anything else.
std::optional<uint16_t> ParseRrtype(std::string_view text);

// "A", "MX", … or "TYPE123" for a number without a mnemonic.
std::string RrtypeName(uint16_t rrtype);

}  // namespace mamori::domain::pdns
