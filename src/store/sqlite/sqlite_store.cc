#include "store/sqlite/sqlite_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <new>
#include <span>

#include "core/clock.h"
#include "core/ip.h"
#include "store/migrations.h"
#include "store/sqlite/entry_index.h"
#include "store/sqlite/migrator.h"

namespace mamori::store {

Expected<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                 const SqliteOptions& options) {
  try {
    return sqlite::SqliteStore::Open(path, options);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, fmt::format("opening the store failed: {}", e.what()),
                     path);
  }
}

namespace sqlite {

namespace {

namespace fs = std::filesystem;

constexpr int kMinIndicatorType = 1;
constexpr int kMaxIndicatorType = 8;
constexpr int kCidrType = static_cast<int>(IndicatorType::kCidr);

// 16 KiB pages instead of SQLite's 4 KiB: shallower b-trees for million-row tables; measured
// with bench/store_bench.cc, 1M new indicators ~10% faster and a 1%-changed update of 1M
// entries ~13% faster.
constexpr const char* kPageSizePragma = "PRAGMA page_size = 16384";
// 64 MiB of page cache (negative = KiB): a 1M-indicator snapshot touches ~120 MiB of b-tree
// pages, and keeping the hot part of the (type, value) index cached is what makes bulk
// inserts fast (a larger cache measured no faster). SQLite allocates the cache lazily, so small
// stores do not pay for it.
// Foreign keys are not enforced: the checks probed two parent b-trees per new interval and cost
// ~10% of storing 1M new indicators (bench/store_bench.cc). The store keeps the references
// itself; see the note at the top of migrations/0001_initial.sql.
constexpr const char* kPragmas =
    "PRAGMA foreign_keys = OFF;"
    "PRAGMA synchronous = NORMAL;"
    "PRAGMA temp_store = MEMORY;"
    "PRAGMA cache_size = -65536;";

tl::unexpected<Error> CorruptFile(const std::string& path, std::string_view why) {
  return MakeError(ErrorCode::kCorrupt,
                   fmt::format("{} is corrupt ({}): restore it from backup or move it aside; "
                               "mamori will create a new one",
                               DescribeDatabase(path), why),
                   path);
}

uint32_t ReadBigEndian(const unsigned char* p, int bytes) {
  uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

// Cheap sanity checks of an existing database file before SQLite reads it. SQLite itself
// notices a foreign file only with a terse "file is not a database", and notices a truncated
// one only when a query happens to touch a missing page, possibly long after start-up; both
// deserve a clear error at open. The checks read the 100-byte header only, and are skipped
// while a write-ahead log exists (then the main file may legitimately lag behind the log).
Status CheckExistingFile(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size == 0) return Ok();  // missing or empty: SQLite creates a new database
  const auto wal_size = fs::file_size(path + "-wal", ec);
  if (!ec && wal_size > 0) return Ok();

  std::array<unsigned char, 100> header{};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("cannot read {}: check its permissions", DescribeDatabase(path)),
                     path);
  }
  in.read(reinterpret_cast<char*>(header.data()), header.size());
  if (size < header.size() || in.gcount() < static_cast<std::streamsize>(header.size())) {
    return CorruptFile(path, fmt::format("only {} bytes, shorter than an SQLite header", size));
  }
  static constexpr char kMagic[] = "SQLite format 3";  // 16 bytes with its NUL
  if (std::memcmp(header.data(), kMagic, sizeof kMagic) != 0) {
    return CorruptFile(path, "not an SQLite database");
  }
  uint32_t page_size = ReadBigEndian(&header[16], 2);
  if (page_size == 1) page_size = 65536;
  if (page_size < 512 || (page_size & (page_size - 1)) != 0) {
    return CorruptFile(path, fmt::format("invalid page size {}", page_size));
  }
  if (size % page_size != 0) {
    return CorruptFile(path, fmt::format("size {} is not a multiple of the page size {}; the "
                                         "file was probably truncated",
                                         size, page_size));
  }
  // The header's page count is authoritative only when its change counter matches the
  // "version valid for" field (see the SQLite file format, section 1.3.7).
  const uint32_t page_count = ReadBigEndian(&header[28], 4);
  if (page_count != 0 && ReadBigEndian(&header[24], 4) == ReadBigEndian(&header[92], 4) &&
      size < static_cast<uintmax_t>(page_count) * page_size) {
    return CorruptFile(path, fmt::format("{} bytes where the header says {}; the file was "
                                         "truncated",
                                         size, static_cast<uintmax_t>(page_count) * page_size));
  }
  return Ok();
}

Status ValidateIndicator(const Indicator& indicator, std::string_view what) {
  const int type = static_cast<int>(indicator.type);
  if (type < kMinIndicatorType || type > kMaxIndicatorType) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: unknown indicator type {}", what, type),
                     indicator.value.substr(0, 120));
  }
  if (indicator.value.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: empty {} value", what, IndicatorTypeName(indicator.type)));
  }
  return Ok();
}

Status ValidateEntries(const std::vector<ListingEntry>& entries, std::string_view what) {
  if (entries.size() >= EntryIndex::kNotFound) {
    return MakeError(ErrorCode::kTooLarge,
                     fmt::format("{}: {} entries in one snapshot; the limit is {}", what,
                                 entries.size(), EntryIndex::kNotFound - 1));
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    const ListingEntry& e = entries[i];
    MAMORI_RETURN_IF_ERROR(ValidateIndicator(e.indicator, what));
    if (e.confidence < -1 || e.confidence > 100) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          fmt::format("{}: confidence {} is outside 0..100 (or -1: not said)", what, e.confidence),
          e.indicator.value.substr(0, 120));
    }
  }
  return Ok();
}

Status ValidateSource(const SourceRecord& source) {
  const bool valid_name =
      !source.name.empty() && source.name.size() <= 128 &&
      source.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") == std::string::npos;
  if (!valid_name) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a source name is 1 to 128 characters of a-z, 0-9, '.', '_' and '-'",
                     source.name.substr(0, 160));
  }
  if (source.reliability < 0 || source.reliability > 100) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("reliability {} is outside 0..100", source.reliability),
                     source.name);
  }
  if (source.refresh_seconds < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("refresh interval {} s is negative", source.refresh_seconds),
                     source.name);
  }
  return Ok();
}

UnixSeconds NowIfZero(UnixSeconds t) { return t != 0 ? t : SystemClock::Instance().Now(); }

// Inserts indicators (and their CIDR ranges) and finds existing ones, with its statements
// prepared once per operation: ApplySnapshot calls it up to a million times in one
// transaction, so nothing in Ensure() prepares, allocates or hashes SQL text.
class IndicatorWriter {
 public:
  struct Row {
    int64_t id = 0;
    bool created = false;
    std::optional<UnixSeconds> first_seen;
  };

  static Expected<IndicatorWriter> Create(Connection& db) {
    MAMORI_ASSIGN_OR_RETURN(Query insert,
                            db.Prepare("INSERT INTO indicators (type, value, first_seen) "
                                       "VALUES (?1, ?2, ?3) ON CONFLICT (type, value) DO NOTHING"));
    MAMORI_ASSIGN_OR_RETURN(
        Query select,
        db.Prepare("SELECT id, first_seen FROM indicators WHERE type = ?1 AND value = ?2"));
    MAMORI_ASSIGN_OR_RETURN(Query lower,
                            db.Prepare("UPDATE indicators SET first_seen = ?2 WHERE id = ?1 "
                                       "AND (first_seen IS NULL OR first_seen > ?2)"));
    MAMORI_ASSIGN_OR_RETURN(
        Query cidr,
        db.Prepare("INSERT INTO cidr_ranges (indicator_id, family, prefix, net_start, net_end) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)"));
    return IndicatorWriter(db, std::move(insert), std::move(select), std::move(lower),
                           std::move(cidr));
  }

  // Returns the indicator's row, inserting it (with `first_seen`, NULL if none) when new.
  Expected<Row> Ensure(const Indicator& indicator, std::optional<UnixSeconds> first_seen,
                       std::string_view what) {
    const int type = static_cast<int>(indicator.type);
    insert_.Bind(1, type).Bind(2, indicator.value);
    if (first_seen) {
      insert_.Bind(3, *first_seen);
    } else {
      insert_.BindNull(3);
    }
    MAMORI_RETURN_IF_ERROR(db_.Run(insert_, what));
    if (db_.changes() == 1) {
      Row row{db_.last_insert_rowid(), true, first_seen};
      if (type == kCidrType) MAMORI_RETURN_IF_ERROR(InsertCidr(row.id, indicator.value, what));
      return row;
    }
    select_.Bind(1, type).Bind(2, indicator.value);
    int rc = select_.Step();
    if (rc != SQLITE_ROW) {
      select_.Reset();
      if (rc == SQLITE_DONE) {
        return MakeError(ErrorCode::kInternal,
                         fmt::format("{}: indicator neither inserted nor found", what),
                         indicator.value);
      }
      return tl::unexpected(db_.ErrorFor(rc, what));
    }
    Row row{select_.Int(0), false, std::nullopt};
    if (!select_.IsNull(1)) row.first_seen = select_.Int(1);
    select_.Reset();
    return row;
  }

  // Records that the indicator was listed at `t`: first_seen becomes the earlier of the two.
  Status NoteListed(const Row& row, UnixSeconds t, std::string_view what) {
    if (row.first_seen && *row.first_seen <= t) return Ok();
    lower_.Bind(1, row.id).Bind(2, t);
    return db_.Run(lower_, what);
  }

 private:
  IndicatorWriter(Connection& db, Query insert, Query select, Query lower, Query cidr)
      : db_(db),
        insert_(std::move(insert)),
        select_(std::move(select)),
        lower_(std::move(lower)),
        cidr_(std::move(cidr)) {}

  Status InsertCidr(int64_t id, std::string_view value, std::string_view what) {
    auto parsed = Cidr::Parse(value);
    if (!parsed) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          fmt::format("{}: cidr indicator is not a network: {}", what, parsed.error().message),
          std::string(value.substr(0, 120)));
    }
    const Cidr& cidr = parsed->cidr;
    const auto last = cidr.LastAddress();
    cidr_.Bind(1, id)
        .Bind(2, static_cast<int64_t>(cidr.network().family()))
        .Bind(3, cidr.prefix())
        .BindBlob(4, cidr.network().bytes())
        .BindBlob(5, last.bytes());
    return db_.Run(cidr_, what);
  }

  Connection& db_;
  Query insert_;
  Query select_;
  Query lower_;
  Query cidr_;
};

// Opens listing intervals for one source, kRows per INSERT statement. Every insert is an append
// by now (entries are sorted for insertion), so SQLite's per-statement work — bind, step,
// reset, VDBE setup — is a large share of a bulk snapshot; one multi-row statement per kRows
// rows pays it once: 265k -> 340-360k new entries/s on BM_ApplySnapshotNew (docs/benchmarks.md).
class IntervalWriter {
 public:
  static constexpr int kRows = 64;

  static Expected<IntervalWriter> Create(Connection& db, int64_t source_id, UnixSeconds now) {
    std::string sql =
        "INSERT INTO listing_intervals "
        "(source_id, indicator_id, first_listed, category, confidence) VALUES ";
    for (int r = 0; r < kRows; ++r) {
      int base = 3 + 3 * r;  // ?1 source, ?2 now, then (indicator, category, confidence) per row
      sql += fmt::format("{}(?1, ?{}, ?2, ?{}, ?{})", r ? ", " : "", base, base + 1, base + 2);
    }
    MAMORI_ASSIGN_OR_RETURN(Query batch, db.Prepare(sql));
    MAMORI_ASSIGN_OR_RETURN(
        Query single, db.Prepare("INSERT INTO listing_intervals "
                                 "(source_id, indicator_id, first_listed, category, confidence) "
                                 "VALUES (?1, ?3, ?2, ?4, ?5)"));
    return IntervalWriter(db, source_id, now, std::move(batch), std::move(single));
  }

  // `category` must stay valid until Flush().
  Status Add(int64_t indicator_id, std::string_view category, int confidence,
             std::string_view what) {
    pending_.push_back({indicator_id, category, confidence});
    if (pending_.size() == kRows) return Flush(what);
    return Ok();
  }

  Status Flush(std::string_view what) {
    if (pending_.size() == kRows) {
      Bind(batch_, 0, pending_.size());
      MAMORI_RETURN_IF_ERROR(db_.Run(batch_, what));
    } else {
      for (size_t i = 0; i < pending_.size(); ++i) {
        Bind(single_, i, 1);
        MAMORI_RETURN_IF_ERROR(db_.Run(single_, what));
      }
    }
    pending_.clear();
    return Ok();
  }

 private:
  struct Pending {
    int64_t indicator_id;
    std::string_view category;
    int confidence;
  };

  IntervalWriter(Connection& db, int64_t source_id, UnixSeconds now, Query batch, Query single)
      : db_(db),
        source_id_(source_id),
        now_(now),
        batch_(std::move(batch)),
        single_(std::move(single)) {
    pending_.reserve(kRows);
  }

  void Bind(Query& q, size_t first, size_t count) {
    q.Bind(1, source_id_).Bind(2, now_);
    for (size_t r = 0; r < count; ++r) {
      const Pending& p = pending_[first + r];
      int base = 3 + 3 * static_cast<int>(r);
      q.Bind(base, p.indicator_id)
          .Bind(base + 1, p.category)
          .BindOrNull(base + 2, p.confidence, -1);
    }
  }

  Connection& db_;
  int64_t source_id_;
  UnixSeconds now_;
  Query batch_;
  Query single_;
  std::vector<Pending> pending_;
};

constexpr std::string_view kSourceColumns =
    "s.id, s.name, s.url, s.format, s.reliability, s.default_category, s.refresh_seconds, "
    "s.license, s.options_json, s.enabled, s.created_at, s.etag, s.last_modified, "
    "s.last_attempt_at, s.last_success_at, s.last_status, s.last_error, "
    "(SELECT count(*) FROM listing_intervals li "
    " WHERE li.source_id = s.id AND li.delisted_at IS NULL), s.closed_listings";

SourceRecord ReadSourceRow(const Query& q) {
  SourceRecord s;
  s.id = q.Int(0);
  s.name = q.String(1);
  s.url = q.String(2);
  s.format = q.String(3);
  s.reliability = static_cast<int>(q.Int(4));
  s.default_category = q.String(5);
  s.refresh_seconds = static_cast<int>(q.Int(6));
  s.license = q.String(7);
  s.options_json = q.String(8);
  s.enabled = q.Int(9) != 0;
  s.created_at = q.Int(10);
  s.etag = q.String(11);
  s.last_modified = q.String(12);
  s.last_attempt_at = q.Int(13);
  s.last_success_at = q.Int(14);
  s.last_status = q.String(15);
  s.last_error = q.String(16);
  s.listed_count = q.Int(17);
  s.closed_listings = q.Int(18);
  return s;
}

}  // namespace

Expected<std::unique_ptr<Store>> SqliteStore::Open(const std::string& path,
                                                   const SqliteOptions& options) {
  if (path.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no database path given; use a file path or \":memory:\"");
  }
  const bool in_memory = path == ":memory:";
  if (!in_memory) {
    const fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && options.create_parent_directories) {
      fs::create_directories(parent, ec);
      if (ec) {
        return MakeError(ErrorCode::kIo,
                         fmt::format("cannot create directory {} for the database: {}; check "
                                     "the path and its permissions",
                                     parent.string(), ec.message()),
                         path);
      }
    }
    if (fs::is_directory(path, ec)) {
      return MakeError(ErrorCode::kIo,
                       fmt::format("{} is a directory; give the path of a database file", path),
                       path);
    }
    MAMORI_RETURN_IF_ERROR(CheckExistingFile(path));
  }

  MAMORI_ASSIGN_OR_RETURN(Connection db, Connection::Open(path, options.busy_timeout_ms));
  if (sqlite3_db_readonly(db.handle(), "main") == 1) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("{} is read-only: mamori needs to write it; check the "
                                 "permissions of the file and its directory",
                                 DescribeDatabase(path)),
                     path);
  }
  // The first statement that reads the file: a foreign or damaged file, or a lock held by
  // another process, shows up here (as kCorrupt / kBusy naming the file).
  if (!in_memory) {
    // Only takes effect when the file is new (the page size of an existing WAL database is
    // fixed).
    MAMORI_RETURN_IF_ERROR(db.Exec(kPageSizePragma, "open"));
    MAMORI_ASSIGN_OR_RETURN(Query wal, db.Prepare("PRAGMA journal_mode = WAL"));
    int rc = wal.Step();
    if (rc != SQLITE_ROW) return tl::unexpected(db.ErrorFor(rc, "open"));
  }
  MAMORI_RETURN_IF_ERROR(db.Exec(kPragmas, "open"));
  MAMORI_RETURN_IF_ERROR(ApplyMigrations(db, EmbeddedMigrations(), SystemClock::Instance().Now()));
  return std::unique_ptr<Store>(new SqliteStore(std::move(db)));
}

// --- sources ---

Expected<std::optional<SourceRecord>> SqliteStore::ReadSource(std::string_view name) {
  static const std::string sql =
      fmt::format("SELECT {} FROM sources s WHERE s.name = ?1", kSourceColumns);
  MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare(sql));
  q.Bind(1, name);
  int rc = q.Step();
  if (rc == SQLITE_DONE) return std::optional<SourceRecord>();
  if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, "GetSource"));
  return std::optional<SourceRecord>(ReadSourceRow(q));
}

Expected<UnixSeconds> SqliteStore::SourceLastSuccess(int64_t source_id, std::string_view what) {
  MAMORI_ASSIGN_OR_RETURN(Query q,
                          db_.Prepare("SELECT last_success_at FROM sources WHERE id = ?1"));
  q.Bind(1, source_id);
  int rc = q.Step();
  if (rc == SQLITE_DONE) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("{}: no source with id {}", what, source_id));
  }
  if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, what));
  return q.Int(0);
}

namespace {

// Binds a source's configuration as ?1..?9 (name, url, format, reliability, default_category,
// refresh_seconds, license, options_json, enabled), the order AddSource and UpdateSource share.
Query& BindSourceConfig(Query& q, const SourceRecord& source) {
  return q.Bind(1, source.name)
      .Bind(2, source.url)
      .Bind(3, source.format)
      .Bind(4, source.reliability)
      .Bind(5, source.default_category)
      .Bind(6, source.refresh_seconds)
      .Bind(7, source.license)
      .Bind(8, source.options_json)
      .Bind(9, source.enabled ? 1 : 0);
}

}  // namespace

Expected<SourceRecord> SqliteStore::AddSource(const SourceRecord& source) {
  return Locked("AddSource", [&]() -> Expected<SourceRecord> {
    MAMORI_RETURN_IF_ERROR(ValidateSource(source));
    MAMORI_ASSIGN_OR_RETURN(auto tx,
                            Transaction::Begin(db_, Transaction::Mode::kWrite, "AddSource"));
    {
      MAMORI_ASSIGN_OR_RETURN(
          Query q, db_.Prepare("INSERT INTO sources (name, url, format, reliability, "
                               "default_category, refresh_seconds, license, options_json, "
                               "enabled, created_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
      BindSourceConfig(q, source).Bind(10, NowIfZero(source.created_at));
      int rc = q.Step();
      if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        return MakeError(ErrorCode::kAlreadyExists,
                         fmt::format("a source named '{}' already exists; choose another name "
                                     "or remove the existing one first",
                                     source.name),
                         source.name);
      }
      if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, "AddSource"));
    }
    MAMORI_ASSIGN_OR_RETURN(auto stored, ReadSource(source.name));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    if (!stored) return MakeError(ErrorCode::kInternal, "AddSource: inserted source vanished");
    return std::move(*stored);
  });
}

Status SqliteStore::UpdateSource(const SourceRecord& source) {
  return Locked("UpdateSource", [&]() -> Status {
    MAMORI_RETURN_IF_ERROR(ValidateSource(source));
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("UPDATE sources SET url = ?2, format = ?3, reliability = ?4, "
                             "default_category = ?5, refresh_seconds = ?6, license = ?7, "
                             "options_json = ?8, enabled = ?9 WHERE name = ?1"));
    BindSourceConfig(q, source);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, "UpdateSource"));
    if (db_.changes() == 0) {
      return MakeError(ErrorCode::kNotFound, "UpdateSource: no such source", source.name);
    }
    return Ok();
  });
}

Expected<std::optional<SourceRecord>> SqliteStore::GetSource(std::string_view name) {
  return Locked("GetSource", [&] { return ReadSource(name); });
}

Expected<std::vector<SourceRecord>> SqliteStore::ListSources() {
  return Locked("ListSources", [&]() -> Expected<std::vector<SourceRecord>> {
    static const std::string sql =
        fmt::format("SELECT {} FROM sources s ORDER BY s.name", kSourceColumns);
    MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare(sql));
    std::vector<SourceRecord> sources;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) sources.push_back(ReadSourceRow(q));
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, "ListSources"));
    return sources;
  });
}

Status SqliteStore::RemoveSource(std::string_view name) {
  return Locked("RemoveSource", [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(auto tx,
                            Transaction::Begin(db_, Transaction::Mode::kWrite, "RemoveSource"));
    {
      // The source's intervals go with it, deleted here since foreign keys are not enforced;
      // indicators stay, since other sources' history and our sightings may refer to them.
      MAMORI_ASSIGN_OR_RETURN(
          Query q, db_.Prepare("DELETE FROM listing_intervals "
                               "WHERE source_id = (SELECT id FROM sources WHERE name = ?1)"));
      q.Bind(1, name);
      MAMORI_RETURN_IF_ERROR(db_.Run(q, "RemoveSource"));
    }
    {
      MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare("DELETE FROM sources WHERE name = ?1"));
      q.Bind(1, name);
      MAMORI_RETURN_IF_ERROR(db_.Run(q, "RemoveSource"));
    }
    if (db_.changes() == 0) {
      return MakeError(ErrorCode::kNotFound, "RemoveSource: no such source", std::string(name));
    }
    return tx.Commit();
  });
}

Status SqliteStore::RecordFetch(int64_t source_id, const FetchRecord& fetch) {
  return Locked("RecordFetch", [&]() -> Status {
    const std::string& status = fetch.status;
    if (status != "ok" && status != "not_modified" && status != "rejected" && status != "error") {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("RecordFetch: status '{}' is not one of ok, not_modified, "
                                   "rejected, error",
                                   status));
    }
    // Validators change only with a new body ("ok"): a failed fetch must not lose them, or the
    // next fetch would download the whole feed again. A successful fetch (new body or 304)
    // also extends the reported last_seen of every open interval of the source.
    MAMORI_ASSIGN_OR_RETURN(
        Query q,
        db_.Prepare("UPDATE sources SET last_attempt_at = ?2, last_status = ?3, last_error = ?4, "
                    "etag = CASE WHEN ?3 = 'ok' THEN ?5 ELSE etag END, "
                    "last_modified = CASE WHEN ?3 = 'ok' THEN ?6 ELSE last_modified END, "
                    "last_success_at = CASE WHEN ?3 IN ('ok', 'not_modified') "
                    "  THEN max(last_success_at, ?2) ELSE last_success_at END "
                    "WHERE id = ?1"));
    q.Bind(1, source_id)
        .Bind(2, fetch.attempted_at)
        .Bind(3, status)
        .Bind(4, fetch.error)
        .Bind(5, fetch.etag)
        .Bind(6, fetch.last_modified);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, "RecordFetch"));
    if (db_.changes() == 0) {
      return MakeError(ErrorCode::kNotFound,
                       fmt::format("RecordFetch: no source with id {}", source_id));
    }
    return Ok();
  });
}

// --- listing history ---

Expected<SnapshotDiff> SqliteStore::ApplySnapshot(int64_t source_id,
                                                  const std::vector<ListingEntry>& entries,
                                                  UnixSeconds now) {
  constexpr std::string_view kWhat = "ApplySnapshot";
  return Guarded(kWhat, [&]() -> Expected<SnapshotDiff> {
    MAMORI_RETURN_IF_ERROR(ValidateEntries(entries, kWhat));
    // Hash the snapshot before taking the lock: other threads keep using the store meanwhile.
    EntryIndex index(entries);
    return Locked(kWhat, [&]() -> Expected<SnapshotDiff> {
      MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
      MAMORI_ASSIGN_OR_RETURN(UnixSeconds previous_success, SourceLastSuccess(source_id, kWhat));

      // Stream the source's open set through the index: an open interval whose indicator is
      // in the snapshot stays as it is (no write at all), the others are closed. Rows are
      // probed in batches (see EntryIndex::FindBatch); a batch copies its values into one
      // reused buffer, so nothing is allocated per stored row.
      SnapshotDiff diff;
      std::vector<uint8_t> still_listed(entries.size(), 0);
      std::vector<int64_t> to_close;
      {
        MAMORI_ASSIGN_OR_RETURN(
            Query open, db_.Prepare("SELECT li.id, i.type, i.value FROM listing_intervals li "
                                    "JOIN indicators i ON i.id = li.indicator_id "
                                    "WHERE li.source_id = ?1 AND li.delisted_at IS NULL"));
        open.Bind(1, source_id);
        constexpr size_t kBatch = 256;
        struct Row {
          int64_t interval_id;
          int type;
          size_t value_end;  // in `values`
        };
        std::vector<Row> rows;
        std::string values;
        std::vector<EntryIndex::Key> keys;
        std::vector<uint32_t> positions(kBatch);
        auto flush = [&] {
          keys.resize(rows.size());
          size_t begin = 0;
          for (size_t i = 0; i < rows.size(); ++i) {
            keys[i] = {rows[i].type,
                       std::string_view(values).substr(begin, rows[i].value_end - begin)};
            begin = rows[i].value_end;
          }
          index.FindBatch(keys, std::span(positions).first(keys.size()));
          for (size_t i = 0; i < rows.size(); ++i) {
            if (positions[i] == EntryIndex::kNotFound) {
              to_close.push_back(rows[i].interval_id);
            } else {
              still_listed[positions[i]] = 1;
              ++diff.unchanged;
            }
          }
          rows.clear();
          values.clear();
        };
        int rc;
        while ((rc = open.Step()) == SQLITE_ROW) {
          values.append(open.Text(2));
          rows.push_back({open.Int(0), static_cast<int>(open.Int(1)), values.size()});
          if (rows.size() == kBatch) flush();
        }
        if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
        flush();
      }

      if (!to_close.empty()) {
        // last_seen: the previous successful update, which was the last to contain the
        // entry; an interval opened after it (by AddListings) was last seen when opened.
        MAMORI_ASSIGN_OR_RETURN(Query close,
                                db_.Prepare("UPDATE listing_intervals SET delisted_at = ?2, "
                                            "last_seen = max(first_listed, ?3) WHERE id = ?1"));
        std::sort(to_close.begin(), to_close.end());  // visit the table's pages in order
        for (int64_t id : to_close) {
          close.Bind(1, id).Bind(2, now).Bind(3, previous_success);
          MAMORI_RETURN_IF_ERROR(db_.Run(close, kWhat));
        }
        diff.removed = static_cast<int64_t>(to_close.size());
      }

      {
        MAMORI_ASSIGN_OR_RETURN(IndicatorWriter writer, IndicatorWriter::Create(db_));
        MAMORI_ASSIGN_OR_RETURN(IntervalWriter intervals,
                                IntervalWriter::Create(db_, source_id, now));
        std::vector<uint32_t> to_open;
        for (size_t i = 0; i < entries.size(); ++i) {
          if (!still_listed[i] && !index.is_duplicate(i))
            to_open.push_back(static_cast<uint32_t>(i));
        }
        SortForInsertion(entries, to_open);
        for (size_t k = 0; k < to_open.size(); ++k) {
          // The sorted order visits `entries` at random; fetch the next entries' memory while
          // SQLite works on this one.
          if (k + 4 < to_open.size()) __builtin_prefetch(&entries[to_open[k + 4]]);
          if (k + 2 < to_open.size()) {
            __builtin_prefetch(entries[to_open[k + 2]].indicator.value.data());
          }
          const ListingEntry& e = entries[to_open[k]];
          MAMORI_ASSIGN_OR_RETURN(auto row, writer.Ensure(e.indicator, now, kWhat));
          if (!row.created) MAMORI_RETURN_IF_ERROR(writer.NoteListed(row, now, kWhat));
          MAMORI_RETURN_IF_ERROR(intervals.Add(row.id, e.category, e.confidence, kWhat));
          ++diff.added;
        }
        MAMORI_RETURN_IF_ERROR(intervals.Flush(kWhat));
      }

      {
        MAMORI_ASSIGN_OR_RETURN(
            Query success,
            db_.Prepare("UPDATE sources SET last_success_at = ?2, "
                        "closed_listings = closed_listings + ?3 WHERE id = ?1"));
        success.Bind(1, source_id).Bind(2, now).Bind(3, diff.removed);
        MAMORI_RETURN_IF_ERROR(db_.Run(success, kWhat));
      }
      MAMORI_RETURN_IF_ERROR(tx.Commit());
      return diff;
    });
  });
}

Expected<SnapshotDiff> SqliteStore::AddListings(int64_t source_id,
                                                const std::vector<ListingEntry>& entries,
                                                UnixSeconds now) {
  constexpr std::string_view kWhat = "AddListings";
  return Guarded(kWhat, [&]() -> Expected<SnapshotDiff> {
    MAMORI_RETURN_IF_ERROR(ValidateEntries(entries, kWhat));
    EntryIndex index(entries);  // only to skip duplicates
    return Locked(kWhat, [&]() -> Expected<SnapshotDiff> {
      MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
      MAMORI_RETURN_IF_ERROR(SourceLastSuccess(source_id, kWhat));
      // One index probe per entry rather than loading the source's open set: an import is
      // usually small next to what the source already lists.
      SnapshotDiff diff;
      MAMORI_ASSIGN_OR_RETURN(IndicatorWriter writer, IndicatorWriter::Create(db_));
      MAMORI_ASSIGN_OR_RETURN(Query is_open,
                              db_.Prepare("SELECT 1 FROM listing_intervals WHERE source_id = ?1 "
                                          "AND indicator_id = ?2 AND delisted_at IS NULL"));
      MAMORI_ASSIGN_OR_RETURN(
          Query insert, db_.Prepare("INSERT INTO listing_intervals "
                                    "(source_id, indicator_id, first_listed, category, confidence) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5)"));
      std::vector<uint32_t> order;
      for (size_t i = 0; i < entries.size(); ++i) {
        if (!index.is_duplicate(i)) order.push_back(static_cast<uint32_t>(i));
      }
      SortForInsertion(entries, order);
      for (uint32_t i : order) {
        const ListingEntry& e = entries[i];
        MAMORI_ASSIGN_OR_RETURN(auto row, writer.Ensure(e.indicator, now, kWhat));
        if (!row.created) {
          is_open.Bind(1, source_id).Bind(2, row.id);
          int rc = is_open.Step();
          is_open.Reset();
          if (rc == SQLITE_ROW) {
            ++diff.unchanged;
            continue;
          }
          if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
          MAMORI_RETURN_IF_ERROR(writer.NoteListed(row, now, kWhat));
        }
        insert.Bind(1, source_id)
            .Bind(2, row.id)
            .Bind(3, now)
            .Bind(4, e.category)
            .BindOrNull(5, e.confidence, -1);
        MAMORI_RETURN_IF_ERROR(db_.Run(insert, kWhat));
        ++diff.added;
      }
      MAMORI_RETURN_IF_ERROR(tx.Commit());
      return diff;
    });
  });
}

Expected<std::vector<ListingEntry>> SqliteStore::CurrentListings(int64_t source_id) {
  constexpr std::string_view kWhat = "CurrentListings";
  return Locked(kWhat, [&]() -> Expected<std::vector<ListingEntry>> {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kRead, kWhat));
    MAMORI_RETURN_IF_ERROR(SourceLastSuccess(source_id, kWhat));
    MAMORI_ASSIGN_OR_RETURN(Query q,
                            db_.Prepare("SELECT i.type, i.value, li.category, li.confidence "
                                        "FROM listing_intervals li "
                                        "JOIN indicators i ON i.id = li.indicator_id "
                                        "WHERE li.source_id = ?1 AND li.delisted_at IS NULL "
                                        "ORDER BY li.indicator_id"));
    q.Bind(1, source_id);
    std::vector<ListingEntry> entries;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      ListingEntry& e = entries.emplace_back();
      e.indicator.type = static_cast<IndicatorType>(q.Int(0));
      e.indicator.value = q.String(1);
      e.category = q.String(2);
      e.confidence = q.IsNull(3) ? -1 : static_cast<int>(q.Int(3));
    }
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return entries;
  });
}

Expected<IndicatorHistory> SqliteStore::ReadHistory(int64_t indicator_id, Indicator indicator,
                                                    UnixSeconds first_seen) {
  constexpr std::string_view kWhat = "Lookup";
  IndicatorHistory history;
  history.indicator_id = indicator_id;
  history.indicator = std::move(indicator);
  history.first_seen = first_seen;
  {
    // An open interval was last seen at its source's last successful update (which never
    // precedes the interval's own opening).
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("SELECT li.source_id, s.name, li.first_listed, "
                             "  coalesce(li.last_seen, max(li.first_listed, s.last_success_at)), "
                             "  li.delisted_at, li.category, li.confidence "
                             "FROM listing_intervals li JOIN sources s ON s.id = li.source_id "
                             "WHERE li.indicator_id = ?1 ORDER BY s.name, li.first_listed, li.id"));
    q.Bind(1, indicator_id);
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      ListingInterval& i = history.intervals.emplace_back();
      i.source_id = q.Int(0);
      i.source_name = q.String(1);
      i.first_listed = q.Int(2);
      i.last_seen = q.Int(3);
      i.delisted_at = q.Int(4);
      i.category = q.String(5);
      i.confidence = q.IsNull(6) ? -1 : static_cast<int>(q.Int(6));
    }
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
  }
  {
    MAMORI_ASSIGN_OR_RETURN(Query q,
                            db_.Prepare("SELECT id, observed_at, observer, count, context_json "
                                        "FROM sightings WHERE indicator_id = ?1 "
                                        "ORDER BY observed_at DESC, id DESC"));
    q.Bind(1, indicator_id);
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      Sighting& s = history.sightings.emplace_back();
      s.id = q.Int(0);
      s.indicator = history.indicator;
      s.observed_at = q.Int(1);
      s.observer = q.String(2);
      s.count = q.Int(3);
      s.context_json = q.String(4);
    }
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
  }
  return history;
}

Expected<std::optional<IndicatorHistory>> SqliteStore::Lookup(const Indicator& indicator) {
  constexpr std::string_view kWhat = "Lookup";
  return Locked(kWhat, [&]() -> Expected<std::optional<IndicatorHistory>> {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kRead, kWhat));
    int64_t id = 0;
    UnixSeconds first_seen = 0;
    {
      MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare("SELECT id, first_seen FROM indicators "
                                                   "WHERE type = ?1 AND value = ?2"));
      q.Bind(1, static_cast<int>(indicator.type)).Bind(2, indicator.value);
      int rc = q.Step();
      if (rc == SQLITE_DONE) return std::optional<IndicatorHistory>();
      if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, kWhat));
      id = q.Int(0);
      first_seen = q.Int(1);
    }
    MAMORI_ASSIGN_OR_RETURN(auto history, ReadHistory(id, indicator, first_seen));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return std::optional<IndicatorHistory>(std::move(history));
  });
}

Expected<std::vector<IndicatorHistory>> SqliteStore::LookupCoveringCidrs(std::string_view address) {
  constexpr std::string_view kWhat = "LookupCoveringCidrs";
  return Locked(kWhat, [&]() -> Expected<std::vector<IndicatorHistory>> {
    auto parsed = IpAddress::Parse(address);
    if (!parsed) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("{}: not an IPv4 or IPv6 address", kWhat),
                       std::string(address.substr(0, 120)));
    }
    const IpAddress ip = *parsed;
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kRead, kWhat));
    // CIDRs nest or are disjoint, so the networks containing an address are exactly its
    // masked forms, one per prefix length: at most 33 (IPv4) or 129 (IPv6) index probes,
    // however many CIDRs are stored. Most specific first.
    std::vector<int64_t> ids;
    {
      MAMORI_ASSIGN_OR_RETURN(Query probe,
                              db_.Prepare("SELECT indicator_id FROM cidr_ranges "
                                          "WHERE family = ?1 AND prefix = ?2 AND net_start = ?3"));
      for (int prefix = ip.bit_length(); prefix >= 0; --prefix) {
        const IpAddress network = ip.Masked(prefix);
        probe.Bind(1, static_cast<int64_t>(ip.family()))
            .Bind(2, prefix)
            .BindBlob(3, network.bytes());
        int rc;
        while ((rc = probe.Step()) == SQLITE_ROW) ids.push_back(probe.Int(0));
        if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
        probe.Reset();
      }
    }
    std::vector<IndicatorHistory> result;
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("SELECT type, value, first_seen FROM indicators WHERE id = ?1"));
    for (int64_t id : ids) {
      q.Bind(1, id);
      int rc = q.Step();
      if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, kWhat));
      Indicator indicator{static_cast<IndicatorType>(q.Int(0)), q.String(1)};
      UnixSeconds first_seen = q.Int(2);
      q.Reset();
      MAMORI_ASSIGN_OR_RETURN(auto history, ReadHistory(id, std::move(indicator), first_seen));
      result.push_back(std::move(history));
    }
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return result;
  });
}

// --- sightings and allowlists ---

Expected<int64_t> SqliteStore::InsertSighting(const Sighting& sighting, std::string_view what) {
  MAMORI_RETURN_IF_ERROR(ValidateIndicator(sighting.indicator, what));
  if (sighting.count < 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: count {} must be at least 1", what, sighting.count),
                     sighting.indicator.value);
  }
  MAMORI_ASSIGN_OR_RETURN(IndicatorWriter writer, IndicatorWriter::Create(db_));
  // A sighting does not make an indicator "listed": first_seen stays as it is.
  MAMORI_ASSIGN_OR_RETURN(auto row, writer.Ensure(sighting.indicator, std::nullopt, what));
  MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare("INSERT INTO sightings "
                                               "(indicator_id, observed_at, observer, count, "
                                               "context_json) VALUES (?1, ?2, ?3, ?4, ?5)"));
  q.Bind(1, row.id)
      .Bind(2, sighting.observed_at)
      .Bind(3, sighting.observer)
      .Bind(4, sighting.count)
      .Bind(5, sighting.context_json);
  MAMORI_RETURN_IF_ERROR(db_.Run(q, what));
  return db_.last_insert_rowid();
}

Expected<int64_t> SqliteStore::AddSighting(const Sighting& sighting) {
  constexpr std::string_view kWhat = "AddSighting";
  return Locked(kWhat, [&]() -> Expected<int64_t> {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
    MAMORI_ASSIGN_OR_RETURN(int64_t id, InsertSighting(sighting, kWhat));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return id;
  });
}

Expected<int64_t> SqliteStore::AddAllowlistEntry(const AllowlistEntry& entry) {
  constexpr std::string_view kWhat = "AddAllowlistEntry";
  return Locked(kWhat, [&]() -> Expected<int64_t> {
    if (entry.kind != "value" && entry.kind != "cidr" && entry.kind != "suffix") {
      return MakeError(
          ErrorCode::kInvalidArgument,
          fmt::format("{}: kind '{}' is not one of value, cidr, suffix", kWhat, entry.kind),
          entry.value);
    }
    if (entry.value.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, fmt::format("{}: empty value", kWhat));
    }
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT INTO allowlist (kind, value, reason, created_at, expires_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)"));
    q.Bind(1, entry.kind)
        .Bind(2, entry.value)
        .Bind(3, entry.reason)
        .Bind(4, NowIfZero(entry.created_at))
        .Bind(5, entry.expires_at);
    int rc = q.Step();
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
      return MakeError(ErrorCode::kAlreadyExists,
                       fmt::format("{}: the allowlist already holds {} '{}'; remove it first "
                                   "to change its reason or expiry",
                                   kWhat, entry.kind, entry.value),
                       entry.value);
    }
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return db_.last_insert_rowid();
  });
}

Expected<std::vector<AllowlistEntry>> SqliteStore::ListAllowlist() {
  constexpr std::string_view kWhat = "ListAllowlist";
  return Locked(kWhat, [&]() -> Expected<std::vector<AllowlistEntry>> {
    MAMORI_ASSIGN_OR_RETURN(Query q,
                            db_.Prepare("SELECT id, kind, value, reason, created_at, expires_at "
                                        "FROM allowlist ORDER BY id"));
    std::vector<AllowlistEntry> entries;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      AllowlistEntry& e = entries.emplace_back();
      e.id = q.Int(0);
      e.kind = q.String(1);
      e.value = q.String(2);
      e.reason = q.String(3);
      e.created_at = q.Int(4);
      e.expires_at = q.Int(5);
    }
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return entries;
  });
}

Status SqliteStore::RemoveAllowlistEntry(int64_t id) {
  constexpr std::string_view kWhat = "RemoveAllowlistEntry";
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare("DELETE FROM allowlist WHERE id = ?1"));
    q.Bind(1, id);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    if (db_.changes() == 0) {
      return MakeError(ErrorCode::kNotFound,
                       fmt::format("{}: no allowlist entry with id {}", kWhat, id));
    }
    return Ok();
  });
}

Expected<StoreStats> SqliteStore::Stats() {
  constexpr std::string_view kWhat = "Stats";
  return Locked(kWhat, [&]() -> Expected<StoreStats> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q,
        db_.Prepare("SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM indicators), "
                    "(SELECT count(*) FROM listing_intervals WHERE delisted_at IS NULL), "
                    "(SELECT count(*) FROM listing_intervals), "
                    "(SELECT count(*) FROM sightings), (SELECT count(*) FROM allowlist), "
                    "(SELECT coalesce(max(version), 0) FROM schema_migrations), "
                    "(SELECT count(*) FROM detections)"));
    int rc = q.Step();
    if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    StoreStats stats;
    stats.sources = q.Int(0);
    stats.indicators = q.Int(1);
    stats.open_intervals = q.Int(2);
    stats.closed_intervals = q.Int(3) - stats.open_intervals;
    stats.sightings = q.Int(4);
    stats.allowlist_entries = q.Int(5);
    stats.schema_version = static_cast<int>(q.Int(6));
    stats.detections = q.Int(7);
    return stats;
  });
}

}  // namespace sqlite
}  // namespace mamori::store
