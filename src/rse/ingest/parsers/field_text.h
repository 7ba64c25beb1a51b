// Normalizing device values into event field text, shared by the security-log parsers (Suricata,
// Zeek, ModSecurity, CEF, FortiGate, PAN-OS) so that every device says "tcp", "drop" or "block"
// the same way (docs/formats/logs-events.md, "Conventions that rules rely on").
//
// Results are static strings, views of the input, or copies in the caller's Arena. Stateless;
// thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "rse/ingest/event.h"

namespace mamori::rse::ingest::field_text {

// `text` in ASCII lower case: `text` itself when it already is, else a copy in `arena`.
std::string_view LowerAscii(std::string_view text, Arena& arena);

// `value` in decimal, written into `arena`.
std::string_view FormatUnsigned(uint64_t value, Arena& arena);

// Non-negative decimal integer (up to 19 digits); false when `text` is not exactly one.
bool ParseUnsigned(std::string_view text, uint64_t& out);

// A Unix time as devices write it: seconds with an optional fraction ("1300475167.096535",
// Zeek), or an integer in milliseconds (13 digits, CEF rt), microseconds (16) or nanoseconds
// (19, FortiGate eventtime). 0 when `text` is none of these.
UnixMicros ParseEpoch(std::string_view text);

// network.transport from a protocol name ("TCP", "udp") or IANA number ("6", "17", "1", "58").
// Names are lower-cased; unknown numbers stay as written.
std::string_view Transport(std::string_view text, Arena& arena);

// A device's action word mapped onto the event.action values of the conventions:
//   accept: allow, allowed, accept, accepted, permit, pass, passthrough, close, ...
//   drop:   deny, denied, drop, dropped, discard
//   reject: reject, rejected, reset*, reset-both, ...
//   block:  block, blocked, block-url, sinkhole, quarantine
//   alert:  alert, alerted, detected, monitored, logged
// ASCII case-insensitive. Returns "" when the word is none of these (callers keep it as written).
std::string_view NormalizeAction(std::string_view action);

// True for the actions that mean the device stopped the traffic (drop, reject, block).
inline bool IsStopAction(std::string_view normalized) {
  return normalized == "drop" || normalized == "reject" || normalized == "block";
}

// "Absent is absent": "-", "" → "".
inline std::string_view Present(std::string_view text) {
  return text == "-" ? std::string_view{} : text;
}

}  // namespace mamori::rse::ingest::field_text
