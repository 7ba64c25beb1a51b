// The synthetic world behind `mamori sim domains` (docs/domain-sim.md): N registrable domains
// over M days, of benign and malicious kinds, with their registrations, DNS answers, popularity,
// blocklist listings and hosting ASNs, and the ground truth of each. BuildWorld() makes the whole
// world in memory from a seed; domain/sim/writers.h writes it in the input formats the domain
// readers take (zone lists, RDAP, DNSDB, Zeek dns.log, top lists, blocklists, ip2asn).
//
// It is a model for demos and tests, not data: results measured on it are reported as such,
// separately from results on real data. Every assumption is listed in docs/domain-sim.md.
//
// Days are offsets from the start date (day 0 .. days-1); negative days are before the start
// (old registrations, passive-DNS history). Same config → the same world, bit for bit: all draws
// come from domain/sim/random.h in one stream per phase. Plain data; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mamori::domain::sim {

inline constexpr int kNoDay = std::numeric_limits<int>::min() / 2;
inline constexpr int kForever = std::numeric_limits<int>::max() / 2;
// How far back the passive-DNS sensors reach before the start (their history).
inline constexpr int kPdnsHistoryDays = 365;

enum class Kind : uint8_t {
  // benign
  kPopular,      // stable popular site: old, in the top list all along, few stable IPs
  kStable,       // old site, rarely popular, shared or cloud hosting
  kNew,          // registered during the period; most never popular, some rise
  kRandomLooking,  // CDN/tracking hash-like labels: a lexical confounder
  kDropCatch,    // expired domain re-registered by someone harmless: a lifecycle confounder
  kMovedShared,  // moves to a shared-hosting server that also hosts malware: an IP confounder
  // malicious
  kDga,           // DGA family, registered and resolved in bursts, short life
  kReregistered,  // expired domain re-registered by an attacker (zone gap, new registrar)
  kAttacker,      // new registration for a campaign, on reused bulletproof IPs
  kFastFlux,      // many residential IPs over many ASNs, changing daily
  kCompromised,   // old benign site, IPs unchanged, serves malware for a while (hard by design)
};
inline constexpr int kKindCount = 11;

struct KindInfo {
  Kind kind;
  std::string_view name;  // as written in truth.csv and accepted by --mix
  bool malicious;
  double default_share;
};
const std::array<KindInfo, kKindCount>& Kinds();
const KindInfo& InfoOf(Kind kind);

enum class AsnKind : uint8_t { kCloud, kShared, kParking, kBulletproof, kResidential };
std::string_view AsnKindName(AsnKind kind);

struct Asn {
  uint32_t number = 0;
  std::string country;
  std::string description;
  AsnKind kind = AsnKind::kCloud;
  uint32_t first_ip = 0, last_ip = 0;  // one contiguous range
  // Shared/parking: the few server IPs that carry all their sites (dense). Bulletproof: the "hot"
  // IPs that successive campaigns come back to.
  std::vector<uint32_t> servers;
};

struct Registrar {
  int iana_id = 0;
  std::string name;
  std::string abuse_email;
  bool cheap = false;  // favoured by attackers (low price, lax abuse handling)
};

// One registration of a domain (a re-registered domain has two).
struct Registration {
  int created = 0;
  int zone_from = 0;          // first day in the TLD zone
  int zone_to = kForever;     // last day in the zone (kForever: through the end)
  int expires = kForever;     // expiry that is not renewed (kForever: renewed every year)
  int deleted = kForever;     // the registry deletes it (drops); RDAP answers 404 from then on
  bool suspended = false;     // taken out of the zone by the registrar after abuse reports
  int registrar = 0;          // index into World::registrars
  int ns_set = 0;             // index into World::ns_sets
};

// A name resolving to an IP over a contiguous run of days (one DNSDB line).
struct DnsSegment {
  uint8_t name = 0;  // 0: the apex, 1: www.<apex>
  int from = 0, to = 0;
  uint32_t ip = 0;
  uint32_t ttl = 3600;
};

struct Listing {
  int feed = 0;
  int from = 0, to = 0;  // inclusive; `to` may lie past the end
};

struct Domain {
  std::string name;  // registrable domain, lower case, no trailing dot
  uint8_t tld = 0;   // index into World::tlds
  Kind kind = Kind::kStable;
  bool malicious = false;
  std::vector<Registration> regs;  // in time order
  int active_from = kNoDay, active_until = kNoDay;  // malicious use, inclusive
  std::vector<DnsSegment> dns;
  std::vector<Listing> listings;
  int first_listed = kNoDay;  // first day any feed listed it (benign too: feed noise)
  int first_feed = -1;        // the feed of that listing
  // Top-list model: eligible on [pop_from, pop_to]; daily score base + slope * (day - pop_from)
  // + noise; pop_base < 0 means never ranked.
  double pop_base = -1, pop_slope = 0;
  int pop_from = 0, pop_to = 0;
  double queries_per_day = 1;  // DNS lookups seen by pDNS sensors (sets DNSDB counts)
  int group = -1;  // DGA family or attacker campaign, else -1

  // The registration covering `day` (created <= day < deleted), or null.
  const Registration* RegistrationOn(int day) const;
  bool InZone(int day) const;
  // The last registration created on or before `day` (kNoDay-created ones excluded), or null.
  const Registration* LatestRegistration(int day) const;
};

struct DgaFamily {
  std::string name;
  int scheme = 0;  // name construction (world.cc: uniform letters, alphanumeric, ...)
  std::vector<uint8_t> tlds;
  bool residential = false;  // bots host it, else bulletproof IPs
  struct Burst {
    int from = 0, to = 0;  // registration days of the burst, inclusive
  };
  std::vector<Burst> bursts;
};

struct Feed {
  std::string name;
  std::array<double, kKindCount> coverage{};  // probability it ever lists a domain of a kind
  int lag_min = 1;
  double lag_scale = 1, lag_alpha = 1.2;
  int lag_cap = 120;
  int keep_min = 14, keep_max = 60;  // days a listing stays
  double false_positive_rate = 0;    // share of benign domains it lists by mistake
};

struct WorldConfig {
  int domains = 20000;
  int days = 365;
  uint64_t seed = 1;
  int start_epoch_day = 20089;  // 2025-01-01, in days since 1970-01-01
  int zeek_days = 2;
  std::array<double, kKindCount> mix{};  // shares; all zero = the defaults
};

struct World {
  WorldConfig config;
  std::vector<std::string> tlds;
  std::vector<Asn> asns;  // ordered by first_ip
  std::vector<Registrar> registrars;
  std::vector<std::array<std::string, 2>> ns_sets;  // two nameserver host names each
  std::vector<DgaFamily> families;
  std::vector<Feed> feeds;
  std::vector<Domain> domains;  // sorted by name
  std::array<int, kKindCount> counts{};
  int benign_label_days = 90;  // days in the top list before "benign" is knowable

  // The ASN whose range holds `ip`, or null.
  const Asn* AsnOf(uint32_t ip) const;
};

// "kind:share,kind:share" → config.mix (kinds not named keep their default share; the shares are
// normalized to sum to 1). Errors name the bad entry.
Status ApplyMix(std::string_view text, WorldConfig& config);
// The shares actually used (defaults when config.mix is all zero), normalized.
std::array<double, kKindCount> EffectiveMix(const WorldConfig& config);

Expected<World> BuildWorld(const WorldConfig& config);

// Calendar helpers (proleptic Gregorian, UTC).
Expected<int> ParseDate(std::string_view yyyy_mm_dd);  // → days since 1970-01-01
std::string FormatDate(int epoch_day);                  // → "YYYY-MM-DD"
std::string FormatIp(uint32_t ip);

}  // namespace mamori::domain::sim
