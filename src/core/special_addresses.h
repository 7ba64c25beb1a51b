// Special-purpose address ranges (RFC 6890 and its IANA registries): private networks,
// loopback, link-local, documentation, CGNAT, multicast and the like. An address in one of
// them is ours or nobody's — never an internet attacker to report or block on its own —
// so detections do not turn them into intel sightings and responses skip them unless told.
//
// Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are
// listed separately: they are not routable, but our tests, docs and simulators use them as
// stand-ins for public attackers, so callers decide whether they count as global.
#pragma once

#include "core/ip.h"

namespace mamori {

// True for private, loopback, link-local, CGNAT, unspecified, multicast, broadcast, reserved,
// benchmarking, unique-local and similar ranges; false for documentation ranges (see above).
bool IsSpecialPurpose(const IpAddress& address);

// True for the documentation ranges (RFC 5737, RFC 3849).
bool IsDocumentation(const IpAddress& address);

}  // namespace mamori
