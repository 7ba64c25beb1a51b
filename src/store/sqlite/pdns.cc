// SqliteStore: passive DNS rrsets (store.h, "passive DNS"; schema in
// migrations/0010_passive_dns.sql). Names and rdata are interned into pdns_names/pdns_rdata;
// pdns_rrsets holds (name_id, rrtype, rdata_id) with the aggregate.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "store/sqlite/sqlite_store.h"

namespace mamori::store::sqlite {
namespace {

// The columns every read returns, in ReadRrset's order.
constexpr std::string_view kSelect =
    "SELECT n.name, n.registered, r.rrtype, d.rdata, r.first_seen, r.last_seen, r.count "
    "FROM pdns_rrsets r JOIN pdns_names n ON n.id = r.name_id "
    "JOIN pdns_rdata d ON d.id = r.rdata_id ";

void ReadRrset(const Query& q, PdnsRrset& out) {
  out.name.assign(q.Text(0));
  out.registered.assign(q.Text(1));
  out.rrtype = static_cast<uint16_t>(q.Int(2));
  out.rdata.assign(q.Text(3));
  out.first_seen = q.Int(4);
  out.last_seen = q.Int(5);
  out.count = q.Int(6);
}

}  // namespace

Expected<PdnsMergeStats> SqliteStore::MergePdns(const std::vector<PdnsRrset>& rrsets) {
  constexpr std::string_view kWhat = "MergePdns";
  for (size_t i = 0; i < rrsets.size(); ++i) {
    if (rrsets[i].name.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("{}: rrset {} has an empty name", kWhat, i));
    }
  }
  return Locked(kWhat, [&]() -> Expected<PdnsMergeStats> {
    // Merging in name order keeps consecutive rrsets of one name on one name lookup and walks
    // both B-trees (names, rrsets keyed by name_id) in order instead of at random.
    std::vector<uint32_t> order(rrsets.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      const PdnsRrset& x = rrsets[a];
      const PdnsRrset& y = rrsets[b];
      if (int c = x.name.compare(y.name); c != 0) return c < 0;
      if (x.rrtype != y.rrtype) return x.rrtype < y.rrtype;
      return x.rdata < y.rdata;
    });

    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
    MAMORI_ASSIGN_OR_RETURN(Query find_name,
                            db_.Prepare("SELECT id FROM pdns_names WHERE name = ?1"));
    MAMORI_ASSIGN_OR_RETURN(Query add_name,
                            db_.Prepare("INSERT INTO pdns_names (name, registered) VALUES (?1, ?2) "
                                        "ON CONFLICT (name) DO NOTHING"));
    MAMORI_ASSIGN_OR_RETURN(Query find_rdata,
                            db_.Prepare("SELECT id FROM pdns_rdata WHERE rdata = ?1"));
    MAMORI_ASSIGN_OR_RETURN(
        Query add_rdata,
        db_.Prepare("INSERT INTO pdns_rdata (rdata) VALUES (?1) ON CONFLICT (rdata) DO NOTHING"));
    // A new rrset is one INSERT; only one the store already has costs a second statement.
    MAMORI_ASSIGN_OR_RETURN(Query add_rrset,
                            db_.Prepare("INSERT OR IGNORE INTO pdns_rrsets "
                                        "(name_id, rrtype, rdata_id, first_seen, last_seen, count) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    MAMORI_ASSIGN_OR_RETURN(Query merge_rrset,
                            db_.Prepare("UPDATE pdns_rrsets SET first_seen = min(first_seen, ?4), "
                                        "last_seen = max(last_seen, ?5), count = count + ?6 "
                                        "WHERE name_id = ?1 AND rrtype = ?2 AND rdata_id = ?3"));

    // Looks `text` up with `find` and inserts it with `add` (bound by `bind_add`) when absent.
    // Which goes first follows the previous text: a fresh file brings mostly new names (insert
    // first: one statement), a re-ingest mostly known ones (select first: one statement).
    auto intern = [&](Query& find, Query& add, std::string_view text, bool& expect_new,
                      auto&& bind_add) -> Expected<int64_t> {
      auto try_add = [&]() -> Expected<bool> {
        bind_add(add);
        int rc = add.Step();
        add.Reset();
        if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
        return db_.changes() > 0;
      };
      if (expect_new) {
        MAMORI_ASSIGN_OR_RETURN(bool added, try_add());
        if (added) return db_.last_insert_rowid();
      }
      find.Bind(1, text);
      int rc = find.Step();
      if (rc == SQLITE_ROW) {
        int64_t id = find.Int(0);
        find.Reset();
        expect_new = false;
        return id;
      }
      find.Reset();
      if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
      MAMORI_ASSIGN_OR_RETURN(bool added, try_add());
      if (!added) {
        return MakeError(ErrorCode::kInternal, fmt::format("{}: \"{}\" neither found nor added",
                                                           kWhat, text.substr(0, 80)));
      }
      expect_new = true;
      return db_.last_insert_rowid();
    };
    bool name_expect_new = true;
    bool rdata_expect_new = true;

    // rdata repeat across names (shared hosting addresses): a per-call cache saves lookups.
    // Keys view the caller's strings, which outlive this call.
    std::unordered_map<std::string_view, int64_t> rdata_ids;
    PdnsMergeStats stats;
    const std::string* previous_name = nullptr;
    int64_t name_id = 0;
    for (uint32_t index : order) {
      const PdnsRrset& rr = rrsets[index];
      if (previous_name == nullptr || *previous_name != rr.name) {
        MAMORI_ASSIGN_OR_RETURN(
            name_id, intern(find_name, add_name, rr.name, name_expect_new,
                            [&](Query& q) { q.Bind(1, rr.name).Bind(2, rr.registered); }));
        previous_name = &rr.name;
      }
      int64_t rdata_id;
      if (auto it = rdata_ids.find(rr.rdata); it != rdata_ids.end()) {
        rdata_id = it->second;
      } else {
        MAMORI_ASSIGN_OR_RETURN(rdata_id, intern(find_rdata, add_rdata, rr.rdata, rdata_expect_new,
                                                 [&](Query& q) { q.Bind(1, rr.rdata); }));
        rdata_ids.emplace(rr.rdata, rdata_id);
      }
      add_rrset.Bind(1, name_id)
          .Bind(2, int64_t{rr.rrtype})
          .Bind(3, rdata_id)
          .Bind(4, rr.first_seen)
          .Bind(5, rr.last_seen)
          .Bind(6, rr.count);
      int rc = add_rrset.Step();
      add_rrset.Reset();
      if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
      if (db_.changes() > 0) {
        ++stats.inserted;
        continue;
      }
      merge_rrset.Bind(1, name_id)
          .Bind(2, int64_t{rr.rrtype})
          .Bind(3, rdata_id)
          .Bind(4, rr.first_seen)
          .Bind(5, rr.last_seen)
          .Bind(6, rr.count);
      MAMORI_RETURN_IF_ERROR(db_.Run(merge_rrset, kWhat));
      ++stats.updated;
    }
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return stats;
  });
}

Status SqliteStore::ForEachPdns(const std::function<bool(const PdnsRrset&)>& fn) {
  constexpr std::string_view kWhat = "ForEachPdns";
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kRead, kWhat));
    // Walks pdns_rrsets in key order (the rrsets of one name come together); names and rdata
    // are rowid lookups. Nothing is held in memory beyond the current row.
    MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare(fmt::format("{} ORDER BY r.name_id", kSelect)));
    PdnsRrset row;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      ReadRrset(q, row);
      if (!fn(row)) break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return tx.Commit();
  });
}

namespace {

// Runs a read of rrsets that takes one text parameter (and an optional limit as ?2).
Expected<std::vector<PdnsRrset>> ReadRrsets(Connection& db, std::string_view what,
                                            std::string_view sql, std::string_view key,
                                            int64_t limit) {
  MAMORI_ASSIGN_OR_RETURN(Query q, db.Prepare(sql));
  q.Bind(1, key);
  if (limit != 0) q.Bind(2, limit);
  std::vector<PdnsRrset> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) ReadRrset(q, out.emplace_back());
  if (rc != SQLITE_DONE) return tl::unexpected(db.ErrorFor(rc, what));
  return out;
}

}  // namespace

Expected<std::vector<PdnsRrset>> SqliteStore::PdnsByName(std::string_view name) {
  constexpr std::string_view kWhat = "PdnsByName";
  return Locked(kWhat, [&]() -> Expected<std::vector<PdnsRrset>> {
    return ReadRrsets(db_, kWhat,
                      fmt::format("{} WHERE n.name = ?1 ORDER BY r.rrtype, d.rdata", kSelect), name,
                      0);
  });
}

Expected<std::vector<PdnsRrset>> SqliteStore::PdnsByRegistered(std::string_view registered) {
  constexpr std::string_view kWhat = "PdnsByRegistered";
  return Locked(kWhat, [&]() -> Expected<std::vector<PdnsRrset>> {
    // The empty registered domain groups every name without one: not a domain to ask about.
    if (registered.empty()) return std::vector<PdnsRrset>{};
    return ReadRrsets(
        db_, kWhat,
        fmt::format("{} WHERE n.registered = ?1 ORDER BY n.name, r.rrtype, d.rdata", kSelect),
        registered, 0);
  });
}

Expected<std::vector<PdnsRrset>> SqliteStore::PdnsByRdata(std::string_view rdata, int limit) {
  constexpr std::string_view kWhat = "PdnsByRdata";
  return Locked(kWhat, [&]() -> Expected<std::vector<PdnsRrset>> {
    // The most recently seen first: with a limit, those are the ones worth keeping.
    return ReadRrsets(db_, kWhat,
                      fmt::format("{} WHERE d.rdata = ?1 ORDER BY r.last_seen DESC, n.name, "
                                  "r.rrtype LIMIT ?2",
                                  kSelect),
                      rdata, limit > 0 ? int64_t{limit} : int64_t{-1});
  });
}

}  // namespace mamori::store::sqlite
