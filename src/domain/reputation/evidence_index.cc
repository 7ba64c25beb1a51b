#include "domain/reputation/evidence_index.h"

#include <algorithm>
#include <limits>
#include <map>

#include "core/domain_name.h"
#include "core/indicator.h"

namespace mamori::domain::reputation {

size_t ReuseEvidence::UsersAt(UnixSeconds t) const {
  return static_cast<size_t>(std::upper_bound(users_since.begin(), users_since.end(), t) -
                             users_since.begin());
}

double BadShareAt(const std::vector<UnixSeconds>& members, const std::vector<UnixSeconds>& bad,
                  UnixSeconds t, UnixSeconds self_joined, UnixSeconds self_bad) {
  auto count = [t](const std::vector<UnixSeconds>& v) {
    return static_cast<double>(std::upper_bound(v.begin(), v.end(), t) - v.begin());
  };
  const double others = count(members) - (self_joined <= t ? 1 : 0);
  const double others_bad = count(bad) - (self_bad <= t ? 1 : 0);
  if (others <= 0) return std::numeric_limits<double>::quiet_NaN();
  return others_bad / (others + kSharePrior);
}

uint32_t EvidenceIndex::DomainId(std::string_view registered) const {
  auto it = domain_ids_.find(std::string(registered));
  return it == domain_ids_.end() ? kNone : it->second;
}

uint32_t EvidenceIndex::NameId(std::string_view fqdn) const {
  auto it = name_ids_.find(std::string(fqdn));
  return it == name_ids_.end() ? kNone : it->second;
}

const ReuseEvidence* EvidenceIndex::AsnReuse(uint32_t address_id) const {
  const uint32_t asn = address_asn_[address_id];
  if (asn == 0) return nullptr;
  auto it = asn_reuse_.find(asn);
  return it == asn_reuse_.end() ? nullptr : &it->second;
}

namespace {

std::optional<Day> AtOrBefore(const std::vector<Day>& days, Day day) {
  auto it = std::upper_bound(days.begin(), days.end(), day);
  if (it == days.begin()) return std::nullopt;
  return *std::prev(it);
}

}  // namespace

std::optional<Day> EvidenceIndex::PopularitySnapshotAtOrBefore(uint32_t list, Day day) const {
  if (list >= list_days_.size()) return std::nullopt;
  return AtOrBefore(list_days_[list], day);
}

std::optional<Day> EvidenceIndex::ZoneSnapshotAtOrBefore(std::string_view zone, Day day) const {
  auto it = zone_days_.find(std::string(zone));
  if (it == zone_days_.end()) return std::nullopt;
  return AtOrBefore(it->second, day);
}

std::vector<uint32_t> EvidenceIndex::LabelledDomains() const {
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < domains_.size(); ++i) {
    if (domains_[i].labelled_malicious_at != kNever || domains_[i].labelled_benign_at != kNever) {
      out.push_back(i);
    }
  }
  return out;
}

// --- builder ---

struct EvidenceIndexBuilder::State {
  AddressAnnotator annotate;
  EvidenceIndex index;
  std::unordered_map<std::string, uint32_t> address_ids;  // canonical text → id
  std::unordered_map<std::string, uint32_t> list_ids;
  std::unordered_map<std::string, uint32_t> source_ids;
  std::unordered_map<std::string, uint32_t> registrar_ids, nameserver_ids;
  std::vector<std::string> registrar_names, nameserver_names;
  std::unordered_map<std::string, std::string> registered_cache;  // name → registered ("" none)
  struct CnameEdge {
    uint32_t from;  // domain id
    uint32_t to;    // index into cname_target_names
    UnixSeconds first_seen;
  };
  std::vector<CnameEdge> cname_edges;
  std::vector<std::string> cname_target_names;
  size_t skipped = 0;

  static std::string Normalize(std::string_view name) {
    std::string s(name);
    if (!s.empty() && s.back() == '.') s.pop_back();
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  }

  // The registered domain of `name` ("" when it has none).
  const std::string& Registered(const std::string& name) {
    auto it = registered_cache.find(name);
    if (it != registered_cache.end()) return it->second;
    std::string reg;
    if (auto parsed = DomainName::Parse(name)) {
      if (auto r = parsed->RegisteredDomain()) reg = *r;
    }
    return registered_cache.emplace(name, std::move(reg)).first->second;
  }

  uint32_t DomainIdFor(const std::string& registered) {
    auto [it, inserted] =
        index.domain_ids_.emplace(registered, static_cast<uint32_t>(index.domains_.size()));
    if (inserted) {
      index.domains_.emplace_back();
      index.domain_names_.push_back(registered);
    }
    return it->second;
  }

  // The evidence of the registered domain of `name`, or nullptr (counted as skipped).
  DomainEvidence* For(std::string_view name, uint32_t* id_out = nullptr) {
    const std::string& reg = Registered(Normalize(name));
    if (reg.empty()) {
      ++skipped;
      return nullptr;
    }
    const uint32_t id = DomainIdFor(reg);
    if (id_out) *id_out = id;
    return &index.domains_[id];
  }

  static uint32_t Intern(std::unordered_map<std::string, uint32_t>& ids,
                         std::vector<std::string>& names, std::string_view name) {
    auto [it, inserted] = ids.emplace(std::string(name), static_cast<uint32_t>(names.size()));
    if (inserted) names.emplace_back(name);
    return it->second;
  }

  uint32_t AddressId(const IpAddress& ip) {
    auto [it, inserted] =
        address_ids.emplace(ip.ToString(), static_cast<uint32_t>(index.addresses_.size()));
    if (inserted) index.addresses_.push_back(ip);
    return it->second;
  }
};

EvidenceIndexBuilder::EvidenceIndexBuilder(AddressAnnotator annotate)
    : state_(std::make_unique<State>()) {
  state_->annotate = std::move(annotate);
}
EvidenceIndexBuilder::~EvidenceIndexBuilder() = default;
EvidenceIndexBuilder::EvidenceIndexBuilder(EvidenceIndexBuilder&&) noexcept = default;
size_t EvidenceIndexBuilder::skipped() const { return state_->skipped; }

namespace {
constexpr uint16_t kA = 1, kNs = 2, kCname = 5, kAaaa = 28;

// Keeps the earliest `since` per group.
void Join(std::vector<GroupMembership>& groups, uint32_t group, UnixSeconds since) {
  for (auto& g : groups) {
    if (g.group == group) {
      g.since = std::min(g.since, since);
      return;
    }
  }
  groups.push_back({group, since});
}

void Earliest(UnixSeconds& slot, UnixSeconds t) { slot = std::min(slot, t); }
}  // namespace

void EvidenceIndexBuilder::AddPdns(const store::PdnsRrset& r) {
  State& s = *state_;
  if (r.rrtype != kA && r.rrtype != kAaaa && r.rrtype != kCname && r.rrtype != kNs) {
    return;  // features read these
  }
  const std::string name = State::Normalize(r.name);
  uint32_t id = kNone;
  DomainEvidence* d = r.registered.empty() ? s.For(name, &id) : nullptr;
  if (!r.registered.empty()) {
    id = s.DomainIdFor(State::Normalize(r.registered));
    d = &s.index.domains_[id];
  }
  if (!d) return;
  Earliest(d->first_seen, r.first_seen);
  if (r.rrtype == kNs) {
    // The name server's registered domain is the group ("ns1.cheap-dns.example" → cheap-dns.example).
    const std::string& ns = s.Registered(State::Normalize(r.rdata));
    if (!ns.empty()) {
      Join(d->nameservers, State::Intern(s.nameserver_ids, s.nameserver_names, ns), r.first_seen);
    }
    return;
  }
  if (r.rrtype == kCname) {
    s.cname_edges.push_back({id, static_cast<uint32_t>(s.cname_target_names.size()), r.first_seen});
    s.cname_target_names.push_back(State::Normalize(r.rdata));
    return;
  }
  auto ip = IpAddress::Parse(r.rdata);
  if (!ip) {
    ++s.skipped;
    return;
  }
  const uint32_t name_id = static_cast<uint32_t>(
      s.index.name_ids_.emplace(name, static_cast<uint32_t>(s.index.name_ids_.size()))
          .first->second);
  d->resolutions.push_back({name_id, s.AddressId(*ip), r.first_seen, r.last_seen});
  ++s.index.counts_.resolutions;
}

void EvidenceIndexBuilder::AddPopularity(const store::PopularityInterval& run) {
  State& s = *state_;
  DomainEvidence* d = s.For(run.domain);
  if (!d) return;
  const uint32_t list = State::Intern(s.list_ids, s.index.list_names_, run.list);
  d->popularity.push_back({list, run.first_day, run.last_day, run.rank_band, run.best_rank});
  Earliest(d->first_seen, StartOf(run.first_day));
  ++s.index.counts_.popularity_runs;
}

void EvidenceIndexBuilder::AddZone(const store::ZoneInterval& run) {
  State& s = *state_;
  DomainEvidence* d = s.For(run.domain);
  if (!d) return;
  d->zone.push_back({run.first_day, run.last_day});
  Earliest(d->first_seen, StartOf(run.first_day));
  ++s.index.counts_.zone_runs;
}

void EvidenceIndexBuilder::AddSnapshotDay(std::string_view kind, const store::SnapshotDay& day) {
  State& s = *state_;
  if (kind == "popularity") {
    const uint32_t list = State::Intern(s.list_ids, s.index.list_names_, day.name);
    if (s.index.list_days_.size() <= list) s.index.list_days_.resize(list + 1);
    s.index.list_days_[list].push_back(day.day);
  } else if (kind == "zone") {
    s.index.zone_days_[std::string(day.name)].push_back(day.day);
  }
}

void EvidenceIndexBuilder::AddRegistration(const store::RegistrationObservation& observation) {
  State& s = *state_;
  DomainEvidence* d = s.For(observation.domain);
  if (!d) return;
  d->registrations.push_back(observation);
  if (!observation.registrar.empty()) {
    Join(d->registrars, State::Intern(s.registrar_ids, s.registrar_names, observation.registrar),
         observation.observed_at);
  }
  for (const std::string& host : observation.nameservers) {
    const std::string& ns = s.Registered(State::Normalize(host));
    if (!ns.empty()) {
      Join(d->nameservers, State::Intern(s.nameserver_ids, s.nameserver_names, ns),
           observation.observed_at);
    }
  }
  // When we learned of it, not its creation date: a later RDAP answer must not make the domain
  // "known" at an earlier date.
  Earliest(d->first_seen, observation.observed_at);
  ++s.index.counts_.registrations;
}

void EvidenceIndexBuilder::AddLabel(const store::DomainLabel& label) {
  State& s = *state_;
  DomainEvidence* d = s.For(label.domain);
  if (!d) return;
  Earliest(label.malicious ? d->labelled_malicious_at : d->labelled_benign_at, label.at);
  ++s.index.counts_.labels;
}

void EvidenceIndexBuilder::AddListing(std::string_view domain, std::string_view source,
                                      UnixSeconds listed_at, UnixSeconds delisted_at) {
  State& s = *state_;
  DomainEvidence* d = s.For(domain);
  if (!d) return;
  const uint32_t src = State::Intern(s.source_ids, s.index.source_names_, source);
  d->listings.push_back({src, listed_at, delisted_at});
  Earliest(d->first_listed_at, listed_at);
  ++s.index.counts_.listings;
}

namespace {

// Keeps the two earliest (time, domain) offers with distinct domains.
void OfferBad(ReuseEvidence& r, UnixSeconds t, uint32_t domain) {
  if (domain == r.bad_by[0]) {
    r.bad_at[0] = std::min(r.bad_at[0], t);
    return;
  }
  if (domain == r.bad_by[1]) {
    if (t < r.bad_at[1]) r.bad_at[1] = t;
  } else if (t < r.bad_at[1]) {
    r.bad_at[1] = t;
    r.bad_by[1] = domain;
  } else {
    return;
  }
  if (r.bad_at[1] < r.bad_at[0]) {
    std::swap(r.bad_at[0], r.bad_at[1]);
    std::swap(r.bad_by[0], r.bad_by[1]);
  }
}

// The /24 (IPv4) or /48 (IPv6) an address belongs to, as text (the prefix's key).
std::string PrefixKey(const IpAddress& ip) {
  return ip.Masked(ip.is_v4() ? 24 : 48).ToString();
}

}  // namespace

EvidenceIndex EvidenceIndexBuilder::Finish() && {
  State& s = *state_;
  EvidenceIndex& ix = s.index;
  const size_t addresses = ix.addresses_.size();

  // Owners of every address, once.
  ix.address_asn_.assign(addresses, 0);
  ix.address_country_.assign(addresses, 0);
  std::unordered_map<std::string, uint16_t> countries;
  for (size_t a = 0; a < addresses && s.annotate; ++a) {
    std::optional<AddressOwner> owner = s.annotate(ix.addresses_[a]);
    if (!owner) continue;
    ++ix.counts_.annotated_addresses;
    ix.address_asn_[a] = owner->asn;
    if (!owner->country.empty()) {
      ix.address_country_[a] =
          countries.emplace(owner->country, static_cast<uint16_t>(countries.size() + 1))
              .first->second;
    }
  }
  std::unordered_map<std::string, uint32_t> prefix_ids;
  ix.address_prefix_.resize(addresses);
  for (size_t a = 0; a < addresses; ++a) {
    ix.address_prefix_[a] =
        prefix_ids.emplace(PrefixKey(ix.addresses_[a]), static_cast<uint32_t>(prefix_ids.size()))
            .first->second;
  }
  ix.address_reuse_.assign(addresses, {});
  ix.prefix_reuse_.assign(prefix_ids.size(), {});

  for (const auto& edge : s.cname_edges) {
    ix.domains_[edge.from].cname_targets.emplace_back(std::move(s.cname_target_names[edge.to]),
                                                      edge.first_seen);
  }

  for (uint32_t id = 0; id < ix.domains_.size(); ++id) {
    DomainEvidence& d = ix.domains_[id];
    auto by_first = [](const auto& a, const auto& b) { return a.first_seen < b.first_seen; };
    std::sort(d.resolutions.begin(), d.resolutions.end(), by_first);
    std::sort(d.popularity.begin(), d.popularity.end(),
              [](const auto& a, const auto& b) { return a.first_day < b.first_day; });
    std::sort(d.zone.begin(), d.zone.end(),
              [](const auto& a, const auto& b) { return a.first_day < b.first_day; });
    std::sort(d.registrations.begin(), d.registrations.end(),
              [](const auto& a, const auto& b) { return a.observed_at < b.observed_at; });
    std::sort(d.listings.begin(), d.listings.end(),
              [](const auto& a, const auto& b) { return a.listed_at < b.listed_at; });
    // One entry per target, at its earliest sighting.
    std::sort(d.cname_targets.begin(), d.cname_targets.end());
    d.cname_targets.erase(std::unique(d.cname_targets.begin(), d.cname_targets.end(),
                                      [](const auto& a, const auto& b) { return a.first == b.first; }),
                          d.cname_targets.end());
    d.known_malicious_at = std::min(d.labelled_malicious_at, d.first_listed_at);

    // First use of each address, prefix and ASN by this domain.
    std::map<uint32_t, UnixSeconds> by_address, by_prefix, by_asn;
    for (const Resolution& r : d.resolutions) {
      by_address.emplace(r.address, r.first_seen);  // sorted by first_seen: first wins
      by_prefix.emplace(ix.address_prefix_[r.address], r.first_seen);
      if (ix.address_asn_[r.address] != 0) by_asn.emplace(ix.address_asn_[r.address], r.first_seen);
    }
    auto record = [&](ReuseEvidence& reuse, UnixSeconds first) {
      reuse.users_since.push_back(first);
      if (d.known_malicious_at != kNever) {
        const UnixSeconds bad = std::max(first, d.known_malicious_at);
        OfferBad(reuse, bad, id);
        reuse.bad_since.push_back(bad);
      }
    };
    for (const auto& [a, first] : by_address) record(ix.address_reuse_[a], first);
    for (const auto& [p, first] : by_prefix) record(ix.prefix_reuse_[p], first);
    for (const auto& [asn, first] : by_asn) record(ix.asn_reuse_[asn], first);
  }
  ix.registrar_groups_.resize(s.registrar_names.size());
  ix.nameserver_groups_.resize(s.nameserver_names.size());
  for (const DomainEvidence& d : ix.domains_) {
    auto add = [&d](GroupEvidence& g, UnixSeconds since) {
      g.members_since.push_back(since);
      if (d.known_malicious_at != kNever) g.bad_since.push_back(std::max(since, d.known_malicious_at));
    };
    for (const auto& m : d.registrars) add(ix.registrar_groups_[m.group], m.since);
    for (const auto& m : d.nameservers) add(ix.nameserver_groups_[m.group], m.since);
  }
  for (uint32_t id = 0; id < ix.domains_.size(); ++id) {
    const DomainEvidence& d = ix.domains_[id];
    if (d.first_seen == kNever) continue;
    const std::string& name = ix.domain_names_[id];
    GroupEvidence& g = ix.tld_groups_[name.substr(name.rfind('.') + 1)];
    g.members_since.push_back(d.first_seen);
    if (d.known_malicious_at != kNever) g.bad_since.push_back(std::max(d.first_seen, d.known_malicious_at));
  }
  for (auto& [tld, g] : ix.tld_groups_) {
    std::sort(g.members_since.begin(), g.members_since.end());
    std::sort(g.bad_since.begin(), g.bad_since.end());
  }
  for (auto* groups : {&ix.registrar_groups_, &ix.nameserver_groups_}) {
    for (GroupEvidence& g : *groups) {
      std::sort(g.members_since.begin(), g.members_since.end());
      std::sort(g.bad_since.begin(), g.bad_since.end());
    }
  }
  auto sort_users = [](ReuseEvidence& r) {
    std::sort(r.users_since.begin(), r.users_since.end());
    std::sort(r.bad_since.begin(), r.bad_since.end());
  };
  for (auto& r : ix.address_reuse_) sort_users(r);
  for (auto& r : ix.prefix_reuse_) sort_users(r);
  for (auto& [asn, r] : ix.asn_reuse_) sort_users(r);
  for (auto& days : ix.list_days_) {
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
  }
  for (auto& [zone, days] : ix.zone_days_) {
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
  }
  ix.counts_.domains = ix.domains_.size();
  ix.counts_.names = ix.name_ids_.size();
  ix.counts_.addresses = addresses;
  return std::move(ix);
}

Expected<EvidenceIndex> LoadEvidenceIndex(store::Store& store, AddressAnnotator annotate,
                                          const std::function<void(std::string_view)>& progress) {
  auto say = [&](std::string_view stage) {
    if (progress) progress(stage);
  };
  EvidenceIndexBuilder b(std::move(annotate));
  say("passive DNS");
  MAMORI_RETURN_IF_ERROR(store.ForEachPdns([&](const store::PdnsRrset& r) {
    b.AddPdns(r);
    return true;
  }));
  say("popularity lists and zones");
  for (std::string_view kind : {"popularity", "zone"}) {
    MAMORI_ASSIGN_OR_RETURN(std::vector<store::SnapshotDay> days, store.ListSnapshotDays(kind));
    for (const auto& day : days) b.AddSnapshotDay(kind, day);
  }
  MAMORI_RETURN_IF_ERROR(store.ForEachPopularityInterval([&](const store::PopularityInterval& r) {
    b.AddPopularity(r);
    return true;
  }));
  MAMORI_RETURN_IF_ERROR(store.ForEachZoneInterval([&](const store::ZoneInterval& r) {
    b.AddZone(r);
    return true;
  }));
  say("registrations and labels");
  MAMORI_RETURN_IF_ERROR(store.ForEachRegistration([&](const store::RegistrationObservation& r) {
    b.AddRegistration(r);
    return true;
  }));
  MAMORI_RETURN_IF_ERROR(store.ForEachDomainLabel([&](const store::DomainLabel& l) {
    b.AddLabel(l);
    return true;
  }));
  say("blocklist listings");
  MAMORI_ASSIGN_OR_RETURN(std::vector<store::SourceRecord> sources, store.ListSources());
  std::unordered_map<int64_t, std::string> source_names;
  for (const auto& src : sources) source_names[src.id] = src.name;
  MAMORI_RETURN_IF_ERROR(store.ForEachListing(0, [&](const store::ListingRow& row) {
    if (row.indicator.type == IndicatorType::kDomain) {
      b.AddListing(row.indicator.value, source_names[row.source_id], row.first_listed,
                   row.delisted_at);
    }
    return true;
  }));
  say("indexing");
  return std::move(b).Finish();
}

}  // namespace mamori::domain::reputation
