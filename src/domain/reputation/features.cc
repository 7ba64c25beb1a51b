#include "domain/reputation/features.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/domain_name.h"
#include "core/ip.h"

namespace mamori::domain::reputation {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr int32_t kUnranked = 21;  // the band after the top 2^21 (beyond any top-1M list)

float Days(UnixSeconds seconds) { return static_cast<float>(seconds) / 86400.0f; }

template <typename T>
size_t Distinct(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  return static_cast<size_t>(std::unique(v.begin(), v.end()) - v.begin());
}

struct Writer {
  FeatureVector& out;
  size_t at;
  void operator()(float v) { out[at++] = v; }
};

// Best (lowest) rank band of `d` in any list on the latest snapshot at or before `day`;
// kUnranked when it was in none; nullopt when no list has a snapshot by then.
std::optional<int32_t> BandAt(const EvidenceIndex& ix, const DomainEvidence* d, Day day) {
  bool any_snapshot = false;
  int32_t best = kUnranked;
  for (uint32_t list = 0; list < ix.list_names().size(); ++list) {
    std::optional<Day> snap = ix.PopularitySnapshotAtOrBefore(list, day);
    if (!snap) continue;
    any_snapshot = true;
    if (!d) continue;
    for (const PopularityRun& r : d->popularity) {
      if (r.list == list && r.first_day <= *snap && *snap <= r.last_day) {
        best = std::min(best, r.rank_band);
      }
    }
  }
  if (!any_snapshot) return std::nullopt;
  return best;
}

void PopularityFeatures(const EvidenceIndex& ix, const DomainEvidence* d, Day day, Writer& w) {
  std::optional<int32_t> band = BandAt(ix, d, day);
  if (!band) {
    for (int i = 0; i < 6; ++i) w(kNaN);
    return;
  }
  const bool present = *band < kUnranked;
  w(present ? 1.0f : 0.0f);
  w(static_cast<float>(*band));
  const int32_t before = BandAt(ix, d, day - 30).value_or(kUnranked);
  w(static_cast<float>(*band - before));
  int32_t listed_90 = 0;
  Day first = std::numeric_limits<Day>::max(), last_in = std::numeric_limits<Day>::min();
  if (d) {
    for (const PopularityRun& r : d->popularity) {
      if (r.first_day > day) continue;
      const Day end = std::min(r.last_day, day);
      listed_90 += std::max(0, end - std::max(r.first_day, day - 89) + 1);
      first = std::min(first, r.first_day);
      last_in = std::max(last_in, end);
    }
  }
  w(static_cast<float>(listed_90));
  const bool ever = first != std::numeric_limits<Day>::max();
  w(ever ? static_cast<float>(day - first) : kNaN);
  w(present ? 0.0f : ever ? static_cast<float>(day - last_in) : kNaN);
}

void ZoneFeatures(const EvidenceIndex& ix, const DomainEvidence* d, std::string_view tld, Day day,
                  Writer& w) {
  std::optional<Day> snap = ix.ZoneSnapshotAtOrBefore(tld, day);
  if (!snap) {
    for (int i = 0; i < 5; ++i) w(kNaN);
    return;
  }
  std::vector<DayRun> runs;
  if (d) {
    for (const DayRun& r : d->zone) {
      if (r.first_day <= day) runs.push_back({r.first_day, std::min(r.last_day, day)});
    }
  }
  const bool present = !runs.empty() && runs.back().first_day <= *snap && *snap <= runs.back().last_day;
  w(present ? 1.0f : 0.0f);
  w(present ? static_cast<float>(day - runs.back().first_day) : kNaN);
  // Runs are maximal over consecutive snapshots: two runs mean the domain left the zone between.
  const size_t gaps = runs.empty() ? 0 : runs.size() - 1;
  w(static_cast<float>(gaps));
  if (gaps > 0) {
    const DayRun& prev = runs[runs.size() - 2];
    w(static_cast<float>(runs.back().first_day - prev.last_day - 1));
    w(static_cast<float>(day - runs.back().first_day));
  } else {
    w(kNaN);
    w(kNaN);
  }
}

void RegistrationFeatures(const DomainEvidence* d, UnixSeconds at, Writer& w) {
  const store::RegistrationObservation* latest = nullptr;
  std::vector<std::string_view> registrars;
  std::vector<UnixSeconds> created;
  UnixSeconds registrar_changed_at = 0;
  if (d) {
    for (const auto& o : d->registrations) {
      if (o.observed_at > at) break;  // sorted by observed_at
      if (latest && !o.registrar.empty() && !latest->registrar.empty() &&
          o.registrar != latest->registrar) {
        registrar_changed_at = o.observed_at;
      }
      if (!o.registrar.empty()) registrars.push_back(o.registrar);
      if (o.created > 0) created.push_back(o.created);
      latest = &o;
    }
  }
  if (!latest) {
    for (int i = 0; i < 6; ++i) w(kNaN);
    return;
  }
  w(latest->created > 0 ? Days(at - latest->created) : kNaN);
  w(latest->expires > 0 ? Days(latest->expires - at) : kNaN);
  w(latest->created > 0 && latest->expires > 0 ? Days(latest->expires - latest->created) : kNaN);
  w(static_cast<float>(Distinct(registrars)));
  const UnixSeconds newest_creation = created.empty() ? 0 : *std::max_element(created.begin(), created.end());
  w(Distinct(created) > 1 ? Days(at - newest_creation) : kNaN);
  w(registrar_changed_at > 0 ? Days(at - registrar_changed_at) : kNaN);
}

void BlocklistFeatures(const DomainEvidence* d, UnixSeconds at, Writer& w) {
  int listed_now = 0;
  UnixSeconds first = kNever;
  std::vector<uint32_t> sources;
  if (d) {
    for (const Listing& l : d->listings) {
      if (l.listed_at > at) break;  // sorted by listed_at
      if (l.delisted_at == 0 || l.delisted_at > at) ++listed_now;
      first = std::min(first, l.listed_at);
      sources.push_back(l.source);
    }
  }
  w(static_cast<float>(listed_now));
  w(first == kNever ? kNaN : Days(at - first));
  w(static_cast<float>(Distinct(sources)));
}

// Highest share of known-malicious other users among the domain's addresses and among its ASNs.
void DensityFeatures(const EvidenceIndex& ix, const DomainEvidence* d, UnixSeconds at, Writer& w) {
  float address = kNaN, asn = kNaN;
  auto worse = [](float& slot, double v) {
    if (!std::isnan(v) && (std::isnan(slot) || v > slot)) slot = static_cast<float>(v);
  };
  if (d) {
    const UnixSeconds known = d->known_malicious_at;
    auto self_bad = [known](UnixSeconds first) { return known == kNever ? kNever : std::max(first, known); };
    std::vector<std::pair<uint32_t, UnixSeconds>> seen_asns;
    for (const Resolution& r : d->resolutions) {  // sorted by first_seen: the first use comes first
      if (r.first_seen > at) break;
      worse(address, ix.AddressReuse(r.address).BadDensityAt(at, r.first_seen, self_bad(r.first_seen)));
      const uint32_t a = ix.AsnOf(r.address);
      if (a == 0) continue;
      bool seen = false;
      for (const auto& [s, first] : seen_asns) seen |= s == a;
      if (seen) continue;
      seen_asns.emplace_back(a, r.first_seen);
      worse(asn, ix.AsnReuse(r.address)->BadDensityAt(at, r.first_seen, self_bad(r.first_seen)));
    }
  }
  w(address);
  w(asn);
}

void DnsFeatures(const EvidenceIndex& ix, const DomainEvidence* d, uint32_t self, uint32_t name_id,
                 UnixSeconds at, Writer& w) {
  // First use of each address by this domain (resolutions are sorted by first_seen).
  std::vector<std::pair<uint32_t, UnixSeconds>> firsts;
  std::vector<uint32_t> names, name_addresses;
  if (d) {
    for (const Resolution& r : d->resolutions) {
      if (r.first_seen > at) break;
      firsts.emplace_back(r.address, r.first_seen);
      names.push_back(r.name);
      if (r.name == name_id) name_addresses.push_back(r.address);
    }
  }
  if (firsts.empty()) {
    for (int i = 0; i < 12; ++i) w(kNaN);
    return;
  }
  std::stable_sort(firsts.begin(), firsts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  firsts.erase(std::unique(firsts.begin(), firsts.end(),
                           [](const auto& a, const auto& b) { return a.first == b.first; }),
               firsts.end());
  UnixSeconds earliest = kNever;
  std::vector<uint32_t> prefixes, asns, countries, bad_prefixes, bad_asns;
  std::vector<size_t> sharing;
  size_t bad_addresses = 0, new_7d = 0;
  for (const auto& [a, first] : firsts) {
    earliest = std::min(earliest, first);
    if (first > at - 7 * 86400) ++new_7d;
    const ReuseEvidence& reuse = ix.AddressReuse(a);
    if (reuse.BadAtExcluding(self) <= at) ++bad_addresses;
    sharing.push_back(reuse.UsersAt(at));
    prefixes.push_back(ix.PrefixOf(a));
    if (ix.PrefixReuse(a).BadAtExcluding(self) <= at) bad_prefixes.push_back(prefixes.back());
    if (const uint32_t asn = ix.AsnOf(a); asn != 0) {
      asns.push_back(asn);
      if (ix.AsnReuse(a)->BadAtExcluding(self) <= at) bad_asns.push_back(asn);
    }
    if (const uint16_t c = ix.CountryOf(a); c != 0) countries.push_back(c);
  }
  const float n = static_cast<float>(firsts.size());
  const size_t n_prefixes = Distinct(prefixes);
  const size_t n_asns = Distinct(asns);
  w(Days(at - earliest));
  w(static_cast<float>(Distinct(names)));
  w(n);
  w(static_cast<float>(n_prefixes));
  w(static_cast<float>(n_asns));
  w(static_cast<float>(Distinct(countries)));
  w(static_cast<float>(bad_addresses) / n);
  w(static_cast<float>(Distinct(bad_prefixes)) / static_cast<float>(n_prefixes));
  w(n_asns > 0 ? static_cast<float>(Distinct(bad_asns)) / static_cast<float>(n_asns) : kNaN);
  std::nth_element(sharing.begin(), sharing.begin() + sharing.size() / 2, sharing.end());
  w(static_cast<float>(sharing[sharing.size() / 2]));
  w(static_cast<float>(new_7d));
  w(name_addresses.empty() ? kNaN : static_cast<float>(Distinct(name_addresses)));
}

// Share of the company a domain keeps — its current registrar, the worst of its name servers'
// domains — already known malicious at `at` (the domain itself left out).
void CompanyFeatures(const EvidenceIndex& ix, const DomainEvidence* d, UnixSeconds at, Writer& w) {
  float registrar = kNaN, nameserver = kNaN;
  if (d) {
    auto self_bad = [&](UnixSeconds since) {
      return d->known_malicious_at == kNever ? kNever : std::max(since, d->known_malicious_at);
    };
    const GroupMembership* current = nullptr;
    for (const auto& m : d->registrars) {
      if (m.since <= at && (!current || m.since > current->since)) current = &m;
    }
    if (current) {
      registrar = static_cast<float>(
          ix.Registrar(current->group).BadShareAt(at, current->since, self_bad(current->since)));
    }
    for (const auto& m : d->nameservers) {
      if (m.since > at) continue;
      const double share = ix.NameServer(m.group).BadShareAt(at, m.since, self_bad(m.since));
      if (!std::isnan(share) && (std::isnan(nameserver) || share > nameserver)) {
        nameserver = static_cast<float>(share);
      }
    }
  }
  w(registrar);
  w(nameserver);
}

// Joins (sorted) in [from, to].
size_t JoinsBetween(const std::vector<UnixSeconds>& joins, UnixSeconds from, UnixSeconds to) {
  if (to < from) return 0;
  return static_cast<size_t>(std::upper_bound(joins.begin(), joins.end(), to) -
                             std::lower_bound(joins.begin(), joins.end(), from));
}

// Cohorts: the other domains that started using the same address (name-server domain) within a
// week either side of this domain's start there, counting only starts on record at `at`. For the
// name-server domain also the burst: that cohort over the pace of the 90 days before (expected
// arrivals in a 15-day window + 1), since a big hosting company's name servers take new domains
// every day and only a jump above its pace says "arrived in a batch".
void CohortFeatures(const EvidenceIndex& ix, const DomainEvidence* d, UnixSeconds at, Writer& w) {
  constexpr UnixSeconds kWeek = 7 * 86400;
  constexpr UnixSeconds kPace = 90 * 86400;
  auto cohort = [at](const std::vector<UnixSeconds>& joins, UnixSeconds self) -> float {
    const size_t n = JoinsBetween(joins, self - kWeek, std::min(self + kWeek, at));
    return static_cast<float>(n > 0 ? n - 1 : 0);  // the domain's own start is among them
  };
  float address = kNaN, ns = kNaN, burst = kNaN;
  if (d) {
    for (const Resolution& r : d->resolutions) {  // sorted by first_seen
      if (r.first_seen > at) break;
      const float c = cohort(ix.AddressReuse(r.address).users_since, r.first_seen);
      if (std::isnan(address) || c > address) address = c;
    }
    for (const auto& m : d->nameservers) {
      if (m.since > at) continue;
      const std::vector<UnixSeconds>& joins = ix.NameServer(m.group).members_since;
      const float c = cohort(joins, m.since);
      const double pace = static_cast<double>(JoinsBetween(joins, m.since - kWeek - kPace,
                                                           m.since - kWeek - 1)) *
                          (15.0 / 90.0);
      const float b = static_cast<float>(c / (pace + 1.0));
      if (std::isnan(ns) || c > ns) ns = c;
      if (std::isnan(burst) || b > burst) burst = b;
    }
  }
  w(address);
  w(ns);
  w(burst);
}

std::string_view LastLabel(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

}  // namespace

size_t FeatureIndex(std::string_view name) {
  for (size_t i = 0; i < kFeatureCount; ++i) {
    if (kFeatureNames[i] == name) return i;
  }
  return kFeatureCount;
}

Expected<ScoreTarget> ParseScoreTarget(std::string_view text) {
  std::string_view t = text;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
  if (t.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty name");
  if (IpAddress::Parse(t)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is an IP address, not a domain name", t));
  }
  auto name = DomainName::Parse(t);
  if (!name) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a valid domain name: {}", t, name.error().message));
  }
  std::optional<std::string> reg = name->RegisteredDomain();
  if (!reg) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' has no registrable part (it is a public suffix)", t));
  }
  ScoreTarget target;
  target.name = name->name();
  target.registered = *reg;
  const size_t dot = reg->find('.');
  target.label = {reg->substr(0, dot), dot == std::string::npos ? "" : reg->substr(dot + 1)};
  return target;
}

FeatureResult FeatureExtractor::Extract(const ScoreTarget& target, UnixSeconds at) const {
  FeatureResult result;
  Writer w{result.values, 0};
  const dga::FeatureVector lexical = lexical_.Extract(target.label);
  for (float v : lexical) w(v);
  w(static_cast<float>(std::count(target.name.begin(), target.name.end(), '.') -
                       std::count(target.registered.begin(), target.registered.end(), '.')));
  w(static_cast<float>(target.name.size()));
  const uint32_t id = index_ ? index_->DomainId(target.registered) : kNone;
  const DomainEvidence* d = index_ ? index_->Domain(id) : nullptr;
  {
    float prior = kNaN;
    if (const GroupEvidence* tld = index_ ? index_->Tld(LastLabel(target.registered)) : nullptr) {
      const UnixSeconds joined = d ? d->first_seen : kNever;
      const UnixSeconds bad =
          d && d->known_malicious_at != kNever ? std::max(joined, d->known_malicious_at) : kNever;
      prior = static_cast<float>(tld->BadShareAt(at, joined, bad));
    }
    w(prior);
  }
  if (!index_) {
    for (size_t i = kLexicalFeatureCount; i < kFeatureCount; ++i) result.values[i] = kNaN;
    return result;
  }
  const uint32_t name_id = index_->NameId(target.name);
  const Day day = DayOf(at);
  PopularityFeatures(*index_, d, day, w);
  ZoneFeatures(*index_, d, LastLabel(target.registered), day, w);
  RegistrationFeatures(d, at, w);
  BlocklistFeatures(d, at, w);
  DnsFeatures(*index_, d, id, name_id, at, w);
  CompanyFeatures(*index_, d, at, w);
  DensityFeatures(*index_, d, at, w);
  CohortFeatures(*index_, d, at, w);
  result.has_history = d && d->first_seen <= at;
  return result;
}

}  // namespace mamori::domain::reputation
