// SqliteStore: the bulk reads and build records behind blocklist builds (store.h, "bulk reads
// for blocklist builds" and "blocklist builds").
#include <fmt/format.h>

#include "store/sqlite/sqlite_store.h"

namespace mamori::store::sqlite {

Status SqliteStore::ForEachListing(UnixSeconds closed_since,
                                   const std::function<bool(const ListingRow&)>& fn) {
  constexpr std::string_view kWhat = "ForEachListing";
  return Locked(kWhat, [&]() -> Status {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kRead, kWhat));
    // Walks listing_intervals_by_indicator, so rows arrive grouped by indicator without a sort;
    // indicators and sources are rowid lookups.
    MAMORI_ASSIGN_OR_RETURN(
        Query q,
        db_.Prepare("SELECT li.indicator_id, i.type, i.value, li.source_id, li.first_listed, "
                    "  coalesce(li.last_seen, max(li.first_listed, s.last_success_at)), "
                    "  coalesce(li.delisted_at, 0), li.category, li.confidence "
                    "FROM listing_intervals li INDEXED BY listing_intervals_by_indicator "
                    "JOIN indicators i ON i.id = li.indicator_id "
                    "JOIN sources s ON s.id = li.source_id "
                    "WHERE s.enabled = 1 AND (li.delisted_at IS NULL OR li.delisted_at >= ?1) "
                    "ORDER BY li.indicator_id"));
    q.Bind(1, closed_since);
    ListingRow row;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      row.indicator_id = q.Int(0);
      row.indicator.type = static_cast<IndicatorType>(q.Int(1));
      row.indicator.value.assign(q.Text(2));
      row.source_id = q.Int(3);
      row.first_listed = q.Int(4);
      row.last_seen = q.Int(5);
      row.delisted_at = q.Int(6);
      row.category.assign(q.Text(7));
      row.confidence = q.IsNull(8) ? -1 : static_cast<int>(q.Int(8));
      if (!fn(row)) break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return tx.Commit();
  });
}

Expected<std::vector<SightingSummary>> SqliteStore::SummarizeSightings(UnixSeconds since) {
  constexpr std::string_view kWhat = "SummarizeSightings";
  return Locked(kWhat, [&]() -> Expected<std::vector<SightingSummary>> {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kRead, kWhat));
    // Observers named "malware:…" or "analysis:…" are our own analyses; everything else is a
    // log source.
    MAMORI_ASSIGN_OR_RETURN(
        Query q,
        db_.Prepare("SELECT i.type, i.value, "
                    "  sum(CASE WHEN own THEN 0 ELSE count END), "
                    "  max(CASE WHEN own THEN 0 ELSE observed_at END), "
                    "  sum(CASE WHEN own THEN count ELSE 0 END), "
                    "  max(CASE WHEN own THEN observed_at ELSE 0 END) "
                    "FROM (SELECT indicator_id, count, observed_at, "
                    "        (observer LIKE 'malware:%' OR observer LIKE 'analysis:%') AS own "
                    "      FROM sightings WHERE observed_at >= ?1) "
                    "JOIN indicators i ON i.id = indicator_id "
                    "GROUP BY indicator_id ORDER BY indicator_id"));
    q.Bind(1, since);
    std::vector<SightingSummary> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      SightingSummary& s = out.emplace_back();
      s.indicator.type = static_cast<IndicatorType>(q.Int(0));
      s.indicator.value = q.String(1);
      s.hits = q.Int(2);
      s.last_hit = q.Int(3);
      s.own_findings = q.Int(4);
      s.last_finding = q.Int(5);
    }
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return out;
  });
}

Expected<int64_t> SqliteStore::RecordBlocklistBuild(const BlocklistBuildRecord& build,
                                                    const std::vector<BlocklistBuildEntry>& entries,
                                                    int keep_entries_of) {
  constexpr std::string_view kWhat = "RecordBlocklistBuild";
  if (build.profile.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("{}: no profile name", kWhat));
  }
  if (build.status != "ok" && build.status != "failed") {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{}: status must be ok or failed, not '{}'", kWhat, build.status),
                     build.profile);
  }
  return Locked(kWhat, [&]() -> Expected<int64_t> {
    MAMORI_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_, Transaction::Mode::kWrite, kWhat));
    int64_t id = 0;
    {
      MAMORI_ASSIGN_OR_RETURN(
          Query q, db_.Prepare("INSERT INTO blocklist_builds (profile, built_at, status, error, "
                               "entries, total_priority, covered_priority, report_json) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
      q.Bind(1, build.profile)
          .Bind(2, build.built_at)
          .Bind(3, build.status)
          .Bind(4, build.error)
          .Bind(5, build.entries)
          .BindDouble(6, build.total_priority)
          .BindDouble(7, build.covered_priority)
          .Bind(8, build.report_json);
      MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
      id = db_.last_insert_rowid();
    }
    if (build.status == "ok") {
      MAMORI_ASSIGN_OR_RETURN(
          Query q, db_.Prepare("INSERT INTO blocklist_build_entries (build_id, type, value, "
                               "priority) VALUES (?1, ?2, ?3, ?4)"));
      for (const BlocklistBuildEntry& entry : entries) {
        q.Bind(1, id)
            .Bind(2, static_cast<int64_t>(entry.indicator.type))
            .Bind(3, entry.indicator.value)
            .BindDouble(4, entry.priority);
        MAMORI_RETURN_IF_ERROR(db_.Run(q, kWhat));
        q.Reset();
      }
      // Only the newest few successful builds keep their entries.
      MAMORI_ASSIGN_OR_RETURN(
          Query prune,
          db_.Prepare("DELETE FROM blocklist_build_entries WHERE build_id IN ("
                      "  SELECT id FROM blocklist_builds WHERE profile = ?1 AND status = 'ok' "
                      "  ORDER BY id DESC LIMIT -1 OFFSET ?2)"));
      prune.Bind(1, build.profile).Bind(2, static_cast<int64_t>(std::max(1, keep_entries_of)));
      MAMORI_RETURN_IF_ERROR(db_.Run(prune, kWhat));
    }
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    return id;
  });
}

Expected<std::vector<BlocklistBuildRecord>> SqliteStore::ListBlocklistBuilds(
    std::string_view profile, int limit) {
  constexpr std::string_view kWhat = "ListBlocklistBuilds";
  return Locked(kWhat, [&]() -> Expected<std::vector<BlocklistBuildRecord>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("SELECT id, profile, built_at, status, error, entries, "
                             "total_priority, covered_priority, report_json "
                             "FROM blocklist_builds WHERE profile = ?1 ORDER BY id DESC LIMIT ?2"));
    q.Bind(1, profile).Bind(2, static_cast<int64_t>(limit));
    std::vector<BlocklistBuildRecord> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      BlocklistBuildRecord& b = out.emplace_back();
      b.id = q.Int(0);
      b.profile = q.String(1);
      b.built_at = q.Int(2);
      b.status = q.String(3);
      b.error = q.String(4);
      b.entries = q.Int(5);
      b.total_priority = q.Double(6);
      b.covered_priority = q.Double(7);
      b.report_json = q.String(8);
    }
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return out;
  });
}

Expected<std::vector<BlocklistBuildEntry>> SqliteStore::LastBlocklistEntries(
    std::string_view profile) {
  constexpr std::string_view kWhat = "LastBlocklistEntries";
  return Locked(kWhat, [&]() -> Expected<std::vector<BlocklistBuildEntry>> {
    MAMORI_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("SELECT type, value, priority FROM blocklist_build_entries "
                             "WHERE build_id = (SELECT max(id) FROM blocklist_builds "
                             "                  WHERE profile = ?1 AND status = 'ok')"));
    q.Bind(1, profile);
    std::vector<BlocklistBuildEntry> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      BlocklistBuildEntry& e = out.emplace_back();
      e.indicator.type = static_cast<IndicatorType>(q.Int(0));
      e.indicator.value = q.String(1);
      e.priority = q.Double(2);
    }
    if (rc != SQLITE_DONE) return tl::unexpected(db_.ErrorFor(rc, kWhat));
    return out;
  });
}

}  // namespace mamori::store::sqlite
