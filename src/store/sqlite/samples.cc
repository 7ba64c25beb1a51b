// SqliteStore: malware samples and their analysis queue (store.h, "malware samples"; schema in
// migrations/0009_malware_samples.sql).
#include <fmt/format.h>

#include "store/sqlite/sqlite_store.h"

namespace mamori::store::sqlite {
namespace {

constexpr std::string_view kColumns =
    "id, sha256, file_name, size, submitted_at, submitted_by, status, report_status, summary, "
    "error, started_at, finished_at, report";
// kColumns with an empty text in place of the report (lists and the queue never need it).
constexpr std::string_view kListColumns =
    "id, sha256, file_name, size, submitted_at, submitted_by, status, report_status, summary, "
    "error, started_at, finished_at, ''";

SampleRecord ReadSample(const Query& q) {
  SampleRecord s;
  s.id = q.Int(0);
  s.sha256 = q.String(1);
  s.file_name = q.String(2);
  s.size = q.Int(3);
  s.submitted_at = q.Int(4);
  s.submitted_by = q.String(5);
  s.status = q.String(6);
  s.report_status = q.String(7);
  s.summary_json = q.String(8);
  s.error = q.String(9);
  s.started_at = q.Int(10);
  s.finished_at = q.Int(11);
  s.report_json = q.String(12);
  return s;
}

}  // namespace

Expected<SampleRecord> SqliteStore::AddSample(const SampleRecord& sample) {
  constexpr std::string_view kWhat = "AddSample";
  if (sample.sha256.empty() || sample.status.empty() || sample.submitted_by.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: sha256, status and submitted_by must not be empty", kWhat));
  }
  return Locked(kWhat, [&]() -> Expected<SampleRecord> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT INTO malware_samples (sha256, file_name, size, submitted_at, "
                             "submitted_by, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    q.Bind(1, sample.sha256)
        .Bind(2, sample.file_name)
        .Bind(3, sample.size)
        .Bind(4, sample.submitted_at)
        .Bind(5, sample.submitted_by)
        .Bind(6, sample.status);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    SampleRecord out = sample;
    out.id = db_.last_insert_rowid();
    return out;
  });
}

Expected<std::optional<SampleRecord>> SqliteStore::ClaimNextSample(UnixSeconds now) {
  constexpr std::string_view kWhat = "ClaimNextSample";
  return Locked(kWhat, [&]() -> Expected<std::optional<SampleRecord>> {
    // The write transaction makes select-then-update one step for other processes too.
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
    std::optional<SampleRecord> sample;
    {
      MAMORI_ASSIGN_OR_RETURN(
          Query q, db_.Prepare(fmt::format("SELECT {} FROM malware_samples WHERE status = 'queued' "
                                           "ORDER BY id LIMIT 1",
                                           kListColumns)));
      int rc = q.Step();
      if (rc == SQLITE_DONE) return std::nullopt;
      if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, kWhat));
      sample = ReadSample(q);
      q.Reset();
    }
    MAMORI_ASSIGN_OR_RETURN(
        Query u, db_.Prepare("UPDATE malware_samples SET status = 'running', started_at = ?2 "
                             "WHERE id = ?1"));
    u.Bind(1, sample->id).Bind(2, now);
    MAMORI_RETURN_IF_ERROR(db_.Run(u, kWhat));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    sample->status = "running";
    sample->started_at = now;
    return sample;
  });
}

Status SqliteStore::FinishSample(const SampleRecord& sample) {
  constexpr std::string_view kWhat = "FinishSample";
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("UPDATE malware_samples SET status = ?2, report_status = ?3, "
                             "summary = ?4, report = ?5, error = ?6, finished_at = ?7 "
                             "WHERE id = ?1"));
    q.Bind(1, sample.id)
        .Bind(2, sample.status)
        .Bind(3, sample.report_status)
        .Bind(4, sample.summary_json)
        .Bind(6, sample.error)
        .Bind(7, sample.finished_at);
    if (sample.report_json.empty()) {
      q.BindNull(5);
    } else {
      q.Bind(5, sample.report_json);
    }
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    if (db_.changes() == 0) {
      return MakeError(ErrorCode::kNotFound, fmt::format("{}: no sample {}", kWhat, sample.id));
    }
    return Ok();
  });
}

Expected<std::optional<SampleRecord>> SqliteStore::GetSample(int64_t id, bool with_report) {
  constexpr std::string_view kWhat = "GetSample";
  return Locked(kWhat, [&]() -> Expected<std::optional<SampleRecord>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare(fmt::format("SELECT {} FROM malware_samples WHERE id = ?1",
                                         with_report ? kColumns : kListColumns)));
    q.Bind(1, id);
    int rc = q.Step();
    if (rc == SQLITE_DONE) return std::nullopt;
    if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    SampleRecord s = ReadSample(q);
    q.Reset();
    return s;
  });
}

Expected<std::vector<SampleRecord>> SqliteStore::ListSamples(int64_t before_id, int limit) {
  constexpr std::string_view kWhat = "ListSamples";
  return Locked(kWhat, [&]() -> Expected<std::vector<SampleRecord>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare(fmt::format("SELECT {} FROM malware_samples WHERE (?1 <= 0 OR id < ?1) "
                                         "ORDER BY id DESC LIMIT ?2",
                                         kListColumns)));
    q.Bind(1, before_id).Bind(2, int64_t{limit > 0 ? limit : -1});
    std::vector<SampleRecord> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.push_back(ReadSample(q));
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return out;
  });
}

Expected<int64_t> SqliteStore::RequeueRunningSamples() {
  constexpr std::string_view kWhat = "RequeueRunningSamples";
  return Locked(kWhat, [&]() -> Expected<int64_t> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("UPDATE malware_samples SET status = 'queued', started_at = 0 "
                             "WHERE status = 'running'"));
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    return db_.changes();
  });
}

}  // namespace mamori::store::sqlite
