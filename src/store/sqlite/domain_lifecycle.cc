// SqliteStore: the domain lifecycle — popularity and zone snapshots kept as intervals, RDAP
// registration observations, labels (store.h, "domain lifecycle"; schema in
// migrations/0011_domain_lifecycle.sql).
//
// Applying a snapshot is a merge join: the snapshot is sorted by domain in memory (before the
// lock is taken), and the intervals that ended on the list's previous snapshot day are read in
// domain order from the (name, last_day, domain) index. Matching domains are extended, the rest
// of the snapshot opens new intervals; domains that left are not touched, so their intervals end
// on the previous day. No per-domain lookup and no hash table of the stored side.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <numeric>

#include "store/sqlite/sqlite_store.h"

namespace mamori::store::sqlite {
namespace {

// "2026-01-05"
std::string DayText(Day day) {
  return FormatIso8601(static_cast<UnixSeconds>(day) * 86400).substr(0, 10);
}

// floor(log2(rank)) for rank >= 1.
int32_t RankBand(int32_t rank) {
  return static_cast<int32_t>(std::bit_width(static_cast<uint32_t>(rank))) - 1;
}

// The two snapshot kinds share the merge; they differ in table, name column and whether ranks
// (and so bands) exist.
struct SnapshotTable {
  std::string_view kind;     // lifecycle_snapshot_days.kind
  std::string_view what;     // operation name for errors
  std::string_view noun;     // "popularity list", "zone"
  std::string_view select_ended;
  std::string_view extend;
  std::string_view insert;
};

constexpr SnapshotTable kPopularity{
    "popularity",
    "ApplyPopularitySnapshot",
    "popularity list",
    "SELECT id, domain, rank_band FROM popularity_intervals INDEXED BY popularity_intervals_by_end "
    "WHERE list = ?1 AND last_day = ?2 ORDER BY domain",
    "UPDATE popularity_intervals SET last_day = ?2, best_rank = min(best_rank, ?3) WHERE id = ?1",
    "INSERT INTO popularity_intervals (list, domain, first_day, last_day, rank_band, best_rank) "
    "VALUES (?1, ?2, ?3, ?3, ?4, ?5)"};

constexpr SnapshotTable kZone{
    "zone",
    "ApplyZoneSnapshot",
    "zone",
    "SELECT id, domain, 0 FROM zone_intervals INDEXED BY zone_intervals_by_end "
    "WHERE zone = ?1 AND last_day = ?2 ORDER BY domain",
    "UPDATE zone_intervals SET last_day = ?2 WHERE id = ?1",
    "INSERT INTO zone_intervals (zone, domain, first_day, last_day) VALUES (?1, ?2, ?3, ?3)"};

// One snapshot entry, viewing the caller's string. rank 0 for zones.
struct Entry {
  std::string_view domain;
  int32_t rank = 0;
};

// Sorts by domain and drops repeats, keeping the best (lowest) rank of a domain listed twice.
void SortUnique(std::vector<Entry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.domain != b.domain ? a.domain < b.domain : a.rank < b.rank;
  });
  entries.erase(std::unique(entries.begin(), entries.end(),
                            [](const Entry& a, const Entry& b) { return a.domain == b.domain; }),
                entries.end());
}

}  // namespace

// The shared body of ApplyPopularitySnapshot and ApplyZoneSnapshot; `entries` sorted, unique.
static Status ApplyIntervalSnapshot(Connection& db, const SnapshotTable& t, std::string_view name,
                                    Day day, const std::vector<Entry>& entries) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db, Transaction::Mode::kWrite, t.what));
  std::optional<Day> previous;
  {
    MAMORI_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT max(day) FROM lifecycle_snapshot_days "
                                                "WHERE kind = ?1 AND name = ?2"));
    q.Bind(1, t.kind).Bind(2, name);
    int rc = q.Step();
    if (rc != SQLITE_ROW) return tl::unexpected(db.ErrorFor(rc, t.what));
    if (!q.IsNull(0)) previous = static_cast<Day>(q.Int(0));
  }
  if (previous && day <= *previous) {
    // The store has no "failed precondition" code; kRejected is the refusal of a safety rule.
    return MakeError(ErrorCode::kRejected,
                     fmt::format("{} {}: snapshot of {} is not after its newest snapshot ({}); "
                                 "snapshots are applied in date order, nothing was written",
                                 t.noun, name, DayText(day), DayText(*previous)),
                     std::string(t.what));
  }

  // Which snapshot entries continue an interval that ended on the previous snapshot day.
  struct Extension {
    int64_t id;
    int32_t rank;
  };
  std::vector<Extension> extend;
  std::vector<uint8_t> continued(entries.size(), 0);
  if (previous) {
    MAMORI_ASSIGN_OR_RETURN(Query q, db.Prepare(t.select_ended));
    q.Bind(1, name).Bind(2, static_cast<int64_t>(*previous));
    size_t i = 0;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      std::string_view domain = q.Text(1);
      while (i < entries.size() && entries[i].domain < domain) ++i;
      if (i == entries.size()) break;
      if (entries[i].domain != domain) continue;
      // A popularity domain that changed rank band starts a new interval.
      if (t.kind == kPopularity.kind && RankBand(entries[i].rank) != q.Int(2)) continue;
      extend.push_back({q.Int(0), entries[i].rank});
      continued[i] = 1;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return tl::unexpected(db.ErrorFor(rc, t.what));
  }
  {
    // Rowid order walks the table's pages once instead of jumping around.
    std::sort(extend.begin(), extend.end(),
              [](const Extension& a, const Extension& b) { return a.id < b.id; });
    MAMORI_ASSIGN_OR_RETURN(Query u, db.Prepare(t.extend));
    u.Bind(2, static_cast<int64_t>(day));
    for (const auto& e : extend) {
      u.Bind(1, e.id);
      if (t.kind == kPopularity.kind) u.Bind(3, static_cast<int64_t>(e.rank));
      MAMORI_RETURN_IF_ERROR(db.Run(u, t.what));
    }
  }
  {
    MAMORI_ASSIGN_OR_RETURN(Query ins, db.Prepare(t.insert));
    ins.Bind(1, name).Bind(3, static_cast<int64_t>(day));
    for (size_t i = 0; i < entries.size(); ++i) {
      if (continued[i]) continue;
      ins.Bind(2, entries[i].domain);
      if (t.kind == kPopularity.kind) {
        ins.Bind(4, static_cast<int64_t>(RankBand(entries[i].rank)))
            .Bind(5, static_cast<int64_t>(entries[i].rank));
      }
      MAMORI_RETURN_IF_ERROR(db.Run(ins, t.what));
    }
  }
  {
    MAMORI_ASSIGN_OR_RETURN(Query q, db.Prepare("INSERT INTO lifecycle_snapshot_days "
                                                "(kind, name, day, entries) VALUES (?1, ?2, ?3, ?4)"));
    q.Bind(1, t.kind)
        .Bind(2, name)
        .Bind(3, static_cast<int64_t>(day))
        .Bind(4, static_cast<int64_t>(entries.size()));
    MAMORI_RETURN_IF_ERROR(db.Run(q, t.what));
  }
  return tx.Commit();
}

Status SqliteStore::ApplyPopularitySnapshot(
    std::string_view list, Day day, const std::vector<std::pair<std::string, int32_t>>& ranked) {
  const auto& t = kPopularity;
  return Guarded(t.what, [&]() -> Status {
    if (list.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "the popularity list name is empty",
                       std::string(t.what));
    }
    std::vector<Entry> entries;
    entries.reserve(ranked.size());
    for (const auto& [domain, rank] : ranked) {
      if (domain.empty() || rank < 1) {
        return MakeError(ErrorCode::kInvalidArgument,
                         fmt::format("popularity list {}: entry '{}' rank {}: every entry needs a "
                                     "domain and a rank >= 1",
                                     list, domain, rank),
                         std::string(t.what));
      }
      entries.push_back({domain, rank});
    }
    // Sorting a million entries takes a fraction of a second; done before the lock.
    SortUnique(entries);
    return Locked(t.what, [&] { return ApplyIntervalSnapshot(db_, t, list, day, entries); });
  });
}

Status SqliteStore::ApplyZoneSnapshot(std::string_view zone, Day day,
                                      const std::vector<std::string>& domains) {
  const auto& t = kZone;
  return Guarded(t.what, [&]() -> Status {
    if (zone.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "the zone name is empty", std::string(t.what));
    }
    std::vector<Entry> entries;
    entries.reserve(domains.size());
    for (const auto& domain : domains) {
      if (domain.empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         fmt::format("zone {}: an empty domain name in the snapshot", zone),
                         std::string(t.what));
      }
      entries.push_back({domain, 0});
    }
    SortUnique(entries);
    return Locked(t.what, [&] { return ApplyIntervalSnapshot(db_, t, zone, day, entries); });
  });
}

Expected<std::vector<SnapshotDay>> SqliteStore::ListSnapshotDays(std::string_view kind) {
  constexpr std::string_view kWhat = "ListSnapshotDays";
  return Locked(kWhat, [&]() -> Expected<std::vector<SnapshotDay>> {
    MAMORI_ASSIGN_OR_RETURN(Query q,
                            db_.Prepare("SELECT name, day, entries FROM lifecycle_snapshot_days "
                                        "WHERE kind = ?1 ORDER BY day, name"));
    q.Bind(1, kind);
    std::vector<SnapshotDay> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      out.push_back({q.String(0), static_cast<Day>(q.Int(1)), q.Int(2)});
    }
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return out;
  });
}

namespace {

constexpr std::string_view kPopularityColumns =
    "domain, list, first_day, last_day, rank_band, best_rank";
constexpr std::string_view kZoneColumns = "domain, zone, first_day, last_day";

PopularityInterval ReadPopularity(const Query& q) {
  return {q.String(0),
          q.String(1),
          static_cast<Day>(q.Int(2)),
          static_cast<Day>(q.Int(3)),
          static_cast<int32_t>(q.Int(4)),
          static_cast<int32_t>(q.Int(5))};
}

ZoneInterval ReadZone(const Query& q) {
  return {q.String(0), q.String(1), static_cast<Day>(q.Int(2)), static_cast<Day>(q.Int(3))};
}

// Registration columns in the order ReadRegistration expects.
constexpr std::string_view kRegistrationColumns =
    "domain, observed_at, created, expires, updated, registrar, registrar_iana, abuse_email, "
    "nameservers, statuses";

// Lists are stored newline-separated: neither name servers nor RDAP statuses contain a newline
// (the writer drops any), and SQL can still split them.
std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty() || &item != &items.front()) out += '\n';
    for (char c : item) {
      if (c != '\n' && c != '\r') out += c;
    }
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t end = text.find('\n', start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

RegistrationObservation ReadRegistration(const Query& q) {
  RegistrationObservation r;
  r.domain = q.String(0);
  r.observed_at = q.Int(1);
  r.created = q.Int(2);
  r.expires = q.Int(3);
  r.updated = q.Int(4);
  r.registrar = q.String(5);
  r.registrar_iana = q.String(6);
  r.abuse_email = q.String(7);
  r.nameservers = SplitLines(q.Text(8));
  r.statuses = SplitLines(q.Text(9));
  return r;
}

bool SameExceptTime(const RegistrationObservation& a, const RegistrationObservation& b) {
  return a.domain == b.domain && a.created == b.created && a.expires == b.expires &&
         a.updated == b.updated && a.registrar == b.registrar &&
         a.registrar_iana == b.registrar_iana && a.abuse_email == b.abuse_email &&
         a.nameservers == b.nameservers && a.statuses == b.statuses;
}

DomainLabel ReadLabel(const Query& q) {
  return {q.String(0), q.Int(1) != 0, q.Int(2), q.String(3)};
}

}  // namespace

// Streams `sql` through `read` to `fn` inside a read transaction; fn returning false stops.
template <typename Record, typename Read>
static Status StreamRows(Connection& db, std::string_view what, std::string_view sql, Read read,
                         const std::function<bool(const Record&)>& fn) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db, Transaction::Mode::kRead, what));
  {
    MAMORI_ASSIGN_OR_RETURN(Query q, db.Prepare(sql));
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      if (!fn(read(q))) break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return tl::unexpected(db.ErrorFor(rc, what));
  }
  return tx.Commit();
}

// Every row of `sql` with ?1 bound to `key`.
template <typename Record, typename Read>
static Expected<std::vector<Record>> RowsFor(Connection& db, std::string_view what,
                                             std::string_view sql, std::string_view key,
                                             Read read) {
  MAMORI_ASSIGN_OR_RETURN(Query q, db.Prepare(sql));
  q.Bind(1, key);
  std::vector<Record> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) out.push_back(read(q));
  if (rc != SQLITE_DONE) return tl::unexpected(db.ErrorFor(rc, what));
  return out;
}

Status SqliteStore::ForEachPopularityInterval(
    const std::function<bool(const PopularityInterval&)>& fn) {
  constexpr std::string_view kWhat = "ForEachPopularityInterval";
  return Locked(kWhat, [&] {
    // Index order: a domain's intervals arrive together, oldest first per list.
    return StreamRows<PopularityInterval>(
        db_, kWhat,
        fmt::format("SELECT {} FROM popularity_intervals INDEXED BY popularity_intervals_by_domain "
                    "ORDER BY domain, list, first_day",
                    kPopularityColumns),
        ReadPopularity, fn);
  });
}

Status SqliteStore::ForEachZoneInterval(const std::function<bool(const ZoneInterval&)>& fn) {
  constexpr std::string_view kWhat = "ForEachZoneInterval";
  return Locked(kWhat, [&] {
    return StreamRows<ZoneInterval>(
        db_, kWhat,
        fmt::format("SELECT {} FROM zone_intervals INDEXED BY zone_intervals_by_domain "
                    "ORDER BY domain, zone, first_day",
                    kZoneColumns),
        ReadZone, fn);
  });
}

Expected<std::vector<PopularityInterval>> SqliteStore::PopularityOf(std::string_view domain) {
  constexpr std::string_view kWhat = "PopularityOf";
  return Locked(kWhat, [&] {
    return RowsFor<PopularityInterval>(
        db_, kWhat,
        fmt::format("SELECT {} FROM popularity_intervals WHERE domain = ?1 "
                    "ORDER BY list, first_day",
                    kPopularityColumns),
        domain, ReadPopularity);
  });
}

Expected<std::vector<ZoneInterval>> SqliteStore::ZoneIntervalsOf(std::string_view domain) {
  constexpr std::string_view kWhat = "ZoneIntervalsOf";
  return Locked(kWhat, [&] {
    return RowsFor<ZoneInterval>(
        db_, kWhat,
        fmt::format("SELECT {} FROM zone_intervals WHERE domain = ?1 ORDER BY zone, first_day",
                    kZoneColumns),
        domain, ReadZone);
  });
}

Status SqliteStore::AddRegistrations(const std::vector<RegistrationObservation>& observations) {
  constexpr std::string_view kWhat = "AddRegistrations";
  return Guarded(kWhat, [&]() -> Status {
    for (const auto& o : observations) {
      if (o.domain.empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "a registration observation without a domain", std::string(kWhat));
      }
    }
    // Oldest first per domain, so a batch holding repeats dedupes like separate calls would.
    std::vector<const RegistrationObservation*> order;
    order.reserve(observations.size());
    for (const auto& o : observations) order.push_back(&o);
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
      return a->domain != b->domain ? a->domain < b->domain : a->observed_at < b->observed_at;
    });
    return Locked(kWhat, [&]() -> Status {
      MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
      MAMORI_ASSIGN_OR_RETURN(
          Query newest,
          db_.Prepare(fmt::format("SELECT {} FROM domain_registrations WHERE domain = ?1 "
                                  "ORDER BY observed_at DESC, id DESC LIMIT 1",
                                  kRegistrationColumns)));
      MAMORI_ASSIGN_OR_RETURN(
          Query ins,
          db_.Prepare(fmt::format("INSERT INTO domain_registrations ({}) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                  kRegistrationColumns)));
      std::optional<RegistrationObservation> last;  // the domain's newest, stored or just added
      for (const auto* o : order) {
        if (!last || last->domain != o->domain) {
          last.reset();
          newest.Bind(1, std::string_view(o->domain));
          int rc = newest.Step();
          if (rc == SQLITE_ROW) {
            last = ReadRegistration(newest);
          } else if (rc != SQLITE_DONE) {
            return tl::unexpected(db_.ErrorFor(rc, kWhat));
          }
          newest.Reset();
        }
        if (last && SameExceptTime(*last, *o)) continue;
        std::string nameservers = JoinLines(o->nameservers);
        std::string statuses = JoinLines(o->statuses);
        ins.Bind(1, std::string_view(o->domain))
            .Bind(2, o->observed_at)
            .Bind(3, o->created)
            .Bind(4, o->expires)
            .Bind(5, o->updated)
            .Bind(6, std::string_view(o->registrar))
            .Bind(7, std::string_view(o->registrar_iana))
            .Bind(8, std::string_view(o->abuse_email))
            .Bind(9, std::string_view(nameservers))
            .Bind(10, std::string_view(statuses));
        MAMORI_RETURN_IF_ERROR(db_.Run(ins, kWhat));
        last = *o;
      }
      return tx.Commit();
    });
  });
}

Status SqliteStore::ForEachRegistration(
    const std::function<bool(const RegistrationObservation&)>& fn) {
  constexpr std::string_view kWhat = "ForEachRegistration";
  return Locked(kWhat, [&] {
    return StreamRows<RegistrationObservation>(
        db_, kWhat,
        fmt::format("SELECT {} FROM domain_registrations INDEXED BY domain_registrations_by_domain "
                    "ORDER BY domain, observed_at",
                    kRegistrationColumns),
        ReadRegistration, fn);
  });
}

Expected<std::vector<RegistrationObservation>> SqliteStore::RegistrationsOf(
    std::string_view domain) {
  constexpr std::string_view kWhat = "RegistrationsOf";
  return Locked(kWhat, [&] {
    return RowsFor<RegistrationObservation>(
        db_, kWhat,
        fmt::format("SELECT {} FROM domain_registrations WHERE domain = ?1 "
                    "ORDER BY observed_at, id",
                    kRegistrationColumns),
        domain, ReadRegistration);
  });
}

Status SqliteStore::AddDomainLabels(const std::vector<DomainLabel>& labels) {
  constexpr std::string_view kWhat = "AddDomainLabels";
  for (const auto& l : labels) {
    if (l.domain.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "a label without a domain",
                       std::string(kWhat));
    }
  }
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT INTO domain_labels (domain, malicious, source, at) "
                             "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (domain, malicious, source) "
                             "DO UPDATE SET at = min(at, excluded.at)"));
    for (const auto& l : labels) {
      q.Bind(1, std::string_view(l.domain))
          .Bind(2, int64_t{l.malicious ? 1 : 0})
          .Bind(3, std::string_view(l.source))
          .Bind(4, l.at);
      MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    }
    return tx.Commit();
  });
}

Status SqliteStore::ForEachDomainLabel(const std::function<bool(const DomainLabel&)>& fn) {
  constexpr std::string_view kWhat = "ForEachDomainLabel";
  return Locked(kWhat, [&] {
    return StreamRows<DomainLabel>(
        db_, kWhat,
        "SELECT domain, malicious, at, source FROM domain_labels ORDER BY domain, malicious, source",
        ReadLabel, fn);
  });
}

Expected<std::vector<DomainLabel>> SqliteStore::LabelsOf(std::string_view domain) {
  constexpr std::string_view kWhat = "LabelsOf";
  return Locked(kWhat, [&] {
    return RowsFor<DomainLabel>(db_, kWhat,
                                "SELECT domain, malicious, at, source FROM domain_labels "
                                "WHERE domain = ?1 ORDER BY at, source",
                                domain, ReadLabel);
  });
}

}  // namespace mamori::store::sqlite
