// IsSpecialPurposeAddress: "is this address ours or nobody's?" — private, loopback, link-local,
// multicast, CGNAT … as listed by the built-in special-ranges warning list
// (data/warninglists/special-ranges.txt), except its documentation ranges: they carry no real
// traffic, and docs, tests, demos and benchmarks use them as stand-ins for public attackers.
// Such an address is never sighted as an attacker (rse/detect/pipeline.h) and never acted on by
// a playbook unless it says so (rse/respond/safety.h). Thread-safe.
#pragma once

#include "core/indicator.h"

namespace mamori::intel {

// For an IPv4/IPv6 address or a CIDR (true when it intersects a special range). The
// documentation rows are those whose reason starts "documentation".
bool IsSpecialPurposeAddress(const Indicator& address);

}  // namespace mamori::intel
