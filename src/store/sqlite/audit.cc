// SqliteStore: the append-only, hash-chained audit log (store.h, "audit log"; schema in
// migrations/0005_audit_log.sql).
#include <fmt/format.h>

#include "core/sha256.h"
#include "store/sqlite/sqlite_store.h"

namespace mamori::store {

std::string AuditHash(const AuditEntry& e) {
  std::string text;
  auto field = [&](std::string_view v) { text += fmt::format("{}:{}", v.size(), v); };
  field(e.prev_hash);
  field(std::to_string(e.id));
  field(std::to_string(e.at));
  field(e.actor);
  field(e.action);
  field(e.target);
  field(e.details_json);
  return Sha256Hex(text);
}

namespace sqlite {
namespace {

constexpr std::string_view kColumns = "id, at, actor, action, target, details, prev_hash, hash";

AuditEntry ReadEntry(const Query& q) {
  AuditEntry e;
  e.id = q.Int(0);
  e.at = q.Int(1);
  e.actor.assign(q.Text(2));
  e.action.assign(q.Text(3));
  e.target.assign(q.Text(4));
  e.details_json.assign(q.Text(5));
  e.prev_hash.assign(q.Text(6));
  e.hash.assign(q.Text(7));
  return e;
}

}  // namespace

Expected<AuditEntry> SqliteStore::AppendAudit(const AuditEntry& entry) {
  constexpr std::string_view kWhat = "AppendAudit";
  if (entry.actor.empty() || entry.action.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: actor and action must not be empty", kWhat));
  }
  return Locked(kWhat, [&]() -> Expected<AuditEntry> {
    // The write transaction serializes appenders (also across processes), so two rows can never
    // claim the same predecessor.
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
    AuditEntry e = entry;
    e.prev_hash = std::string(kAuditGenesisHash);
    e.id = 1;
    {
      MAMORI_ASSIGN_OR_RETURN(
          Query last, db_.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"));
      int rc = last.Step();
      if (rc == SQLITE_ROW) {
        e.id = last.Int(0) + 1;
        e.prev_hash.assign(last.Text(1));
      } else if (rc != SQLITE_DONE) {
        return tl::unexpected(db_.ErrorFor(rc, kWhat));
      }
      last.Reset();
    }
    e.hash = AuditHash(e);
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT INTO audit_log (id, at, actor, action, target, details, "
                             "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    q.Bind(1, e.id)
        .Bind(2, e.at)
        .Bind(3, e.actor)
        .Bind(4, e.action)
        .Bind(5, e.target)
        .Bind(6, e.details_json)
        .Bind(7, e.prev_hash)
        .Bind(8, e.hash);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return e;
  });
}

Expected<std::vector<AuditEntry>> SqliteStore::ListAudit(int64_t before_id, int limit) {
  constexpr std::string_view kWhat = "ListAudit";
  return Locked(kWhat, [&]() -> Expected<std::vector<AuditEntry>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare(fmt::format("SELECT {} FROM audit_log WHERE (?1 = 0 OR id < ?1) "
                                         "ORDER BY id DESC LIMIT ?2",
                                         kColumns)));
    q.Bind(1, before_id).Bind(2, int64_t{limit > 0 ? limit : -1});
    std::vector<AuditEntry> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.push_back(ReadEntry(q));
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return out;
  });
}

Expected<AuditVerification> SqliteStore::VerifyAudit() {
  constexpr std::string_view kWhat = "VerifyAudit";
  return Locked(kWhat, [&]() -> Expected<AuditVerification> {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kRead, kWhat));
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare(fmt::format("SELECT {} FROM audit_log ORDER BY id", kColumns)));
    AuditVerification v;
    std::string expected_prev(kAuditGenesisHash);
    int64_t expected_id = 1;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      AuditEntry e = ReadEntry(q);
      ++v.entries;
      if (v.first_bad_id == 0) {
        if (e.id != expected_id) {
          v.first_bad_id = e.id;
          v.reason = fmt::format("row {} follows row {}: rows were deleted", e.id, expected_id - 1);
        } else if (e.prev_hash != expected_prev) {
          v.first_bad_id = e.id;
          v.reason = "its prev_hash is not the previous row's hash";
        } else if (AuditHash(e) != e.hash) {
          v.first_bad_id = e.id;
          v.reason = "its contents do not match its hash: the row was changed";
        }
      }
      expected_prev = e.hash;
      expected_id = e.id + 1;
      v.head_hash = e.hash;
    }
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return v;
  });
}

}  // namespace sqlite
}  // namespace mamori::store
