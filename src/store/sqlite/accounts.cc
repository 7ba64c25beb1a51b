// SqliteStore: users, login sessions and API tokens (store.h, "accounts"; schema in
// migrations/0007_accounts.sql). The store only keeps and finds records; hashing, expiry and
// role checks are the business of server/auth.
#include <fmt/format.h>

#include "store/sqlite/sqlite_store.h"

namespace mamori::store::sqlite {
namespace {

constexpr std::string_view kUserColumns = "id, name, role, password_hash, created_at, disabled";
constexpr std::string_view kSessionColumns =
    "id_hash, user_name, csrf_token, created_at, expires_at, last_seen_at";
constexpr std::string_view kTokenColumns =
    "id, name, token_hash, role, created_by, created_at, last_used_at, revoked_at";

bool IsRole(std::string_view role) {
  return role == "viewer" || role == "operator" || role == "admin";
}

Status ValidateRole(std::string_view role, std::string_view what) {
  if (IsRole(role)) return Ok();
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("{}: role must be viewer, operator or admin", what),
                   std::string(role));
}

UserRecord ReadUser(const Query& q) {
  UserRecord u;
  u.id = q.Int(0);
  u.name = q.String(1);
  u.role = q.String(2);
  u.password_hash = q.String(3);
  u.created_at = q.Int(4);
  u.disabled = q.Int(5) != 0;
  return u;
}

SessionRecord ReadSession(const Query& q) {
  SessionRecord s;
  s.id_hash = q.String(0);
  s.user = q.String(1);
  s.csrf_token = q.String(2);
  s.created_at = q.Int(3);
  s.expires_at = q.Int(4);
  s.last_seen_at = q.Int(5);
  return s;
}

ApiTokenRecord ReadToken(const Query& q) {
  ApiTokenRecord t;
  t.id = q.Int(0);
  t.name = q.String(1);
  t.token_hash = q.String(2);
  t.role = q.String(3);
  t.created_by = q.String(4);
  t.created_at = q.Int(5);
  t.last_used_at = q.Int(6);
  t.revoked_at = q.Int(7);
  return t;
}

// Steps `q` and collects every row with `read`.
template <typename Record, typename Read>
Expected<std::vector<Record>> ReadAll(Connection& db, Query& q, Read read, std::string_view what) {
  std::vector<Record> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) out.push_back(read(q));
  if (rc != SQLITE_DONE) return tl::unexpected(db.ErrorFor(rc, what));
  return out;
}

// At most one row.
template <typename Record, typename Read>
Expected<std::optional<Record>> ReadOne(Connection& db, Query& q, Read read,
                                        std::string_view what) {
  int rc = q.Step();
  if (rc == SQLITE_DONE) return std::optional<Record>();
  if (rc != SQLITE_ROW) return tl::unexpected(db.ErrorFor(rc, what));
  return std::optional<Record>(read(q));
}

}  // namespace

Expected<UserRecord> SqliteStore::AddUser(const UserRecord& user) {
  constexpr std::string_view kWhat = "AddUser";
  if (user.name.empty() || user.password_hash.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: name and password hash must not be empty", kWhat));
  }
  MAMORI_RETURN_IF_ERROR(ValidateRole(user.role, kWhat));
  return Locked(kWhat, [&]() -> Expected<UserRecord> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT INTO users (name, role, password_hash, created_at, disabled) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)"));
    q.Bind(1, user.name)
        .Bind(2, user.role)
        .Bind(3, user.password_hash)
        .Bind(4, user.created_at)
        .Bind(5, int64_t{user.disabled ? 1 : 0});
    int rc = q.Step();
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
      return MakeError(ErrorCode::kAlreadyExists,
                       fmt::format("a user named '{}' already exists; use `mamori users passwd` "
                                   "or remove it first",
                                   user.name),
                       user.name);
    }
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    UserRecord out = user;
    out.id = db_.last_insert_rowid();
    return out;
  });
}

Status SqliteStore::UpdateUser(const UserRecord& user) {
  constexpr std::string_view kWhat = "UpdateUser";
  if (user.password_hash.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: password hash must not be empty", kWhat), user.name);
  }
  MAMORI_RETURN_IF_ERROR(ValidateRole(user.role, kWhat));
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("UPDATE users SET role = ?2, password_hash = ?3, disabled = ?4 "
                             "WHERE name = ?1"));
    q.Bind(1, user.name)
        .Bind(2, user.role)
        .Bind(3, user.password_hash)
        .Bind(4, int64_t{user.disabled ? 1 : 0});
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    if (db_.changes() == 0) {
      return MakeError(ErrorCode::kNotFound, "no such user", user.name);
    }
    return Ok();
  });
}

Expected<std::optional<UserRecord>> SqliteStore::GetUser(std::string_view name) {
  constexpr std::string_view kWhat = "GetUser";
  return Locked(kWhat, [&]() -> Expected<std::optional<UserRecord>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare(fmt::format("SELECT {} FROM users WHERE name = ?1", kUserColumns)));
    q.Bind(1, name);
    return ReadOne<UserRecord>(db_, q, ReadUser, kWhat);
  });
}

Expected<std::vector<UserRecord>> SqliteStore::ListUsers() {
  constexpr std::string_view kWhat = "ListUsers";
  return Locked(kWhat, [&]() -> Expected<std::vector<UserRecord>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare(fmt::format("SELECT {} FROM users ORDER BY name", kUserColumns)));
    return ReadAll<UserRecord>(db_, q, ReadUser, kWhat);
  });
}

Status SqliteStore::RemoveUser(std::string_view name) {
  constexpr std::string_view kWhat = "RemoveUser";
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
    {
      MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare("DELETE FROM sessions WHERE user_name = ?1"));
      q.Bind(1, name);
      MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    }
    MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare("DELETE FROM users WHERE name = ?1"));
    q.Bind(1, name);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    if (db_.changes() == 0) {
      return MakeError(ErrorCode::kNotFound, "no such user", std::string(name));
    }
    return tx.Commit();
  });
}

Status SqliteStore::AddSession(const SessionRecord& session) {
  constexpr std::string_view kWhat = "AddSession";
  if (session.id_hash.empty() || session.user.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: id hash and user must not be empty", kWhat));
  }
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
    {
      MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare("DELETE FROM sessions WHERE expires_at < ?1"));
      q.Bind(1, session.created_at);
      MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    }
    MAMORI_ASSIGN_OR_RETURN(
        Query q,
        db_.Prepare(fmt::format("INSERT INTO sessions ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                kSessionColumns)));
    q.Bind(1, session.id_hash)
        .Bind(2, session.user)
        .Bind(3, session.csrf_token)
        .Bind(4, session.created_at)
        .Bind(5, session.expires_at)
        .Bind(6, session.last_seen_at);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    return tx.Commit();
  });
}

Expected<std::optional<SessionRecord>> SqliteStore::GetSession(std::string_view id_hash) {
  constexpr std::string_view kWhat = "GetSession";
  return Locked(kWhat, [&]() -> Expected<std::optional<SessionRecord>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q,
        db_.Prepare(fmt::format("SELECT {} FROM sessions WHERE id_hash = ?1", kSessionColumns)));
    q.Bind(1, id_hash);
    return ReadOne<SessionRecord>(db_, q, ReadSession, kWhat);
  });
}

Status SqliteStore::TouchSession(std::string_view id_hash, UnixSeconds now) {
  constexpr std::string_view kWhat = "TouchSession";
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("UPDATE sessions SET last_seen_at = ?2 WHERE id_hash = ?1"));
    q.Bind(1, id_hash).Bind(2, now);
    return db_.Run(q, kWhat);
  });
}

Status SqliteStore::RemoveSession(std::string_view id_hash) {
  constexpr std::string_view kWhat = "RemoveSession";
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare("DELETE FROM sessions WHERE id_hash = ?1"));
    q.Bind(1, id_hash);
    return db_.Run(q, kWhat);
  });
}

Expected<int64_t> SqliteStore::RemoveUserSessions(std::string_view user) {
  constexpr std::string_view kWhat = "RemoveUserSessions";
  return Locked(kWhat, [&]() -> Expected<int64_t> {
    MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare("DELETE FROM sessions WHERE user_name = ?1"));
    q.Bind(1, user);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    return db_.changes();
  });
}

Expected<ApiTokenRecord> SqliteStore::AddApiToken(const ApiTokenRecord& token) {
  constexpr std::string_view kWhat = "AddApiToken";
  if (token.name.empty() || token.token_hash.empty() || token.created_by.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: name, hash and creator must not be empty", kWhat));
  }
  MAMORI_RETURN_IF_ERROR(ValidateRole(token.role, kWhat));
  return Locked(kWhat, [&]() -> Expected<ApiTokenRecord> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT INTO api_tokens (name, token_hash, role, created_by, "
                             "created_at, last_used_at, revoked_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    q.Bind(1, token.name)
        .Bind(2, token.token_hash)
        .Bind(3, token.role)
        .Bind(4, token.created_by)
        .Bind(5, token.created_at)
        .Bind(6, token.last_used_at)
        .Bind(7, token.revoked_at);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    ApiTokenRecord out = token;
    out.id = db_.last_insert_rowid();
    return out;
  });
}

Expected<std::optional<ApiTokenRecord>> SqliteStore::GetApiTokenByHash(
    std::string_view token_hash) {
  constexpr std::string_view kWhat = "GetApiTokenByHash";
  return Locked(kWhat, [&]() -> Expected<std::optional<ApiTokenRecord>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q,
        db_.Prepare(fmt::format("SELECT {} FROM api_tokens WHERE token_hash = ?1", kTokenColumns)));
    q.Bind(1, token_hash);
    return ReadOne<ApiTokenRecord>(db_, q, ReadToken, kWhat);
  });
}

Expected<std::vector<ApiTokenRecord>> SqliteStore::ListApiTokens() {
  constexpr std::string_view kWhat = "ListApiTokens";
  return Locked(kWhat, [&]() -> Expected<std::vector<ApiTokenRecord>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare(fmt::format("SELECT {} FROM api_tokens ORDER BY id", kTokenColumns)));
    return ReadAll<ApiTokenRecord>(db_, q, ReadToken, kWhat);
  });
}

Status SqliteStore::RevokeApiToken(int64_t id, UnixSeconds now) {
  constexpr std::string_view kWhat = "RevokeApiToken";
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("UPDATE api_tokens SET revoked_at = CASE WHEN revoked_at = 0 THEN ?2 "
                             "ELSE revoked_at END WHERE id = ?1"));
    q.Bind(1, id).Bind(2, now);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    if (db_.changes() == 0) {
      return MakeError(ErrorCode::kNotFound, "no such API token", std::to_string(id));
    }
    return Ok();
  });
}

Status SqliteStore::TouchApiToken(int64_t id, UnixSeconds now) {
  constexpr std::string_view kWhat = "TouchApiToken";
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(Query q,
                            db_.Prepare("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1"));
    q.Bind(1, id).Bind(2, now);
    return db_.Run(q, kWhat);
  });
}

}  // namespace mamori::store::sqlite
