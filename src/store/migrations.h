// Numbered schema migrations. The SQL lives in src/store/migrations/NNNN_name.sql and is
// embedded at build time (cmake/embed_migrations.cmake); versions are applied in order, each in
// its own transaction, and recorded in the schema_migrations table.
#pragma once

#include <vector>

namespace mamori::store {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& EmbeddedMigrations();

}  // namespace mamori::store
