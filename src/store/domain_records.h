// Plain records of the domain-reputation evidence that cross the store::Store interface:
// passive DNS (migration 0010) and the domain lifecycle — popularity lists, zone presence,
// registration data, labels (migration 0011). No behaviour, no SQL. docs/domain-reputation.md
// says how features read them; docs/formats/ describes the input formats they come from.
//
// Time. Passive DNS keeps UnixSeconds as its sources give them. Daily snapshots (popularity
// lists, zone files) are kept per UTC day (`Day`: days since 1970-01-01), as intervals of
// consecutive snapshots rather than one row per day: a domain in the Tranco top 1M for a year is
// one row, not 365. Feature extraction at a prediction date T reads only what starts at or
// before T and clips what ends after it, so no fact from after T leaks into a score.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"

namespace mamori::store {

using Day = int32_t;  // days since 1970-01-01 UTC

// --- passive DNS ---

// One aggregated resource record set: `name` resolved to `rdata` (`rrtype`) between first_seen
// and last_seen, `count` times. rdata is the record's text form: an IP address for A/AAAA, a
// lower-case name without trailing dot for CNAME/NS/MX (MX without preference)/PTR, the
// presentation text otherwise. `registered` is name's registrable domain (PSL, private section
// included), empty when it has none. Unknown rrtypes are kept (features ignore them).
struct PdnsRrset {
  std::string name;
  std::string registered;
  uint16_t rrtype = 0;
  std::string rdata;
  UnixSeconds first_seen = 0;
  UnixSeconds last_seen = 0;
  int64_t count = 0;
};

struct PdnsMergeStats {
  int64_t inserted = 0;  // rrsets the store did not have
  int64_t updated = 0;   // rrsets merged into a stored one (min first, max last, counts added)
};

// --- lifecycle ---

// A run of consecutive snapshots of `list` (e.g. "tranco") that held `domain` with a rank in
// the same power-of-two band: rank_band b means 2^b <= rank < 2^(b+1) (band 0 is rank 1). A
// domain that moves from rank 900 to rank 90 gets a new interval, so a rising or falling
// domain is visible without one row per day. first_day/last_day are the first and last snapshot
// days of the run; best_rank is the run's best (lowest) rank.
struct PopularityInterval {
  std::string domain;
  std::string list;
  Day first_day = 0;
  Day last_day = 0;
  int32_t rank_band = 0;
  int32_t best_rank = 0;
};

// A run of consecutive snapshots of `zone` (a TLD such as "com") that held `domain`.
// A gap between two intervals of one domain is a time it was not registered (expired, deleted).
struct ZoneInterval {
  std::string domain;
  std::string zone;
  Day first_day = 0;
  Day last_day = 0;
};

// One snapshot applied to a list or zone (which days were observed: absence from a snapshot
// means something only on a day that has one).
struct SnapshotDay {
  std::string name;  // list or zone
  Day day = 0;
  int64_t entries = 0;
};

// What an RDAP response (RFC 9083) said about a domain at observed_at. Times are 0 when absent.
struct RegistrationObservation {
  std::string domain;
  UnixSeconds observed_at = 0;
  UnixSeconds created = 0;     // event "registration"
  UnixSeconds expires = 0;     // event "expiration"
  UnixSeconds updated = 0;     // event "last changed"
  std::string registrar;       // the registrar entity's vCard fn
  std::string registrar_iana;  // its IANA Registrar ID, when given
  std::string abuse_email;     // the registrar's abuse contact
  std::vector<std::string> nameservers;  // lower case, no trailing dot
  std::vector<std::string> statuses;     // e.g. "client transfer prohibited"
};

// Ground truth for training and evaluation: `domain` was known malicious (or benign) from `at`.
struct DomainLabel {
  std::string domain;
  bool malicious = false;
  UnixSeconds at = 0;
  std::string source;  // where the label comes from ("urlhaus", "sim-truth", a file name)
};

}  // namespace mamori::store
