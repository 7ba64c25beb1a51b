#include "rse/ingest/parsers/field_text.h"

#include <array>
#include <charconv>
#include <utility>

namespace mamori::rse::ingest::field_text {
namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsNoCase(text.substr(0, prefix.size()), prefix);
}

}  // namespace

std::string_view LowerAscii(std::string_view text, Arena& arena) {
  size_t first_upper = 0;
  while (first_upper < text.size() && !(text[first_upper] >= 'A' && text[first_upper] <= 'Z')) {
    ++first_upper;
  }
  if (first_upper == text.size()) return text;
  char* out = arena.Reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    out[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return arena.Commit(text.size());
}

std::string_view FormatUnsigned(uint64_t value, Arena& arena) {
  char* out = arena.Reserve(20);
  auto result = std::to_chars(out, out + 20, value);
  return arena.Commit(static_cast<size_t>(result.ptr - out));
}

bool ParseUnsigned(std::string_view text, uint64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

UnixMicros ParseEpoch(std::string_view text) {
  size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  uint64_t value = 0;
  if (!ParseUnsigned(whole, value)) return 0;
  if (dot != std::string_view::npos) {
    std::string_view fraction = text.substr(dot + 1);
    int64_t micros = 0;
    int scale = 100000;
    for (char c : fraction) {
      if (c < '0' || c > '9') return 0;
      micros += (c - '0') * scale;
      scale /= 10;
    }
    if (whole.size() > 11) return 0;
    return static_cast<UnixMicros>(value) * 1'000'000 + micros;
  }
  switch (whole.size()) {
    case 19:
      return static_cast<UnixMicros>(value / 1000);
    case 16:
      return static_cast<UnixMicros>(value);
    case 13:
      return static_cast<UnixMicros>(value) * 1000;
    default:
      if (whole.size() <= 11) return static_cast<UnixMicros>(value) * 1'000'000;
      return 0;
  }
}

std::string_view Transport(std::string_view text, Arena& arena) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kNumbers = {{
      {"6", "tcp"},
      {"17", "udp"},
      {"1", "icmp"},
      {"58", "ipv6-icmp"},
      {"132", "sctp"},
      {"47", "gre"},
  }};
  for (const auto& [number, name] : kNumbers) {
    if (text == number) return name;
  }
  return LowerAscii(text, arena);
}

std::string_view NormalizeAction(std::string_view action) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 29> kWords = {{
      {"allow", "accept"},    {"allowed", "accept"},     {"accept", "accept"},
      {"accepted", "accept"}, {"permit", "accept"},      {"permitted", "accept"},
      {"pass", "accept"},     {"passthrough", "accept"}, {"close", "accept"},
      {"deny", "drop"},       {"denied", "drop"},        {"drop", "drop"},
      {"dropped", "drop"},    {"discard", "drop"},       {"drop-icmp", "drop"},
      {"reject", "reject"},   {"rejected", "reject"},    {"reset", "reject"},
      {"block", "block"},     {"blocked", "block"},      {"block-url", "block"},
      {"sinkhole", "block"},  {"quarantine", "block"},   {"alert", "alert"},
      {"alerted", "alert"},   {"detected", "alert"},     {"monitored", "alert"},
      {"logged", "alert"},    {"continue", "alert"},
  }};
  for (const auto& [word, normalized] : kWords) {
    if (EqualsNoCase(action, word)) return normalized;
  }
  // PAN-OS reset-client/reset-server/reset-both, FortiGate server-rst/client-rst are session
  // ends of allowed traffic on FortiGate but refusals on PAN-OS: only the "reset-" family maps.
  if (StartsWithNoCase(action, "reset-")) return "reject";
  if (StartsWithNoCase(action, "block-")) return "block";
  return {};
}

}  // namespace mamori::rse::ingest::field_text
