// A thin RAII layer over the sqlite3 C API, private to the SQLite store backend.
//
// Why the C API rather than SQLiteCpp: the hot paths (ApplySnapshot over a million rows) bind
// text without copying (SQLITE_STATIC), read column text as string_view without allocating, and
// turn result codes straight into mamori::Error without an exception round trip.
//
// Ownership: Connection owns the sqlite3* handle and a cache of prepared statements (one per
// distinct SQL text, prepared on first use, finalized before the handle is closed). A Query
// borrows a cached statement and resets it when it goes out of scope, so a statement is never
// left half-stepped holding a read lock. Text bound to a Query must outlive the Query's last
// Step(). Nothing here is thread-safe: SqliteStore serializes every call on its mutex.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"

namespace mamori::store::sqlite {

struct ConnectionCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using ConnectionPtr = std::unique_ptr<sqlite3, ConnectionCloser>;

struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// "database file <path>", or "the in-memory database" for ":memory:".
std::string DescribeDatabase(std::string_view path);

// Turns an SQLite result code into an Error naming the database file and, for the conditions a
// user can fix (corrupt file, lock held by another process, full or read-only disk), saying what
// to do. `what` names the operation, e.g. "ApplySnapshot".
Error SqliteError(int rc, std::string_view path, std::string_view what, std::string_view detail);

// A cached prepared statement in use. Move-only; resets the statement on destruction.
class Query {
 public:
  explicit Query(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Query(Query&& other) noexcept : stmt_(other.stmt_), bind_rc_(other.bind_rc_) {
    other.stmt_ = nullptr;
  }
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    if (stmt_ != nullptr) sqlite3_reset(stmt_);
  }

  // Parameters are 1-based, as in SQL (?1, ?2, ...). A failed bind is reported by Step().
  Query& Bind(int index, int64_t value) { return Check(sqlite3_bind_int64(stmt_, index, value)); }
  Query& Bind(int index, std::string_view text) {
    return Check(
        sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC));
  }
  Query& BindBlob(int index, std::span<const uint8_t> blob) {
    return Check(
        sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC));
  }
  Query& BindDouble(int index, double value) {
    return Check(sqlite3_bind_double(stmt_, index, value));
  }
  Query& BindNull(int index) { return Check(sqlite3_bind_null(stmt_, index)); }
  // Binds NULL when `value` equals `null_value` (e.g. confidence -1: "not said").
  Query& BindOrNull(int index, int64_t value, int64_t null_value) {
    return value == null_value ? BindNull(index) : Bind(index, value);
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return bind_rc_ != SQLITE_OK ? bind_rc_ : sqlite3_step(stmt_); }
  // Makes the statement ready to be bound and stepped again (bindings are kept).
  void Reset() { sqlite3_reset(stmt_); }

  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  // NULL reads as 0.
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const { return sqlite3_column_double(stmt_, column); }
  // Valid until the next Step() or Reset(); NULL reads as "".
  std::string_view Text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (text == nullptr) return {};
    return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
  }
  std::string String(int column) const { return std::string(Text(column)); }

 private:
  Query& Check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
    return *this;
  }

  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

class Connection {
 public:
  // Opens (creating) the database file read-write. `path` is ":memory:" or a file path; the
  // parent directory must exist. Does not read the file yet: SQLite opens lazily.
  static Expected<Connection> Open(const std::string& path, int busy_timeout_ms);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  ~Connection();

  sqlite3* handle() const { return db_.get(); }
  const std::string& path() const { return path_; }

  // Returns the cached statement for `sql` (prepared on first use) wrapped in a Query.
  Expected<Query> Prepare(std::string_view sql);
  // Runs parameterless SQL (pragmas, DDL of migrations, BEGIN/COMMIT); may hold several
  // statements.
  Status Exec(const char* sql, std::string_view what);
  // Steps `query` to completion, expecting no rows.
  Status Run(Query& query, std::string_view what);

  // An Error for `rc` with the connection's current error message.
  Error ErrorFor(int rc, std::string_view what) const;
  int64_t changes() const { return sqlite3_changes64(db_.get()); }
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }

 private:
  Connection(ConnectionPtr db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  // Declared before cache_ so that the statements are finalized before the handle is closed.
  ConnectionPtr db_;
  std::string path_;
  // Heterogeneous lookup: finding a cached statement allocates nothing.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>()(sql); }
  };
  std::unordered_map<std::string, StatementPtr, SqlHash, std::equal_to<>> cache_;
};

// An explicit transaction that rolls back unless Commit() succeeded. Write transactions begin
// IMMEDIATE: they take the write lock up front, so a busy database waits (busy_timeout) at BEGIN
// instead of failing with an unrecoverable lock upgrade in the middle of the work.
class Transaction {
 public:
  enum class Mode { kRead, kWrite };
  static Expected<Transaction> Begin(Connection& connection, Mode mode, std::string_view what);

  Transaction(Transaction&& other) noexcept : connection_(other.connection_), what_(other.what_) {
    other.connection_ = nullptr;
  }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  Transaction(Connection& connection, std::string_view what)
      : connection_(&connection), what_(what) {}

  Connection* connection_;  // null once committed or rolled back
  std::string_view what_;   // a string literal naming the operation
};

}  // namespace mamori::store::sqlite
