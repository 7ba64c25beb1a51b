// SqliteStore: response actions and run-time settings (store.h, "response actions"; schema in
// migrations/0006_response_actions.sql).
#include <fmt/format.h>

#include "store/sqlite/sqlite_store.h"

namespace mamori::store::sqlite {
namespace {

// Column order shared by SELECT (ReadAction), INSERT and UPDATE (BindAction).
constexpr std::string_view kColumns =
    "id, playbook, kind, device, target, params, state, mode, duration_seconds, detection_id, "
    "evidence, expected_effect, reason, created_at, decided_at, decided_by, comment, applied_at, "
    "expires_at, ended_at, last_error, attempts, updated_at";
constexpr int kColumnCount = 23;

// kColumns with an empty text in place of the evidence (lists: ~3 KB a row nobody shows there).
const std::string& ListColumns() {
  static const std::string columns = [] {
    std::string c(kColumns);
    c.replace(c.find(" evidence,"), 10, " '',");
    return c;
  }();
  return columns;
}

ActionRecord ReadAction(const Query& q) {
  ActionRecord a;
  a.id = q.Int(0);
  a.playbook = q.String(1);
  a.kind = q.String(2);
  a.device = q.String(3);
  a.target = q.String(4);
  a.params_json = q.String(5);
  a.state = q.String(6);
  a.mode = q.String(7);
  a.duration_seconds = q.Int(8);
  a.detection_id = q.Int(9);
  a.evidence_json = q.String(10);
  a.expected_effect = q.String(11);
  a.reason = q.String(12);
  a.created_at = q.Int(13);
  a.decided_at = q.Int(14);
  a.decided_by = q.String(15);
  a.comment = q.String(16);
  a.applied_at = q.Int(17);
  a.expires_at = q.Int(18);
  a.ended_at = q.Int(19);
  a.last_error = q.String(20);
  a.attempts = static_cast<int>(q.Int(21));
  a.updated_at = q.Int(22);
  return a;
}

// Binds every column but id (parameters 2..23); parameter 1 is the id.
void BindAction(Query& q, const ActionRecord& a) {
  q.Bind(2, a.playbook)
      .Bind(3, a.kind)
      .Bind(4, a.device)
      .Bind(5, a.target)
      .Bind(6, a.params_json)
      .Bind(7, a.state)
      .Bind(8, a.mode)
      .Bind(9, a.duration_seconds)
      .Bind(10, a.detection_id)
      .Bind(11, a.evidence_json)
      .Bind(12, a.expected_effect)
      .Bind(13, a.reason)
      .Bind(14, a.created_at)
      .Bind(15, a.decided_at)
      .Bind(16, a.decided_by)
      .Bind(17, a.comment)
      .Bind(18, a.applied_at)
      .Bind(19, a.expires_at)
      .Bind(20, a.ended_at)
      .Bind(21, a.last_error)
      .Bind(22, int64_t{a.attempts})
      .Bind(23, a.updated_at);
}

std::string Placeholders() {
  std::string out;
  for (int i = 1; i <= kColumnCount; ++i) out += fmt::format("{}?{}", i > 1 ? ", " : "", i);
  return out;
}

Status CheckAction(const ActionRecord& a, std::string_view what) {
  if (a.playbook.empty() || a.kind.empty() || a.state.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: playbook, kind and state must not be empty", what));
  }
  return Ok();
}

}  // namespace

Expected<ActionRecord> SqliteStore::AddAction(const ActionRecord& action) {
  constexpr std::string_view kWhat = "AddAction";
  MAMORI_RETURN_IF_ERROR(CheckAction(action, kWhat));
  return Locked(kWhat, [&]() -> Expected<ActionRecord> {
    MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare(fmt::format("INSERT INTO actions ({}) VALUES ({})",
                                                             kColumns, Placeholders())));
    q.BindNull(1);
    BindAction(q, action);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    ActionRecord out = action;
    out.id = db_.last_insert_rowid();
    return out;
  });
}

Status SqliteStore::UpdateAction(const ActionRecord& action) {
  constexpr std::string_view kWhat = "UpdateAction";
  MAMORI_RETURN_IF_ERROR(CheckAction(action, kWhat));
  return Locked(kWhat, [&]() -> Status {
    static const std::string sql = [] {
      std::string set;
      std::string_view cols = kColumns;
      int index = 0;
      size_t start = 0;
      while (start < cols.size()) {
        size_t end = cols.find(',', start);
        if (end == std::string_view::npos) end = cols.size();
        std::string_view name = cols.substr(start, end - start);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        ++index;
        if (index > 1) set += fmt::format("{}{} = ?{}", set.empty() ? "" : ", ", name, index);
        start = end + 1;
      }
      return fmt::format("UPDATE actions SET {} WHERE id = ?1", set);
    }();
    MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare(sql));
    q.Bind(1, action.id);
    BindAction(q, action);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    if (db_.changes() == 0) {
      return MakeError(ErrorCode::kNotFound, fmt::format("{}: no action {}", kWhat, action.id));
    }
    return Ok();
  });
}

Expected<std::optional<ActionRecord>> SqliteStore::GetAction(int64_t id) {
  constexpr std::string_view kWhat = "GetAction";
  return Locked(kWhat, [&]() -> Expected<std::optional<ActionRecord>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare(fmt::format("SELECT {} FROM actions WHERE id = ?1", kColumns)));
    q.Bind(1, id);
    int rc = q.Step();
    if (rc == SQLITE_DONE) return std::nullopt;
    if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    ActionRecord a = ReadAction(q);
    q.Reset();
    return a;
  });
}

Expected<std::vector<ActionRecord>> SqliteStore::ListActions(const ActionQuery& query) {
  constexpr std::string_view kWhat = "ListActions";
  return Locked(kWhat, [&]() -> Expected<std::vector<ActionRecord>> {
    // Only the filters that are set go into the SQL: a `(?1 = '' OR target = ?1)` form would
    // keep SQLite from using actions_by_target for the engine's duplicate check (it scanned
    // every open action: 2.8 ms per new action at 10,000 in force). One cached statement per
    // combination of filters.
    std::string where = "1";
    int next = 1;
    std::vector<std::pair<int, std::string_view>> texts;
    std::vector<std::pair<int, int64_t>> numbers;
    auto text = [&](std::string_view column, const std::string& value) {
      if (value.empty()) return;
      where += fmt::format(" AND {} = ?{}", column, next);
      texts.emplace_back(next++, value);
    };
    text("target", query.target);
    text("kind", query.kind);
    text("playbook", query.playbook);
    if (query.detection_id > 0) {
      where += fmt::format(" AND detection_id = ?{}", next);
      numbers.emplace_back(next++, query.detection_id);
    }
    if (query.expires_before > 0) {
      where += fmt::format(" AND expires_at > 0 AND expires_at <= ?{}", next);
      numbers.emplace_back(next++, query.expires_before);
    }
    if (query.before_id > 0) {
      where += fmt::format(" AND id < ?{}", next);
      numbers.emplace_back(next++, query.before_id);
    }
    if (!query.states.empty()) {
      where += " AND state IN (";
      for (size_t i = 0; i < query.states.size(); ++i) {
        where += fmt::format("{}?{}", i ? ", " : "", next);
        texts.emplace_back(next++, query.states[i]);
      }
      where += ")";
    }
    std::string sql =
        fmt::format("SELECT {} FROM actions WHERE {} ORDER BY {} LIMIT ?{}",
                    query.with_evidence ? std::string_view(kColumns) : ListColumns(), where,
                    // Expiry sweeps want the soonest first; everything else the newest first.
                    query.expires_before > 0 ? "expires_at, id" : "id DESC", next);
    MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare(sql));
    for (const auto& [index, value] : texts) q.Bind(index, value);
    for (const auto& [index, value] : numbers) q.Bind(index, value);
    q.Bind(next, int64_t{query.limit > 0 ? query.limit : -1});
    std::vector<ActionRecord> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.push_back(ReadAction(q));
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return out;
  });
}

Expected<std::vector<std::pair<std::string, int64_t>>> SqliteStore::CountActionsByState() {
  constexpr std::string_view kWhat = "CountActionsByState";
  return Locked(kWhat, [&]() -> Expected<std::vector<std::pair<std::string, int64_t>>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("SELECT state, count(*) FROM actions GROUP BY state ORDER BY state"));
    std::vector<std::pair<std::string, int64_t>> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.emplace_back(q.String(0), q.Int(1));
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return out;
  });
}

Expected<std::optional<std::string>> SqliteStore::GetSetting(std::string_view key) {
  constexpr std::string_view kWhat = "GetSetting";
  return Locked(kWhat, [&]() -> Expected<std::optional<std::string>> {
    MAMORI_ASSIGN_OR_RETURN(Query q, db_.Prepare("SELECT value FROM settings WHERE key = ?1"));
    q.Bind(1, key);
    int rc = q.Step();
    if (rc == SQLITE_DONE) return std::nullopt;
    if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    std::string value = q.String(0);
    q.Reset();
    return value;
  });
}

Status SqliteStore::SetSetting(std::string_view key, std::string_view value, UnixSeconds now) {
  constexpr std::string_view kWhat = "SetSetting";
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) "
                             "ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3"));
    q.Bind(1, key).Bind(2, value).Bind(3, now);
    return db_.Run(q, kWhat);
  });
}

}  // namespace mamori::store::sqlite
