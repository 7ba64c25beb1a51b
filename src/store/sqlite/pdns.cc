// SqliteStore: passive DNS rrsets (store.h, "passive DNS"; schema in
// migrations/0010_passive_dns.sql). Names and rdata are interned into pdns_names/pdns_rdata;
// pdns_rrsets holds (name_id, rrtype, rdata_id) with the aggregate. MergePdns into empty tables
// (the first load of a store) takes a bulk path (BulkLoadPdns); otherwise each rrset is merged
// by lookups.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <string_view>
#include <thread>
#include <vector>
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


// Sorts `items` by the text `text_of(item)` gives, in byte order. The first eight bytes are
// compared as one big-endian integer held in the array, so most comparisons touch no string:
// sorting millions of strings is otherwise dominated by cache misses on them.
template <typename TextOf>
void SortByText(std::vector<uint32_t>& items, TextOf&& text_of) {
  struct Keyed {
    uint64_t prefix;
    uint32_t item;
  };
  std::vector<Keyed> keyed(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    std::string_view text = text_of(items[i]);
    uint64_t prefix = 0;
    for (size_t b = 0; b < 8; ++b) {
      prefix = prefix << 8 | (b < text.size() ? static_cast<uint8_t>(text[b]) : 0u);
    }
    keyed[i] = {prefix, items[i]};
  }
  std::sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    // Equal prefixes: the texts differ after them, or one is shorter (padding 0 bytes equal a
    // real NUL byte only in theory: names and rdata hold none).
    return text_of(a.item) < text_of(b.item);
  });
  for (size_t i = 0; i < items.size(); ++i) items[i] = keyed[i].item;
}

bool RrsetLess(const PdnsRrset& x, const PdnsRrset& y) {
  if (int c = x.name.compare(y.name); c != 0) return c < 0;
  if (x.rrtype != y.rrtype) return x.rrtype < y.rrtype;
  return x.rdata < y.rdata;
}

bool SameKey(const PdnsRrset& x, const PdnsRrset& y) {
  return x.rrtype == y.rrtype && x.name == y.name && x.rdata == y.rdata;
}

// True when no passive DNS is stored yet (the first load of a store).
Expected<bool> PdnsTablesEmpty(Connection& db, std::string_view what) {
  MAMORI_ASSIGN_OR_RETURN(
      Query q, db.Prepare("SELECT EXISTS (SELECT 1 FROM pdns_rrsets) OR "
                          "EXISTS (SELECT 1 FROM pdns_names) OR EXISTS (SELECT 1 FROM pdns_rdata)"));
  int rc = q.Step();
  if (rc != SQLITE_ROW) return tl::unexpected(db.ErrorFor(rc, what));
  bool any = q.Int(0) != 0;
  q.Reset();
  return !any;
}

Status StepDone(Connection& db, Query& q, std::string_view what) {
  int rc = q.Step();
  q.Reset();
  if (rc != SQLITE_DONE) return tl::unexpected(db.ErrorFor(rc, what));
  return Ok();
}

// The first load into empty tables, inside the caller's transaction (so all or nothing, DDL
// included). No id is looked up: names get ids in name order and rdata in rdata order, so with the batch in (name, rrtype, rdata) order every insert — rows,
// the UNIQUE text indexes and the rrsets primary key — appends at the right edge of its B-tree
// instead of landing on a random page. The secondary indexes (registered, rdata_id) are dropped
// first and built once at the end from sorted runs, much cheaper than millions of random
// inserts; their definitions are read back from sqlite_master, so a later migration that
// changes them is honoured. The rows are exactly what the general merge would store.
Expected<PdnsMergeStats> BulkLoadPdns(Connection& db, const std::vector<PdnsRrset>& rrsets,
                                      const std::vector<uint32_t>& order, std::string_view what) {
  std::vector<std::pair<std::string, std::string>> indexes;  // name, CREATE INDEX …
  {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db.Prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                            "tbl_name IN ('pdns_names', 'pdns_rdata', 'pdns_rrsets') AND "
                            "sql IS NOT NULL ORDER BY name"));
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) indexes.emplace_back(q.String(0), q.String(1));
    q.Reset();
    if (rc != SQLITE_DONE) return tl::unexpected(db.ErrorFor(rc, what));
  }
  for (const auto& [name, sql] : indexes) {
    MAMORI_RETURN_IF_ERROR(db.Exec(fmt::format("DROP INDEX \"{}\"", name).c_str(), what));
  }

  // rdata ids: distinct values in byte order get 1, 2, …. One hash lookup per rrset finds its
  // distinct value (a flat table: millions of them); the distinct values are then sorted. That
  // needs no database: a helper thread does it while this one inserts the names.
  std::vector<uint32_t> distinct_of(rrsets.size());
  std::vector<uint32_t> distinct;  // the index of the first rrset with each value
  std::vector<uint32_t> sorted;    // distinct values in byte order
  std::thread rdata_worker([&] {
    size_t capacity = 1024;
    while (capacity < rrsets.size() * 2) capacity *= 2;
    std::vector<uint32_t> slots(capacity, 0);  // distinct index + 1
    std::vector<uint64_t> hashes;
    const size_t mask = capacity - 1;
    for (uint32_t i = 0; i < rrsets.size(); ++i) {
      const std::string& text = rrsets[i].rdata;
      const uint64_t hash = std::hash<std::string_view>()(text);
      size_t slot = hash & mask;
      for (;; slot = (slot + 1) & mask) {
        if (slots[slot] == 0) {
          distinct.push_back(i);
          hashes.push_back(hash);
          slots[slot] = static_cast<uint32_t>(distinct.size());
          break;
        }
        const uint32_t d = slots[slot] - 1;
        if (hashes[d] == hash && rrsets[distinct[d]].rdata == text) break;
      }
      distinct_of[i] = slots[slot] - 1;
    }
    sorted.resize(distinct.size());
    std::iota(sorted.begin(), sorted.end(), 0u);
    SortByText(sorted, [&](uint32_t d) -> std::string_view { return rrsets[distinct[d]].rdata; });
  });

  // Names, in batch order. Rowids are left to SQLite: in an empty table they are 1, 2, … in
  // insert order, and SQLite appends without a B-tree search. The first rrset of a name gives
  // its registered domain, as in the general merge.
  std::vector<int64_t> name_ids;
  Status names_done = [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        Query add_name, db.Prepare("INSERT INTO pdns_names (name, registered) VALUES (?1, ?2)"));
    const PdnsRrset* previous = nullptr;
    for (uint32_t index : order) {
      const PdnsRrset& rr = rrsets[index];
      if (previous != nullptr && previous->name == rr.name) continue;
      previous = &rr;
      add_name.Bind(1, rr.name).Bind(2, rr.registered);
      MAMORI_RETURN_IF_ERROR(StepDone(db, add_name, what));
      name_ids.push_back(db.last_insert_rowid());
    }
    return Ok();
  }();
  rdata_worker.join();
  MAMORI_RETURN_IF_ERROR(names_done);

  std::vector<int64_t> rdata_id(distinct.size());
  {
    MAMORI_ASSIGN_OR_RETURN(Query add, db.Prepare("INSERT INTO pdns_rdata (rdata) VALUES (?1)"));
    for (size_t r = 0; r < sorted.size(); ++r) {
      add.Bind(1, std::string_view(rrsets[distinct[sorted[r]]].rdata));
      MAMORI_RETURN_IF_ERROR(StepDone(db, add, what));
      rdata_id[sorted[r]] = db.last_insert_rowid();
    }
  }

  MAMORI_ASSIGN_OR_RETURN(Query add_rrset,
                          db.Prepare("INSERT INTO pdns_rrsets "
                                     "(name_id, rrtype, rdata_id, first_seen, last_seen, count) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  PdnsMergeStats stats;
  size_t name_index = 0;
  const PdnsRrset* previous = nullptr;
  for (size_t k = 0; k < order.size();) {
    const PdnsRrset& rr = rrsets[order[k]];
    if (previous != nullptr && previous->name != rr.name) ++name_index;
    previous = &rr;
    // Duplicates in the batch are adjacent: fold them here (counted as merges, as there).
    UnixSeconds first = rr.first_seen, last = rr.last_seen;
    int64_t count = rr.count;
    size_t next = k + 1;
    for (; next < order.size() && SameKey(rrsets[order[next]], rr); ++next) {
      const PdnsRrset& dup = rrsets[order[next]];
      first = std::min(first, dup.first_seen);
      last = std::max(last, dup.last_seen);
      count += dup.count;
      ++stats.updated;
    }
    add_rrset.Bind(1, name_ids[name_index])
        .Bind(2, int64_t{rr.rrtype})
        .Bind(3, rdata_id[distinct_of[order[k]]])
        .Bind(4, first)
        .Bind(5, last)
        .Bind(6, count);
    MAMORI_RETURN_IF_ERROR(StepDone(db, add_rrset, what));
    ++stats.inserted;
    k = next;
  }

  // Index builds sort; SQLite's sorter may use a helper thread (PRAGMA threads, a
  // per-connection speed setting with no effect on what is stored), put back afterwards.
  int64_t threads = 0;
  {
    MAMORI_ASSIGN_OR_RETURN(Query q, db.Prepare("PRAGMA threads"));
    if (q.Step() == SQLITE_ROW) threads = q.Int(0);
    q.Reset();
  }
  MAMORI_RETURN_IF_ERROR(db.Exec("PRAGMA threads = 1", what));
  for (const auto& [name, sql] : indexes) {
    Status built = db.Exec(sql.c_str(), what);
    if (!built) {
      (void)db.Exec(fmt::format("PRAGMA threads = {}", threads).c_str(), what);
      return tl::unexpected(built.error());
    }
  }
  MAMORI_RETURN_IF_ERROR(db.Exec(fmt::format("PRAGMA threads = {}", threads).c_str(), what));
  return stats;
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
    // both B-trees (names, rrsets keyed by name_id) in order instead of at random. The
    // aggregator (domain/pdns/aggregator.h) hands batches over sorted already: checking is a
    // linear pass, sorting strings is not.
    std::vector<uint32_t> order(rrsets.size());
    std::iota(order.begin(), order.end(), 0u);
    if (!std::is_sorted(rrsets.begin(), rrsets.end(), RrsetLess)) {
      std::sort(order.begin(), order.end(),
                [&](uint32_t a, uint32_t b) { return RrsetLess(rrsets[a], rrsets[b]); });
    }

    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
    MAMORI_ASSIGN_OR_RETURN(bool empty, PdnsTablesEmpty(db_, kWhat));
    if (empty) {
      MAMORI_ASSIGN_OR_RETURN(PdnsMergeStats stats, BulkLoadPdns(db_, rrsets, order, kWhat));
      MAMORI_RETURN_IF_ERROR(tx.Commit());
      return stats;
    }
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
