// SqliteStore: passive DNS rrsets (store.h, "passive DNS"; schema in
// migrations/0010_passive_dns.sql and 0012_passive_dns_lookup_tables.sql). Names and rdata are
// interned into pdns_names/pdns_rdata; pdns_rrsets holds (name_id, rrtype, rdata_id) with the
// aggregate. Two lookup tables stand in for secondary indexes and are written here beside the
// rows: pdns_rdata_rrsets (rdata_id, name_id, rrtype) for PdnsByRdata and pdns_registered_names
// (registered, name_id) for PdnsByRegistered. MergePdns into empty tables (the first load of a
// store) takes a bulk path (BulkLoadPdns); otherwise each rrset is merged by lookups.
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

Expected<int64_t> PragmaInt(Connection& db, std::string_view pragma, std::string_view what) {
  MAMORI_ASSIGN_OR_RETURN(Query q, db.Prepare(fmt::format("PRAGMA {}", pragma)));
  int rc = q.Step();
  if (rc != SQLITE_ROW) return tl::unexpected(db.ErrorFor(rc, what));
  int64_t value = q.Int(0);
  q.Reset();
  return value;
}

Status StepDone(Connection& db, Query& q, std::string_view what) {
  int rc = q.Step();
  q.Reset();
  if (rc != SQLITE_DONE) return tl::unexpected(db.ErrorFor(rc, what));
  return Ok();
}

// Inserts `rows` rows of `columns` values with multi-row INSERTs (`insert_into` is the
// statement up to VALUES): one statement of kRowsPerInsert rows costs much less VM work than
// that many single-row ones. `bind_row(query, base, row)` binds row `row` to parameters
// base + 1 … base + columns.
constexpr size_t kRowsPerInsert = 256;

template <typename BindRow>
Status InsertRows(Connection& db, std::string_view insert_into, int columns, size_t rows,
                  BindRow&& bind_row, std::string_view what) {
  auto sql_for = [&](size_t n) {
    std::string sql(insert_into);
    sql += " VALUES ";
    for (size_t r = 0; r < n; ++r) {
      sql += r == 0 ? "(" : ",(";
      for (int c = 0; c < columns; ++c) sql += c == 0 ? "?" : ",?";
      sql += ")";
    }
    return sql;
  };
  size_t done = 0;
  if (rows >= kRowsPerInsert) {
    MAMORI_ASSIGN_OR_RETURN(Query q, db.Prepare(sql_for(kRowsPerInsert)));
    for (; rows - done >= kRowsPerInsert; done += kRowsPerInsert) {
      for (size_t r = 0; r < kRowsPerInsert; ++r) {
        bind_row(q, static_cast<int>(r) * columns, done + r);
      }
      MAMORI_RETURN_IF_ERROR(StepDone(db, q, what));
    }
  }
  if (done < rows) {
    MAMORI_ASSIGN_OR_RETURN(Query q, db.Prepare(sql_for(rows - done)));
    for (size_t r = 0; done + r < rows; ++r) bind_row(q, static_cast<int>(r) * columns, done + r);
    MAMORI_RETURN_IF_ERROR(StepDone(db, q, what));
  }
  return Ok();
}

// An entry of pdns_rdata_rrsets, ordered as its primary key.
struct RdataKey {
  uint32_t rdata_id;
  uint32_t name_id;
  uint16_t rrtype;
  auto operator<=>(const RdataKey&) const = default;
};

// The first load into empty tables, inside the caller's transaction (so all or nothing, DDL
// included). No id is looked up: names get ids in name order and rdata in rdata order, so with
// the batch in (name, rrtype, rdata) order every insert — rows, the UNIQUE text indexes and the
// rrsets primary key — appends at the right edge of its B-tree instead of landing on a random
// page. The lookup tables are filled the same way, from entries sorted in memory. Rows go in
// with multi-row INSERTs (InsertRows). Any secondary index on the three tables (none since
// migration 0012; a later migration may add one) is dropped first and built once at the end,
// its definition read back from sqlite_master. The rows are exactly what the general merge
// would store. Measured (bench/pdns_ingest, 4.9 M rrsets): 19.4 s before multi-row inserts and
// the lookup tables, about 10 s after.
Expected<PdnsMergeStats> BulkLoadPdns(Connection& db, const std::vector<PdnsRrset>& rrsets,
                                      const std::vector<uint32_t>& order, std::string_view what) {
  std::vector<std::pair<std::string, std::string>> indexes;  // name, CREATE INDEX …
  {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db.Prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                            "tbl_name IN ('pdns_names', 'pdns_rdata', 'pdns_rrsets', "
                            "'pdns_rdata_rrsets', 'pdns_registered_names') AND "
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

  // One pass over the batch finds where each name and each distinct key starts (duplicates of
  // a key are adjacent: folded below, counted as merges as in the general merge).
  std::vector<uint32_t> name_starts;  // positions in `order` where a new name begins
  std::vector<uint32_t> key_starts;   // positions in `order` where a new key begins
  std::vector<uint32_t> key_name;     // for each key, the index of its name in name_starts
  key_starts.reserve(order.size());
  key_name.reserve(order.size());
  for (size_t k = 0; k < order.size(); ++k) {
    const PdnsRrset& rr = rrsets[order[k]];
    const PdnsRrset* previous = k == 0 ? nullptr : &rrsets[order[k - 1]];
    if (previous == nullptr || previous->name != rr.name) {
      name_starts.push_back(static_cast<uint32_t>(k));
    } else if (SameKey(*previous, rr)) {
      continue;
    }
    key_starts.push_back(static_cast<uint32_t>(k));
    key_name.push_back(static_cast<uint32_t>(name_starts.size() - 1));
  }

  // Names, in batch order, with ids 1, 2, … given explicitly (what SQLite would give in an
  // empty table, and no last_insert_rowid per row). The first rrset of a name gives its
  // registered domain, as in the general merge.
  Status names_done = InsertRows(
      db, "INSERT INTO pdns_names (id, name, registered)", 3, name_starts.size(),
      [&](Query& q, int base, size_t row) {
        const PdnsRrset& rr = rrsets[order[name_starts[row]]];
        q.Bind(base + 1, static_cast<int64_t>(row + 1))
            .Bind(base + 2, std::string_view(rr.name))
            .Bind(base + 3, std::string_view(rr.registered));
      },
      what);
  rdata_worker.join();
  MAMORI_RETURN_IF_ERROR(names_done);

  // rdata ids 1, 2, … in byte order.
  std::vector<int64_t> rdata_id(distinct.size());
  for (size_t r = 0; r < sorted.size(); ++r) rdata_id[sorted[r]] = static_cast<int64_t>(r + 1);
  MAMORI_RETURN_IF_ERROR(InsertRows(
      db, "INSERT INTO pdns_rdata (id, rdata)", 2, sorted.size(),
      [&](Query& q, int base, size_t row) {
        q.Bind(base + 1, static_cast<int64_t>(row + 1))
            .Bind(base + 2, std::string_view(rrsets[distinct[sorted[row]]].rdata));
      },
      what));

  // Entries of the lookup tables in key order, sorted on a helper thread while the rdata and
  // rrsets go in (no database work there).
  std::vector<RdataKey> by_rdata(key_starts.size());
  std::vector<uint32_t> by_registered(name_starts.size());  // name index (id - 1)
  std::thread lookups_sorter([&] {
    for (size_t row = 0; row < key_starts.size(); ++row) {
      const PdnsRrset& rr = rrsets[order[key_starts[row]]];
      by_rdata[row] = {static_cast<uint32_t>(rdata_id[distinct_of[order[key_starts[row]]]]),
                       key_name[row] + 1, rr.rrtype};
    }
    std::sort(by_rdata.begin(), by_rdata.end());
    // Many names share a registered domain: its distinct values are sorted (few), then the
    // names are placed by a counting sort on their value's rank, in name order within one.
    auto registered_of = [&](uint32_t name) -> std::string_view {
      return rrsets[order[name_starts[name]]].registered;
    };
    std::unordered_map<std::string_view, uint32_t> group_of;  // value -> distinct index
    std::vector<uint32_t> group(name_starts.size());
    std::vector<uint32_t> groups;  // the first name with each distinct value
    for (uint32_t name = 0; name < name_starts.size(); ++name) {
      auto [it, added] =
          group_of.try_emplace(registered_of(name), static_cast<uint32_t>(groups.size()));
      if (added) groups.push_back(name);
      group[name] = it->second;
    }
    std::vector<uint32_t> by_text(groups.size());
    std::iota(by_text.begin(), by_text.end(), 0u);
    SortByText(by_text, [&](uint32_t g) { return registered_of(groups[g]); });
    std::vector<uint32_t> start(groups.size() + 1, 0);  // by rank, then where each rank starts
    std::vector<uint32_t> rank(groups.size());
    for (uint32_t r = 0; r < by_text.size(); ++r) rank[by_text[r]] = r;
    for (uint32_t g : group) ++start[rank[g] + 1];
    for (size_t r = 1; r < start.size(); ++r) start[r] += start[r - 1];
    for (uint32_t name = 0; name < group.size(); ++name) {
      by_registered[start[rank[group[name]]]++] = name;
    }
  });
  // Joined on every path out (an error return included) before the vectors it reads go.
  struct Joiner {
    std::thread& thread;
    ~Joiner() {
      if (thread.joinable()) thread.join();
    }
  } join_lookups_sorter{lookups_sorter};

  PdnsMergeStats stats;
  stats.inserted = static_cast<int64_t>(key_starts.size());
  stats.updated = static_cast<int64_t>(order.size() - key_starts.size());
  MAMORI_RETURN_IF_ERROR(InsertRows(
      db, "INSERT INTO pdns_rrsets (name_id, rrtype, rdata_id, first_seen, last_seen, count)", 6,
      key_starts.size(),
      [&](Query& q, int base, size_t row) {
        const size_t k = key_starts[row];
        const size_t end = row + 1 < key_starts.size() ? key_starts[row + 1] : order.size();
        const PdnsRrset& rr = rrsets[order[k]];
        UnixSeconds first = rr.first_seen, last = rr.last_seen;
        int64_t count = rr.count;
        for (size_t dup = k + 1; dup < end; ++dup) {
          const PdnsRrset& d = rrsets[order[dup]];
          first = std::min(first, d.first_seen);
          last = std::max(last, d.last_seen);
          count += d.count;
        }
        q.Bind(base + 1, static_cast<int64_t>(key_name[row] + 1))
            .Bind(base + 2, int64_t{rr.rrtype})
            .Bind(base + 3, rdata_id[distinct_of[order[k]]])
            .Bind(base + 4, first)
            .Bind(base + 5, last)
            .Bind(base + 6, count);
      },
      what));

  // The lookup tables (migrations/0012_passive_dns_lookup_tables.sql), filled in key order: a
  // helper thread sorts their entries while this one inserts the rdata and rrsets above —
  // see the join below. SQLite's CREATE INDEX sorter took several times longer.
  lookups_sorter.join();
  MAMORI_RETURN_IF_ERROR(InsertRows(
      db, "INSERT INTO pdns_rdata_rrsets (rdata_id, name_id, rrtype)", 3, by_rdata.size(),
      [&](Query& q, int base, size_t row) {
        const RdataKey& key = by_rdata[row];
        q.Bind(base + 1, static_cast<int64_t>(key.rdata_id))
            .Bind(base + 2, static_cast<int64_t>(key.name_id))
            .Bind(base + 3, int64_t{key.rrtype});
      },
      what));
  MAMORI_RETURN_IF_ERROR(InsertRows(
      db, "INSERT INTO pdns_registered_names (registered, name_id)", 2, by_registered.size(),
      [&](Query& q, int base, size_t row) {
        const uint32_t name = by_registered[row];
        q.Bind(base + 1, std::string_view(rrsets[order[name_starts[name]]].registered))
            .Bind(base + 2, static_cast<int64_t>(name + 1));
      },
      what));

  // Index builds sort; SQLite's sorter may use a helper thread (PRAGMA threads, a
  // per-connection speed setting with no effect on what is stored), put back afterwards.
  MAMORI_ASSIGN_OR_RETURN(int64_t threads, PragmaInt(db, "threads", what));
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
      // A page cache large enough for the whole load (~128 bytes of pages per rrset, capped at
      // 1 GiB): pages then reach the WAL once, at commit, instead of being spilled mid-way,
      // and an index build (a later migration's) sorts in memory. Measured on 4.9 M rrsets
      // when 0010's indexes were still built here: index builds 10.2 -> 8.3 s; peak RSS
      // +0.45 GiB. A speed setting of this connection, put back afterwards.
      MAMORI_ASSIGN_OR_RETURN(int64_t cache_size, PragmaInt(db_, "cache_size", kWhat));
      const int64_t bulk_kib = std::max(
          -cache_size, std::min<int64_t>(static_cast<int64_t>(rrsets.size()) / 8, 1 << 20));
      auto restore = [&] {
        (void)db_.Exec(fmt::format("PRAGMA cache_size = {}", cache_size).c_str(), kWhat);
      };
      if (cache_size < 0) {
        MAMORI_RETURN_IF_ERROR(
            db_.Exec(fmt::format("PRAGMA cache_size = {}", -bulk_kib).c_str(), kWhat));
      }
      Expected<PdnsMergeStats> stats = BulkLoadPdns(db_, rrsets, order, kWhat);
      if (stats) {
        if (Status committed = tx.Commit(); !committed) stats = tl::unexpected(committed.error());
      }
      restore();
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
    // The lookup tables (migrations/0012) get a row with each new name and each new rrset.
    MAMORI_ASSIGN_OR_RETURN(
        Query add_registered,
        db_.Prepare("INSERT INTO pdns_registered_names (registered, name_id) VALUES (?1, ?2)"));
    MAMORI_ASSIGN_OR_RETURN(Query add_rdata_rrset,
                            db_.Prepare("INSERT INTO pdns_rdata_rrsets (rdata_id, name_id, rrtype) "
                                        "VALUES (?1, ?2, ?3)"));
    MAMORI_ASSIGN_OR_RETURN(Query merge_rrset,
                            db_.Prepare("UPDATE pdns_rrsets SET first_seen = min(first_seen, ?4), "
                                        "last_seen = max(last_seen, ?5), count = count + ?6 "
                                        "WHERE name_id = ?1 AND rrtype = ?2 AND rdata_id = ?3"));

    // Looks `text` up with `find` and inserts it with `add` (bound by `bind_add`) when absent.
    // Which goes first follows the previous text: a fresh file brings mostly new names (insert
    // first: one statement), a re-ingest mostly known ones (select first: one statement).
    // `just_added` tells whether the last call inserted.
    bool just_added = false;
    auto intern = [&](Query& find, Query& add, std::string_view text, bool& expect_new,
                      auto&& bind_add) -> Expected<int64_t> {
      auto try_add = [&]() -> Expected<bool> {
        bind_add(add);
        int rc = add.Step();
        add.Reset();
        if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
        just_added = db_.changes() > 0;
        return just_added;
      };
      just_added = false;
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
        if (just_added) {
          add_registered.Bind(1, rr.registered).Bind(2, name_id);
          MAMORI_RETURN_IF_ERROR(db_.Run(add_registered, kWhat));
        }
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
        add_rdata_rrset.Bind(1, rdata_id).Bind(2, name_id).Bind(3, int64_t{rr.rrtype});
        MAMORI_RETURN_IF_ERROR(db_.Run(add_rdata_rrset, kWhat));
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
        fmt::format("{} JOIN pdns_registered_names g ON g.name_id = n.id "
                    "WHERE g.registered = ?1 ORDER BY n.name, r.rrtype, d.rdata",
                    kSelect),
        registered, 0);
  });
}

Expected<std::vector<PdnsRrset>> SqliteStore::PdnsByRdata(std::string_view rdata, int limit) {
  constexpr std::string_view kWhat = "PdnsByRdata";
  return Locked(kWhat, [&]() -> Expected<std::vector<PdnsRrset>> {
    // The most recently seen first: with a limit, those are the ones worth keeping.
    return ReadRrsets(db_, kWhat,
                      fmt::format("{} JOIN pdns_rdata_rrsets x ON x.rdata_id = r.rdata_id AND "
                                  "x.name_id = r.name_id AND x.rrtype = r.rrtype "
                                  "WHERE d.rdata = ?1 ORDER BY r.last_seen DESC, n.name, "
                                  "r.rrtype LIMIT ?2",
                                  kSelect),
                      rdata, limit > 0 ? int64_t{limit} : int64_t{-1});
  });
}

}  // namespace mamori::store::sqlite
