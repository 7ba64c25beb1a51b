#include "domain/reputation/testing/world.h"

#include <fmt/format.h>

#include <algorithm>

#include "domain/dga/dga_classifier.h"
#include "domain/internal/splitmix.h"

namespace mamori::domain::reputation::testing {

const ReputationModel& Language() {
  static const ReputationModel language = [] {
    ReputationModel m;
    auto dga = DgaClassifier::BuiltIn();
    if (dga) {
      m.ngrams = (*dga)->model().ngrams;
      m.lexicon = (*dga)->model().lexicon;
    }
    return m;
  }();
  return language;
}

namespace {

struct Rng {
  internal::SplitMix64 gen;
  int Int(int lo, int hi) { return static_cast<int>(gen.Between(lo, hi)); }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
};

}  // namespace

RecordWorld RecordWorld::Random(uint64_t seed, int domains, int days) {
  RecordWorld w;
  Rng rng{{seed}};
  for (int d = 0; d < days; ++d) {
    w.snapshot_days.push_back({"popularity", {"toplist", DayOf(Day0(d)), 100}});
    if (d % 2 == 0) w.snapshot_days.push_back({"zone", {"com", DayOf(Day0(d)), 100}});
  }
  const char* alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (int i = 0; i < domains; ++i) {
    std::string label;
    const int len = rng.Int(5, 14);
    for (int k = 0; k < len; ++k) label += alphabet[rng.Int(0, i % 3 == 0 ? 35 : 25)];
    const std::string domain = fmt::format("{}{}.com", label, i);
    w.names_.push_back(domain);
    w.names_.push_back("www." + domain);
    const int born = rng.Int(-30, days - 10);
    // Passive DNS: a few periods on addresses drawn from a small pool, so domains share them.
    const int periods = rng.Int(0, 4);
    for (int p = 0; p < periods; ++p) {
      const int first = born + rng.Int(0, std::max(1, days - born) - 1);
      const int last = std::min(days - 1, first + rng.Int(0, 60));
      const std::string ip = fmt::format("192.0.{}.{}", rng.Int(0, 3), rng.Int(1, 12));
      w.pdns.push_back({p % 2 ? "www." + domain : domain, domain, 1, ip, Day0(first) + rng.Int(0, 86399),
                        Day0(last) + rng.Int(0, 86399), rng.Int(1, 100)});
    }
    if (rng.Chance(80)) {  // delegation: an NS rrset on one of a few DNS hosts
      const int first = std::max(born, 0) + rng.Int(0, 20);
      w.pdns.push_back({domain, domain, 2, fmt::format("ns1.dnshost{}.net.", rng.Int(1, 4)),
                        Day0(first), Day0(std::min(days - 1, first + 100)), 3});
    }
    if (rng.Chance(40)) {  // popularity runs, changing band
      int day = std::max(0, born + rng.Int(0, 30));
      while (day < days) {
        const int len2 = rng.Int(1, 40);
        const int rank = rng.Int(1, 5000);
        int band = 0;
        while ((2 << band) <= rank) ++band;
        w.popularity.push_back({domain, "toplist", DayOf(Day0(day)), DayOf(Day0(std::min(days - 1, day + len2))), band, rank});
        day += len2 + rng.Int(1, 30);
      }
    }
    {  // zone runs on even days with an occasional gap
      int day = std::max(0, born) & ~1;
      while (day < days) {
        const int len2 = rng.Int(10, 120) & ~1;
        w.zone.push_back({domain, "com", DayOf(Day0(day)), DayOf(Day0(std::min(days - 2, day + len2)))});
        day += len2 + (rng.Int(2, 40) & ~1);
      }
    }
    const int observations = rng.Int(0, 3);
    for (int o = 0; o < observations; ++o) {
      const int at = std::max(0, born) + rng.Int(0, days - 1 - std::max(0, born));
      store::RegistrationObservation r;
      r.domain = domain;
      r.observed_at = Day0(at) + rng.Int(0, 86399);
      r.created = Day0(born - (o == 2 ? 0 : rng.Int(0, 400)));
      r.expires = r.created + 365 * 86400;
      r.registrar = fmt::format("Registrar {}", rng.Int(1, 3));
      w.registrations.push_back(r);
    }
    if (rng.Chance(30)) {
      const int at = std::max(0, born) + rng.Int(0, days - 1 - std::max(0, born));
      w.labels.push_back({domain, true, Day0(at), "test"});
      if (rng.Chance(70)) {
        const int listed = std::max(0, born) + rng.Int(0, days - 1 - std::max(0, born));
        const int delisted = listed + rng.Int(1, 80);
        w.listings.push_back({domain, fmt::format("feed-{}", rng.Int(1, 2)), Day0(listed),
                              delisted < days ? Day0(delisted) : 0});
      }
    } else if (rng.Chance(50)) {
      w.labels.push_back({domain, false, Day0(std::max(0, born) + rng.Int(0, 20)), "test"});
    }
  }
  return w;
}

EvidenceIndex RecordWorld::Build() const {
  EvidenceIndexBuilder b;
  for (const auto& r : pdns) b.AddPdns(r);
  for (const auto& r : popularity) b.AddPopularity(r);
  for (const auto& r : zone) b.AddZone(r);
  for (const auto& [kind, day] : snapshot_days) b.AddSnapshotDay(kind, day);
  for (const auto& r : registrations) b.AddRegistration(r);
  for (const auto& l : labels) b.AddLabel(l);
  for (const auto& l : listings) b.AddListing(l.domain, l.source, l.listed_at, l.delisted_at);
  return std::move(b).Finish();
}

RecordWorld RecordWorld::TruncatedAt(UnixSeconds at) const {
  RecordWorld w;
  w.names_ = names_;
  const Day day = DayOf(at);
  for (auto r : pdns) {
    if (r.first_seen > at) continue;
    r.last_seen = std::min(r.last_seen, at);
    w.pdns.push_back(r);
  }
  for (auto r : popularity) {
    if (r.first_day > day) continue;
    r.last_day = std::min(r.last_day, day);
    w.popularity.push_back(r);
  }
  for (auto r : zone) {
    if (r.first_day > day) continue;
    r.last_day = std::min(r.last_day, day);
    w.zone.push_back(r);
  }
  for (const auto& s : snapshot_days) {
    if (s.second.day <= day) w.snapshot_days.push_back(s);
  }
  for (const auto& r : registrations) {
    if (r.observed_at <= at) w.registrations.push_back(r);
  }
  for (const auto& l : labels) {
    if (l.at <= at) w.labels.push_back(l);
  }
  for (auto l : listings) {
    if (l.listed_at > at) continue;
    if (l.delisted_at > at) l.delisted_at = 0;
    w.listings.push_back(l);
  }
  return w;
}

}  // namespace mamori::domain::reputation::testing
