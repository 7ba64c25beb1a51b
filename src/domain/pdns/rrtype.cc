#include "domain/pdns/rrtype.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <utility>

namespace mamori::domain::pdns {
namespace {

// The IANA registry's assigned mnemonics (obsolete and meta types included: they do appear in
// passive DNS exports).
// clang-format off
constexpr std::array<std::pair<std::string_view, uint16_t>, 68> kTypes{{
    {"A", 1},          {"NS", 2},          {"MD", 3},         {"MF", 4},
    {"CNAME", 5},      {"SOA", 6},         {"MB", 7},         {"MG", 8},
    {"MR", 9},         {"NULL", 10},       {"WKS", 11},       {"PTR", 12},
    {"HINFO", 13},     {"MINFO", 14},      {"MX", 15},        {"TXT", 16},
    {"RP", 17},        {"AFSDB", 18},      {"X25", 19},       {"ISDN", 20},
    {"RT", 21},        {"NSAP", 22},       {"NSAP-PTR", 23},  {"SIG", 24},
    {"KEY", 25},       {"PX", 26},         {"GPOS", 27},      {"AAAA", 28},
    {"LOC", 29},       {"NXT", 30},        {"EID", 31},       {"NIMLOC", 32},
    {"SRV", 33},       {"ATMA", 34},       {"NAPTR", 35},     {"KX", 36},
    {"CERT", 37},      {"A6", 38},         {"DNAME", 39},     {"SINK", 40},
    {"OPT", 41},       {"APL", 42},        {"DS", 43},        {"SSHFP", 44},
    {"IPSECKEY", 45},  {"RRSIG", 46},      {"NSEC", 47},      {"DNSKEY", 48},
    {"DHCID", 49},     {"NSEC3", 50},      {"NSEC3PARAM", 51}, {"TLSA", 52},
    {"SMIMEA", 53},    {"HIP", 55},        {"CDS", 59},       {"CDNSKEY", 60},
    {"OPENPGPKEY", 61}, {"CSYNC", 62},     {"ZONEMD", 63},    {"SVCB", 64},
    {"HTTPS", 65},     {"SPF", 99},        {"EUI48", 108},    {"EUI64", 109},
    {"ANY", 255},      {"URI", 256},       {"CAA", 257},      {"DLV", 32769},
}};
// clang-format on

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (x != b[i]) return false;
  }
  return true;
}

std::optional<uint16_t> Number(std::string_view digits) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
      value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

std::optional<uint16_t> ParseRrtype(std::string_view text) {
  // The common types first: this runs once per record.
  if (text == "A") return kTypeA;
  if (text == "AAAA") return kTypeAaaa;
  if (text == "CNAME") return kTypeCname;
  for (const auto& [name, number] : kTypes) {
    if (EqualsNoCase(text, name)) return number;
  }
  if (text.size() > 4 && EqualsNoCase(text.substr(0, 4), "TYPE")) return Number(text.substr(4));
  if (text.size() > 6 && text.substr(0, 6) == "query-") return Number(text.substr(6));
  if (text == "*") return uint16_t{255};  // Zeek's name for ANY
  return std::nullopt;
}

std::string RrtypeName(uint16_t rrtype) {
  for (const auto& [name, number] : kTypes) {
    if (number == rrtype) return std::string(name);
  }
  return fmt::format("TYPE{}", rrtype);
}

}  // namespace mamori::domain::pdns
