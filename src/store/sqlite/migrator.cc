#include "store/sqlite/migrator.h"

#include <fmt/format.h>

namespace mamori::store::sqlite {

namespace {

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "  version    INTEGER PRIMARY KEY,"
    "  name       TEXT    NOT NULL,"
    "  applied_at INTEGER NOT NULL)";

Expected<int64_t> QueryInt(Connection& connection, std::string_view sql, std::string_view what) {
  MAMORI_ASSIGN_OR_RETURN(Query query, connection.Prepare(sql));
  int rc = query.Step();
  if (rc != SQLITE_ROW) return tl::unexpected(connection.ErrorFor(rc, what));
  return query.Int(0);
}

}  // namespace

Expected<int> CurrentSchemaVersion(Connection& connection) {
  MAMORI_ASSIGN_OR_RETURN(int64_t exists,
                          QueryInt(connection,
                                   "SELECT count(*) FROM sqlite_master "
                                   "WHERE type = 'table' AND name = 'schema_migrations'",
                                   "read schema version"));
  if (exists == 0) return 0;
  MAMORI_ASSIGN_OR_RETURN(
      int64_t version,
      QueryInt(connection, "SELECT coalesce(max(version), 0) FROM schema_migrations",
               "read schema version"));
  return static_cast<int>(version);
}

Expected<int> ApplyMigrations(Connection& connection, const std::vector<Migration>& migrations,
                              UnixSeconds applied_at) {
  int previous = 0;
  for (const Migration& m : migrations) {
    if (m.version <= previous) {
      return MakeError(ErrorCode::kInternal,
                       fmt::format("embedded migrations out of order at {} ({}); the build is "
                                   "broken: migration files must be numbered 0001_, 0002_, ...",
                                   m.version, m.name));
    }
    previous = m.version;
  }
  const int latest = migrations.empty() ? 0 : migrations.back().version;

  MAMORI_ASSIGN_OR_RETURN(int current, CurrentSchemaVersion(connection));
  if (current == 0) {
    // An SQLite file written by something else: migrating it would mix mamori's tables into
    // another program's data.
    MAMORI_ASSIGN_OR_RETURN(
        int64_t objects,
        QueryInt(connection,
                 "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                 "AND name != 'schema_migrations'",
                 "read schema"));
    if (objects > 0) {
      return MakeError(ErrorCode::kCorrupt,
                       fmt::format("{} is an SQLite database but not a mamori store (it has no "
                                   "schema_migrations table); point mamori at another file, or "
                                   "move this one aside and mamori will create a new one",
                                   DescribeDatabase(connection.path())),
                       connection.path());
    }
  }
  if (current > latest) {
    return MakeError(ErrorCode::kUnsupported,
                     fmt::format("{} has schema version {}, newer than this mamori knows (up "
                                 "to {}); upgrade mamori, or use another database file",
                                 DescribeDatabase(connection.path()), current, latest),
                     connection.path());
  }

  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    const std::string what = fmt::format("migration {}", m.name);
    MAMORI_ASSIGN_OR_RETURN(auto transaction,
                            Transaction::Begin(connection, Transaction::Mode::kWrite, "migrate"));
    MAMORI_RETURN_IF_ERROR(connection.Exec(kCreateMigrationsTable, what));
    // Another process may have migrated while we waited for the write lock.
    MAMORI_ASSIGN_OR_RETURN(current, CurrentSchemaVersion(connection));
    if (current > latest) {
      return MakeError(ErrorCode::kUnsupported,
                       fmt::format("{} was just migrated to schema version {} by a newer mamori "
                                   "(this one knows up to {}); upgrade mamori",
                                   DescribeDatabase(connection.path()), current, latest),
                       connection.path());
    }
    if (m.version <= current) continue;  // rolls back the no-op transaction
    MAMORI_RETURN_IF_ERROR(connection.Exec(m.sql, what));
    MAMORI_ASSIGN_OR_RETURN(
        Query record,
        connection.Prepare(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)"));
    record.Bind(1, m.version).Bind(2, std::string_view(m.name)).Bind(3, applied_at);
    MAMORI_RETURN_IF_ERROR(connection.Run(record, what));
    MAMORI_RETURN_IF_ERROR(transaction.Commit());
    current = m.version;
  }
  return current;
}

}  // namespace mamori::store::sqlite
