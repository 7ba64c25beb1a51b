// Applies numbered schema migrations to an SQLite connection, private to the SQLite backend.
//
// Each pending migration runs in its own write transaction and is recorded in
// schema_migrations (version, name, applied_at). The current version is re-read inside that
// transaction, so two processes starting on the same new file do not apply a migration twice.
// A database whose version is newer than the newest migration this binary knows is refused
// (an old binary must not write to a schema it does not understand), and so is a non-empty
// SQLite file that is not a mamori store. Not thread-safe; call before sharing the connection.
#pragma once

#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace mamori::store::sqlite {

// Returns the schema version after migrating (the newest migration's version).
// `applied_at` is recorded for every migration applied now.
Expected<int> ApplyMigrations(Connection& connection, const std::vector<Migration>& migrations,
                              UnixSeconds applied_at);

// The newest version recorded in schema_migrations (0 when the table does not exist).
Expected<int> CurrentSchemaVersion(Connection& connection);

}  // namespace mamori::store::sqlite
