// EvidenceIndex: everything the reputation features read, in memory, keyed by registered domain
// and by address — passive DNS resolutions, popularity and zone intervals, registration
// observations, blocklist listings and labels (store/domain_records.h). It is built once (from
// the store with LoadEvidenceIndex, or record by record with EvidenceIndexBuilder) and then
// answers feature extraction for any name at any prediction date without touching SQLite: the
// issue's full-scoring figure (≥ 50,000 domains/s with features from the store) is out of reach
// with several indexed queries per name, a bulk read is not.
//
// Reuse of infrastructure. For each address, /24 (IPv4; /48 for IPv6) and ASN the index keeps the
// two earliest times at which a *known-malicious* registered domain used it — the later of the
// domain's first resolution to it and the day the domain became known malicious (first label or
// blocklist listing). Two, so a domain's own history can be left out of its own evidence. A
// prediction at T asks "was this address used by another domain already known to be malicious at
// T?" and never sees later knowledge.
//
// Immutable after Finish(); thread-safe for reads.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/ip.h"
#include "store/domain_records.h"
#include "store/store.h"

namespace mamori::domain::reputation {

using store::Day;
inline constexpr UnixSeconds kNever = std::numeric_limits<UnixSeconds>::max();
inline constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

inline Day DayOf(UnixSeconds t) {
  return static_cast<Day>(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}
inline UnixSeconds StartOf(Day d) { return static_cast<UnixSeconds>(d) * 86400; }

// Autonomous system and country of an address, when some database knows them.
struct AddressOwner {
  uint32_t asn = 0;      // 0: unknown
  std::string country;   // ISO 3166 alpha-2; empty: unknown
};
using AddressAnnotator = std::function<std::optional<AddressOwner>(const IpAddress&)>;

struct Resolution {
  uint32_t name = 0;     // name id (EvidenceIndex::NameId): the FQDN that resolved
  uint32_t address = 0;  // address id
  UnixSeconds first_seen = 0;
  UnixSeconds last_seen = 0;
};

struct PopularityRun {
  uint32_t list = 0;  // list id (EvidenceIndex::list_names)
  Day first_day = 0, last_day = 0;
  int32_t rank_band = 0;
  int32_t best_rank = 0;
};

struct DayRun {
  Day first_day = 0, last_day = 0;
};

struct Listing {
  uint32_t source = 0;  // source id (EvidenceIndex::source_names)
  UnixSeconds listed_at = 0;
  UnixSeconds delisted_at = 0;  // 0 while listed
};

// Share of `members` (join times, sorted) that were bad (`bad`, sorted) at t, leaving out the
// domain asking (`self_joined`, `self_bad` count when at or before t), smoothed toward 0 by a prior
// of kSharePrior clean members; NaN when no other member had joined.
inline constexpr double kSharePrior = 5;
double BadShareAt(const std::vector<UnixSeconds>& members, const std::vector<UnixSeconds>& bad,
                  UnixSeconds t, UnixSeconds self_joined, UnixSeconds self_bad);

// Membership of a domain in a group — a registrar, or the registered domain of a name server.
struct GroupMembership {
  uint32_t group = 0;
  UnixSeconds since = 0;  // first evidence of the membership (RDAP observation, NS rrset)
};

// Who has been in a group over time, and when each member became known malicious, for "what
// share of this registrar's (name server's) domains were already known malicious at T".
struct GroupEvidence {
  std::vector<UnixSeconds> members_since;  // sorted
  std::vector<UnixSeconds> bad_since;      // max(joined, known malicious); sorted
  double BadShareAt(UnixSeconds t, UnixSeconds self_joined, UnixSeconds self_bad) const {
    return reputation::BadShareAt(members_since, bad_since, t, self_joined, self_bad);
  }
};

// Everything known about one registered domain (and the names under it).
struct DomainEvidence {
  std::vector<Resolution> resolutions;  // A/AAAA, sorted by first_seen
  // Names the CNAMEs at or under it point to, with when each was first seen (sorted by name).
  std::vector<std::pair<std::string, UnixSeconds>> cname_targets;
  std::vector<PopularityRun> popularity;  // sorted by first_day
  std::vector<DayRun> zone;               // sorted by first_day
  std::vector<store::RegistrationObservation> registrations;  // sorted by observed_at
  std::vector<Listing> listings;                              // sorted by listed_at
  std::vector<GroupMembership> registrars;    // registrar groups, by first observation
  std::vector<GroupMembership> nameservers;   // name-server domain groups, by first evidence
  UnixSeconds labelled_malicious_at = kNever;  // earliest malicious label
  UnixSeconds labelled_benign_at = kNever;     // earliest benign label
  UnixSeconds known_malicious_at = kNever;     // min(first malicious label, first listing)
  UnixSeconds first_listed_at = kNever;
  UnixSeconds first_seen = kNever;  // earliest pDNS / popularity / zone / registration evidence
};

// Use of one address, /24 or ASN over time.
struct ReuseEvidence {
  UnixSeconds bad_at[2] = {kNever, kNever};  // two earliest times a known-malicious domain used it
  uint32_t bad_by[2] = {kNone, kNone};       // ... and those domains (distinct)
  std::vector<UnixSeconds> users_since;      // per registered domain: when it first used it; sorted
  std::vector<UnixSeconds> bad_since;        // per known-malicious user: max(first use, known); sorted

  // When it became "used by a known-malicious domain other than `self`" (kNever if never).
  UnixSeconds BadAtExcluding(uint32_t self) const {
    return bad_by[0] != self ? bad_at[0] : bad_at[1];
  }
  // Registered domains that had used it at or before `t`.
  size_t UsersAt(UnixSeconds t) const;
  // Share of its users known malicious at t (BadShareAt), e.g. a bulletproof address most of
  // whose domains were attack domains, vs a shared server with one bad site among hundreds.
  double BadDensityAt(UnixSeconds t, UnixSeconds self_first, UnixSeconds self_bad) const {
    return BadShareAt(users_since, bad_since, t, self_first, self_bad);
  }
};

class EvidenceIndex {
 public:
  // Registered-domain id, or kNone.
  uint32_t DomainId(std::string_view registered) const;
  const DomainEvidence* Domain(uint32_t id) const { return id < domains_.size() ? &domains_[id] : nullptr; }
  const std::string& DomainName(uint32_t id) const { return domain_names_[id]; }
  size_t domain_count() const { return domains_.size(); }
  // FQDN id (names seen in passive DNS), or kNone.
  uint32_t NameId(std::string_view fqdn) const;

  const IpAddress& Address(uint32_t id) const { return addresses_[id]; }
  const ReuseEvidence& AddressReuse(uint32_t id) const { return address_reuse_[id]; }
  // The /24 (IPv4) or /48 (IPv6) of an address, as a prefix id, and its reuse.
  uint32_t PrefixOf(uint32_t address_id) const { return address_prefix_[address_id]; }
  const ReuseEvidence& PrefixReuse(uint32_t address_id) const {
    return prefix_reuse_[address_prefix_[address_id]];
  }
  // ASN reuse; nullptr when the address's ASN is unknown.
  const ReuseEvidence* AsnReuse(uint32_t address_id) const;
  uint32_t AsnOf(uint32_t address_id) const { return address_asn_[address_id]; }
  // Country id (0: unknown) of an address.
  uint16_t CountryOf(uint32_t address_id) const { return address_country_[address_id]; }

  // Latest snapshot day of a popularity list at or before `day` (nullopt: none yet).
  std::optional<Day> PopularitySnapshotAtOrBefore(uint32_t list, Day day) const;
  // Latest snapshot day of any zone at or before `day` (zone snapshots are treated as one
  // registry view: a domain absent from a day that has a snapshot of its zone was not registered).
  std::optional<Day> ZoneSnapshotAtOrBefore(std::string_view zone, Day day) const;
  const GroupEvidence& Registrar(uint32_t group) const { return registrar_groups_[group]; }
  // The domains of a TLD ("com": members from their first evidence); nullptr when none.
  const GroupEvidence* Tld(std::string_view tld) const {
    auto it = tld_groups_.find(std::string(tld));
    return it == tld_groups_.end() ? nullptr : &it->second;
  }
  const GroupEvidence& NameServer(uint32_t group) const { return nameserver_groups_[group]; }
  const std::vector<std::string>& list_names() const { return list_names_; }
  const std::vector<std::string>& source_names() const { return source_names_; }

  // Every registered domain with a label, for training and evaluation.
  std::vector<uint32_t> LabelledDomains() const;

  struct Counts {
    size_t domains = 0, names = 0, addresses = 0, resolutions = 0, popularity_runs = 0,
           zone_runs = 0, registrations = 0, listings = 0, labels = 0, annotated_addresses = 0;
  };
  const Counts& counts() const { return counts_; }

 private:
  friend class EvidenceIndexBuilder;
  std::vector<DomainEvidence> domains_;
  std::vector<std::string> domain_names_;
  std::unordered_map<std::string, uint32_t> domain_ids_;
  std::unordered_map<std::string, uint32_t> name_ids_;
  std::vector<IpAddress> addresses_;
  std::vector<ReuseEvidence> address_reuse_;
  std::vector<uint32_t> address_prefix_;
  std::vector<ReuseEvidence> prefix_reuse_;
  std::vector<uint32_t> address_asn_;
  std::vector<uint16_t> address_country_;
  std::unordered_map<uint32_t, ReuseEvidence> asn_reuse_;
  std::vector<std::string> list_names_;
  std::vector<std::vector<Day>> list_days_;  // per list, sorted
  std::unordered_map<std::string, std::vector<Day>> zone_days_;
  std::vector<std::string> source_names_;
  std::vector<GroupEvidence> registrar_groups_, nameserver_groups_;
  std::unordered_map<std::string, GroupEvidence> tld_groups_;
  Counts counts_;
};

// Builds an EvidenceIndex from records in any order. Names are normalized (lower case, no
// trailing dot) and mapped to their registered domain with the PSL; records whose name has none
// (a bare TLD, an IP) are skipped and counted.
class EvidenceIndexBuilder {
 public:
  explicit EvidenceIndexBuilder(AddressAnnotator annotate = {});
  ~EvidenceIndexBuilder();
  EvidenceIndexBuilder(EvidenceIndexBuilder&&) noexcept;

  void AddPdns(const store::PdnsRrset& rrset);
  void AddPopularity(const store::PopularityInterval& run);
  void AddZone(const store::ZoneInterval& run);
  void AddSnapshotDay(std::string_view kind, const store::SnapshotDay& day);
  void AddRegistration(const store::RegistrationObservation& observation);
  void AddLabel(const store::DomainLabel& label);
  void AddListing(std::string_view domain, std::string_view source, UnixSeconds listed_at,
                  UnixSeconds delisted_at);
  size_t skipped() const;

  EvidenceIndex Finish() &&;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Reads every table of the store (passive DNS, lifecycle, labels, and the domain listings of the
// intel store) into an index. `progress` (may be empty) gets a stage name now and then.
Expected<EvidenceIndex> LoadEvidenceIndex(store::Store& store, AddressAnnotator annotate,
                                          const std::function<void(std::string_view)>& progress);

}  // namespace mamori::domain::reputation
