// Internal to the exporters: one Render function per format (one .cc each) and the rules they
// share. Only exporter.cc (dispatch) and the exporter tests include this.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/ip.h"
#include "rse/blocklist/blocklist.h"
#include "rse/blocklist/exporters/exporter.h"
#include "rse/blocklist/profile.h"

namespace mamori::rse::blocklist::exporters {

Expected<RenderResult> RenderPaloAltoEdl(const Blocklist& list, const DeviceProfile& profile);
Expected<RenderResult> RenderFortigateFeed(const Blocklist& list, const DeviceProfile& profile);
Expected<RenderResult> RenderNftables(const Blocklist& list, const DeviceProfile& profile);
Expected<RenderResult> RenderIpset(const Blocklist& list, const DeviceProfile& profile);
Expected<RenderResult> RenderPf(const Blocklist& list, const DeviceProfile& profile);
// unbound and BIND read the same RPZ zone file.
Expected<RenderResult> RenderRpz(const Blocklist& list, const DeviceProfile& profile);
Expected<RenderResult> RenderHosts(const Blocklist& list, const DeviceProfile& profile);
Expected<RenderResult> RenderCsv(const Blocklist& list, const DeviceProfile& profile);
Expected<RenderResult> RenderStix(const Blocklist& list, const DeviceProfile& profile);

// --- Shared rules (exporter.cc) ---

bool IsIpType(IndicatorType type);    // ipv4, ipv6, cidr
bool IsHashType(IndicatorType type);  // sha256, sha1, md5

// True when the profile takes this indicator's class (its capacity for the class is > 0) and,
// for a CIDR, when the device takes CIDRs at all (CidrPolicy::kUnsupported does not). The
// selector already keeps within capacity; this keeps a class the device cannot hold out of
// its file even when a list built for another profile is rendered.
bool ProfileTakes(const DeviceProfile& profile, const BlocklistEntry& entry);

// True when `value` can be one token of a line-oriented file: not empty, and no whitespace,
// control character or DEL. A value that fails would split a line or start a comment, so it is
// skipped rather than written.
bool IsLineSafe(std::string_view value);

// True when `name` (a normalized domain) is safe as an owner name in a DNS zone file: labels of
// 1..63 characters from [a-z0-9_-], separated by single dots.
bool IsZoneSafeName(std::string_view name);

// "https://evil.example/x" -> "evil.example/x"; the value unchanged when it has no scheme.
std::string_view StripUrlScheme(std::string_view url);

// "# <line>" comment lines that head the text formats allowing comments.
std::string CommentHeader(std::string_view marker, const Blocklist& list,
                          const DeviceProfile& profile, std::string_view what, int64_t written);

// --- Format pieces, exposed for their tests ---

// rpz.cc: the rpz-ip owner name of a network, relative to the zone ("24.0.2.0.192.rpz-ip").
std::string RpzIpTrigger(const Cidr& cidr);

// stix.cc: a name-based UUID (RFC 9562 version 5, SHA-1) in its text form; empty if libcrypto
// fails.
std::string UuidV5(const std::array<uint8_t, 16>& name_space, std::string_view name);

}  // namespace mamori::rse::blocklist::exporters
