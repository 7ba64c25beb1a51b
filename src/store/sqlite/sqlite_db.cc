#include "store/sqlite/sqlite_db.h"

#include <fmt/format.h>

namespace mamori::store::sqlite {

std::string DescribeDatabase(std::string_view path) {
  return path == ":memory:" ? std::string("the in-memory database")
                            : fmt::format("database file {}", path);
}

Error SqliteError(int rc, std::string_view path, std::string_view what, std::string_view detail) {
  const std::string file = DescribeDatabase(path);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error{ErrorCode::kBusy,
                   fmt::format("{}: {} is locked ({}): another mamori process is writing; "
                               "stop it or wait, then retry",
                               what, file, detail),
                   std::string(path)};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error{ErrorCode::kCorrupt,
                   fmt::format("{}: {} is corrupt ({}): restore it from backup or move it "
                               "aside; mamori will create a new one",
                               what, file, detail),
                   std::string(path)};
    case SQLITE_CONSTRAINT:
      return Error{ErrorCode::kInvalidArgument,
                   fmt::format("{}: rejected by the schema of {}: {}", what, file, detail),
                   std::string(path)};
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_IOERR:
      return Error{ErrorCode::kIo,
                   fmt::format("{}: cannot write {} ({}): check that the file and its "
                               "directory exist and are writable",
                               what, file, detail),
                   std::string(path)};
    case SQLITE_FULL:
      return Error{
          ErrorCode::kIo,
          fmt::format("{}: {}: disk full ({}): free some space and retry", what, file, detail),
          std::string(path)};
    case SQLITE_NOMEM:
      return Error{ErrorCode::kInternal, fmt::format("{}: out of memory ({})", what, detail),
                   std::string(path)};
    default:
      return Error{ErrorCode::kInternal,
                   fmt::format("{}: SQLite error on {}: {}", what, file, detail),
                   std::string(path)};
  }
}

Expected<Connection> Connection::Open(const std::string& path, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  // NOMUTEX: the store serializes all use of the connection on its own mutex.
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  ConnectionPtr db(raw);  // sqlite3_open_v2 allocates a handle even when it fails
  if (rc != SQLITE_OK) {
    std::string detail = db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
    return tl::unexpected(SqliteError(rc, path, "open", detail));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), busy_timeout_ms);
  return Connection(std::move(db), path);
}

Connection::~Connection() = default;

Expected<Query> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    StatementPtr stmt(raw);
    if (rc != SQLITE_OK) return tl::unexpected(ErrorFor(rc, "prepare"));
    it = cache_.emplace(std::string(sql), std::move(stmt)).first;
  }
  return Query(it->second.get());
}

Status Connection::Exec(const char* sql, std::string_view what) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Ok();
  std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return tl::unexpected(SqliteError(rc, path_, what, detail));
}

Status Connection::Run(Query& query, std::string_view what) {
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return tl::unexpected(ErrorFor(rc, what));
  query.Reset();
  return Ok();
}

Error Connection::ErrorFor(int rc, std::string_view what) const {
  // The handle's message belongs to the last failing call, which is the one we report; for
  // a failed bind (SQLITE_RANGE, SQLITE_TOOBIG) sqlite3_errstr is the more precise text.
  std::string detail =
      sqlite3_errcode(db_.get()) == rc ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
  return SqliteError(rc, path_, what, detail);
}

Expected<Transaction> Transaction::Begin(Connection& connection, Mode mode, std::string_view what) {
  MAMORI_RETURN_IF_ERROR(
      connection.Exec(mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", what));
  return Transaction(connection, what);
}

Transaction::~Transaction() {
  if (connection_ != nullptr && !sqlite3_get_autocommit(connection_->handle())) {
    // Errors cannot be reported from here; a failed rollback leaves SQLite to roll back the
    // journal when the connection closes or the next transaction begins.
    sqlite3_exec(connection_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Status Transaction::Commit() {
  Connection* connection = connection_;
  auto status = connection->Exec("COMMIT", what_);
  // On failure (e.g. SQLITE_BUSY at commit) the destructor rolls back.
  if (status) connection_ = nullptr;
  return status;
}

}  // namespace mamori::store::sqlite
