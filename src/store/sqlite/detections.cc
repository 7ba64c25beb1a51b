// SqliteStore: detections and followed-file offsets (store.h, "detections" and "followed log
// files"; schema in migrations/0004_detections_and_offsets.sql).
#include <fmt/format.h>

#include <algorithm>

#include "store/sqlite/sqlite_store.h"

namespace mamori::store::sqlite {
namespace {

// The columns ReadDetection reads; without evidence an empty text stands in for it (lists leave
// it out: 2-3 KB a row that nobody shows).
std::string DetectionColumns(bool with_evidence) {
  return fmt::format(
      "id, rule_id, title, level, group_field, group_value, input, first_time, last_time, count, "
      "distinct_count, ongoing, {}, evidence_dropped, recorded_at, updated_at, target",
      with_evidence ? "evidence" : "''");
}

DetectionRecord ReadDetection(const Query& q) {
  DetectionRecord d;
  d.id = q.Int(0);
  d.rule_id.assign(q.Text(1));
  d.title.assign(q.Text(2));
  d.level.assign(q.Text(3));
  d.group_field.assign(q.Text(4));
  d.group_value.assign(q.Text(5));
  d.input.assign(q.Text(6));
  d.first_time = q.Int(7);
  d.last_time = q.Int(8);
  d.count = q.Int(9);
  d.distinct_count = q.Int(10);
  d.ongoing = q.Int(11) != 0;
  d.evidence_json.assign(q.Text(12));
  d.evidence_dropped = q.Int(13);
  d.recorded_at = q.Int(14);
  d.updated_at = q.Int(15);
  d.target.assign(q.Text(16));
  return d;
}

// Sigma levels in order; the SQL below ranks the stored level names the same way.
constexpr std::string_view kLevels[] = {"informational", "low", "medium", "high", "critical"};

int LevelRank(std::string_view level) {
  for (int i = 0; i < 5; ++i) {
    if (level == kLevels[i]) return i;
  }
  return -1;
}
constexpr std::string_view kLevelRankSql =
    "(CASE level WHEN 'informational' THEN 0 WHEN 'low' THEN 1 WHEN 'medium' THEN 2 "
    "WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE -1 END)";

// The name of a rank of kLevelRankSql; "" for -1 (a level this build does not know).
std::string LevelName(int64_t rank) {
  return rank >= 0 && rank < 5 ? std::string(kLevels[rank]) : std::string();
}

// Separates the targets of one group in SummarizeDetections (ASCII unit separator: not in
// addresses, domains or host names).
constexpr char kTargetSeparator = '\x1f';

}  // namespace

Expected<int64_t> SqliteStore::UpsertDetectionRow(const DetectionRecord& d,
                                                  std::string_view what) {
  if (d.rule_id.empty() || d.input.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: rule_id and input must not be empty", what));
  }
  // recorded_at keeps the first write's time; everything that grows is replaced.
  MAMORI_ASSIGN_OR_RETURN(
      Query q,
      db_.Prepare("INSERT INTO detections (rule_id, title, level, group_field, group_value, "
                  "  input, first_time, last_time, count, distinct_count, ongoing, evidence, "
                  "  evidence_dropped, recorded_at, updated_at, target) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15) "
                  "ON CONFLICT (rule_id, group_value, input, first_time) DO UPDATE SET "
                  "  title = excluded.title, level = excluded.level, "
                  "  last_time = max(last_time, excluded.last_time), "
                  "  count = max(count, excluded.count), "
                  "  distinct_count = max(distinct_count, excluded.distinct_count), "
                  "  ongoing = excluded.ongoing, evidence = excluded.evidence, "
                  "  evidence_dropped = excluded.evidence_dropped, "
                  "  updated_at = excluded.updated_at, "
                  "  target = CASE WHEN target = '' THEN excluded.target ELSE target END "
                  "RETURNING id"));
  q.Bind(1, d.rule_id)
      .Bind(2, d.title)
      .Bind(3, d.level)
      .Bind(4, d.group_field)
      .Bind(5, d.group_value)
      .Bind(6, d.input)
      .Bind(7, d.first_time)
      .Bind(8, d.last_time)
      .Bind(9, d.count)
      .Bind(10, d.distinct_count)
      .Bind(11, int64_t{d.ongoing ? 1 : 0})
      .Bind(12, d.evidence_json)
      .Bind(13, d.evidence_dropped)
      .Bind(14, d.updated_at)
      .Bind(15, d.target);
  int rc = q.Step();
  if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, what));
  int64_t id = q.Int(0);
  q.Reset();
  return id;
}

Expected<int64_t> SqliteStore::UpsertDetection(const DetectionRecord& d) {
  constexpr std::string_view kWhat = "UpsertDetection";
  return Locked(kWhat, [&]() -> Expected<int64_t> {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
    MAMORI_ASSIGN_OR_RETURN(int64_t id, UpsertDetectionRow(d, kWhat));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return id;
  });
}

Expected<std::vector<int64_t>> SqliteStore::RecordDetections(
    const std::vector<DetectionRecord>& detections, const std::vector<Sighting>& sightings) {
  constexpr std::string_view kWhat = "RecordDetections";
  return Locked(kWhat, [&]() -> Expected<std::vector<int64_t>> {
    std::vector<int64_t> ids;
    if (detections.empty() && sightings.empty()) return ids;
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
    ids.reserve(detections.size());
    for (const auto& d : detections) {
      MAMORI_ASSIGN_OR_RETURN(int64_t id, UpsertDetectionRow(d, kWhat));
      ids.push_back(id);
    }
    for (const auto& s : sightings) MAMORI_RETURN_IF_ERROR(InsertSighting(s, kWhat));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return ids;
  });
}

Expected<std::vector<DetectionRecord>> SqliteStore::ListDetections(const DetectionQuery& query) {
  constexpr std::string_view kWhat = "ListDetections";
  int min_rank = -1;
  if (!query.min_level.empty()) {
    min_rank = LevelRank(query.min_level);
    if (min_rank < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("{}: unknown level '{}' (informational, low, medium, high, "
                                   "critical)",
                                   kWhat, query.min_level));
    }
  }
  return Locked(kWhat, [&]() -> Expected<std::vector<DetectionRecord>> {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kRead, kWhat));
    // One statement with every filter written so that an unused one is always true: the
    // statement cache then holds a single prepared query.
    MAMORI_ASSIGN_OR_RETURN(
        Query q,
        db_.Prepare(fmt::format(
            "SELECT {} FROM detections WHERE last_time >= ?1 AND (?2 = 0 OR first_time < ?2) "
            "AND (?3 = '' OR rule_id = ?3) AND (?4 = '' OR group_value = ?4) "
            "AND {} >= ?5 AND (?6 = 0 OR ongoing = 1) AND (?7 = 0 OR id < ?7) "
            "ORDER BY id DESC LIMIT ?8",
            DetectionColumns(query.with_evidence), kLevelRankSql)));
    q.Bind(1, query.since)
        .Bind(2, query.until)
        .Bind(3, query.rule_id)
        .Bind(4, query.group_value)
        .Bind(5, int64_t{min_rank})
        .Bind(6, int64_t{query.ongoing_only ? 1 : 0})
        .Bind(7, query.before_id)
        .Bind(8, int64_t{query.limit > 0 ? query.limit : -1});
    std::vector<DetectionRecord> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.push_back(ReadDetection(q));
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return out;
  });
}

Expected<std::optional<DetectionRecord>> SqliteStore::GetDetection(int64_t id) {
  constexpr std::string_view kWhat = "GetDetection";
  return Locked(kWhat, [&]() -> Expected<std::optional<DetectionRecord>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q,
        db_.Prepare(fmt::format("SELECT {} FROM detections WHERE id = ?1", DetectionColumns(true))));
    q.Bind(1, id);
    int rc = q.Step();
    if (rc == SQLITE_DONE) return std::optional<DetectionRecord>();
    if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    DetectionRecord d = ReadDetection(q);
    q.Reset();
    return std::optional<DetectionRecord>(std::move(d));
  });
}

Expected<DetectionSummary> SqliteStore::SummarizeDetections(const DetectionSummaryQuery& query) {
  constexpr std::string_view kWhat = "SummarizeDetections";
  if (query.bucket_micros <= 0 || query.bucket_count <= 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: bucket_micros and bucket_count must be positive", kWhat));
  }
  return Locked(kWhat, [&]() -> Expected<DetectionSummary> {
    // Both reads see the same snapshot.
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kRead, kWhat));
    DetectionSummary out;
    {
      // Per (time bucket, level); the totals are their sums.
      MAMORI_ASSIGN_OR_RETURN(
          Query q,
          db_.Prepare("SELECT (min(max(first_time, ?2), ?3 - 1) - ?2) / ?4 AS bucket, level, "
                      "count(*), sum(count), sum(ongoing != 0) "
                      "FROM detections WHERE last_time >= ?1 GROUP BY bucket, level "
                      "ORDER BY bucket, level"));
      q.Bind(1, query.since)
          .Bind(2, query.bucket_start)
          .Bind(3, query.bucket_start + query.bucket_count * query.bucket_micros)
          .Bind(4, query.bucket_micros);
      std::vector<std::pair<std::string, int64_t>>& by_level = out.by_level;
      int rc;
      while ((rc = q.Step()) == SQLITE_ROW) {
        DetectionBucketCount b{.bucket = q.Int(0), .level = q.String(1), .detections = q.Int(2)};
        out.detections += b.detections;
        out.events += q.Int(3);
        out.ongoing += q.Int(4);
        auto it = std::find_if(by_level.begin(), by_level.end(),
                               [&](const auto& p) { return p.first == b.level; });
        if (it == by_level.end()) {
          by_level.emplace_back(b.level, b.detections);
        } else {
          it->second += b.detections;
        }
        out.buckets.push_back(std::move(b));
      }
      if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
      std::sort(by_level.begin(), by_level.end());
    }
    {
      // Per (group value, rule), with the distinct targets: the inner query makes them
      // distinct, the outer one joins them.
      MAMORI_ASSIGN_OR_RETURN(
          Query q,
          db_.Prepare(fmt::format(
              "SELECT group_value, rule_id, sum(n), sum(events), max(ongoing), max(rank), "
              "  min(first), max(last), max(latest), "
              "  group_concat(CASE WHEN target != '' THEN target END, char(31)) "
              "FROM (SELECT group_value, rule_id, target, count(*) AS n, sum(count) AS events, "
              "        max(ongoing) AS ongoing, max({}) AS rank, min(first_time) AS first, "
              "        max(last_time) AS last, max(id) AS latest "
              "      FROM detections WHERE last_time >= ?1 AND group_value != '' "
              "      GROUP BY group_value, rule_id, target) "
              "GROUP BY group_value, rule_id ORDER BY group_value, rule_id",
              kLevelRankSql)));
      q.Bind(1, query.since);
      int rc;
      while ((rc = q.Step()) == SQLITE_ROW) {
        DetectionGroupStats g;
        g.group_value = q.String(0);
        g.rule_id = q.String(1);
        g.detections = q.Int(2);
        g.events = q.Int(3);
        g.ongoing = q.Int(4) != 0;
        g.max_level = LevelName(q.Int(5));
        g.first_time = q.Int(6);
        g.last_time = q.Int(7);
        g.latest_id = q.Int(8);
        std::string_view targets = q.Text(9);
        while (!targets.empty()) {
          size_t end = targets.find(kTargetSeparator);
          g.targets.emplace_back(targets.substr(0, end));
          targets.remove_prefix(end == std::string_view::npos ? targets.size() : end + 1);
        }
        std::sort(g.targets.begin(), g.targets.end());
        out.groups.push_back(std::move(g));
      }
      if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    }
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return out;
  });
}

Expected<int64_t> SqliteStore::CloseOngoingDetections(std::string_view input) {
  constexpr std::string_view kWhat = "CloseOngoingDetections";
  return Locked(kWhat, [&]() -> Expected<int64_t> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("UPDATE detections SET ongoing = 0 WHERE ongoing = 1 AND input = ?1"));
    q.Bind(1, input);
    MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
    return static_cast<int64_t>(sqlite3_changes(db_.handle()));
  });
}

Expected<std::optional<CollectorOffset>> SqliteStore::GetCollectorOffset(std::string_view input) {
  constexpr std::string_view kWhat = "GetCollectorOffset";
  return Locked(kWhat, [&]() -> Expected<std::optional<CollectorOffset>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("SELECT input, device, inode, offset, fingerprint, updated_at "
                             "FROM collector_offsets WHERE input = ?1"));
    q.Bind(1, input);
    int rc = q.Step();
    if (rc == SQLITE_DONE) return std::optional<CollectorOffset>();
    if (rc != SQLITE_ROW) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    CollectorOffset o;
    o.input.assign(q.Text(0));
    o.device = static_cast<uint64_t>(q.Int(1));
    o.inode = static_cast<uint64_t>(q.Int(2));
    o.offset = static_cast<uint64_t>(q.Int(3));
    o.fingerprint.assign(q.Text(4));
    o.updated_at = q.Int(5);
    q.Reset();
    return std::optional<CollectorOffset>(std::move(o));
  });
}

Status SqliteStore::SaveCollectorOffset(const CollectorOffset& o) {
  constexpr std::string_view kWhat = "SaveCollectorOffset";
  if (o.input.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("{}: empty input name", kWhat));
  }
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT INTO collector_offsets "
                             "(input, device, inode, offset, fingerprint, updated_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (input) DO UPDATE SET "
                             "device = excluded.device, inode = excluded.inode, "
                             "offset = excluded.offset, fingerprint = excluded.fingerprint, "
                             "updated_at = excluded.updated_at"));
    q.Bind(1, o.input)
        .Bind(2, static_cast<int64_t>(o.device))
        .Bind(3, static_cast<int64_t>(o.inode))
        .Bind(4, static_cast<int64_t>(o.offset))
        .Bind(5, o.fingerprint)
        .Bind(6, o.updated_at);
    return db_.Run(q, kWhat);
  });
}

}  // namespace mamori::store::sqlite
