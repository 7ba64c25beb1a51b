// SqliteStore: the SQLite implementation of store::Store, private to src/store.
//
// Callers get it through OpenSqliteStore() (store/store.h) and see only the Store interface.
// The object owns one SQLite connection (WAL mode; foreign keys declared but not enforced, see
// migrations/0001_initial.sql) and its cache of prepared statements. Every public call takes the
// internal mutex for its whole duration, so one SqliteStore may be shared by several threads;
// other processes may open the same file, and SQLite's file locks (with busy_timeout) arbitrate
// between them. Work that needs no database (validating and hashing a snapshot) is done before
// the mutex is taken.
//
// Listing history: an open interval has NULL last_seen/delisted_at, and its reported last_seen
// is its source's last_success_at, so a refresh that changes nothing writes one row. See
// ApplySnapshot() in sqlite_store.cc for how the diff is computed while streaming the stored
// snapshot (never holding it in memory).
#pragma once

#include <fmt/format.h>

#include <memory>
#include <mutex>
#include <optional>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace mamori::store::sqlite {

class SqliteStore final : public Store {
 public:
  static Expected<std::unique_ptr<Store>> Open(const std::string& path,
                                               const SqliteOptions& options);

  Expected<SourceRecord> AddSource(const SourceRecord& source) override;
  Status UpdateSource(const SourceRecord& source) override;
  Expected<std::optional<SourceRecord>> GetSource(std::string_view name) override;
  Expected<std::vector<SourceRecord>> ListSources() override;
  Status RemoveSource(std::string_view name) override;
  Status RecordFetch(int64_t source_id, const FetchRecord& fetch) override;

  Expected<SnapshotDiff> ApplySnapshot(int64_t source_id, const std::vector<ListingEntry>& entries,
                                       UnixSeconds now) override;
  Expected<SnapshotDiff> AddListings(int64_t source_id, const std::vector<ListingEntry>& entries,
                                     UnixSeconds now) override;
  Expected<std::vector<ListingEntry>> CurrentListings(int64_t source_id) override;
  Expected<std::optional<IndicatorHistory>> Lookup(const Indicator& indicator) override;
  Expected<std::vector<IndicatorHistory>> LookupCoveringCidrs(std::string_view address) override;

  Expected<int64_t> AddSighting(const Sighting& sighting) override;
  Expected<int64_t> AddAllowlistEntry(const AllowlistEntry& entry) override;
  Expected<std::vector<AllowlistEntry>> ListAllowlist() override;
  Status RemoveAllowlistEntry(int64_t id) override;

  Status ForEachListing(UnixSeconds closed_since,
                        const std::function<bool(const ListingRow&)>& fn) override;
  Expected<std::vector<SightingSummary>> SummarizeSightings(UnixSeconds since) override;
  Expected<int64_t> RecordBlocklistBuild(const BlocklistBuildRecord& build,
                                         const std::vector<BlocklistBuildEntry>& entries,
                                         int keep_entries_of) override;
  Expected<std::vector<BlocklistBuildRecord>> ListBlocklistBuilds(std::string_view profile,
                                                                  int limit) override;
  Expected<std::vector<BlocklistBuildEntry>> LastBlocklistEntries(std::string_view profile) override;

  Expected<int64_t> UpsertDetection(const DetectionRecord& detection) override;
  Expected<std::vector<int64_t>> RecordDetections(const std::vector<DetectionRecord>& detections,
                                                  const std::vector<Sighting>& sightings) override;
  Expected<std::vector<DetectionRecord>> ListDetections(const DetectionQuery& query) override;
  Expected<std::optional<DetectionRecord>> GetDetection(int64_t id) override;
  Expected<DetectionSummary> SummarizeDetections(const DetectionSummaryQuery& query) override;
  Expected<int64_t> CloseOngoingDetections(std::string_view input) override;
  Expected<std::optional<CollectorOffset>> GetCollectorOffset(std::string_view input) override;
  Status SaveCollectorOffset(const CollectorOffset& offset) override;

  Expected<AuditEntry> AppendAudit(const AuditEntry& entry) override;
  Expected<std::vector<AuditEntry>> ListAudit(int64_t before_id, int limit) override;
  Expected<AuditVerification> VerifyAudit() override;

  Expected<ActionRecord> AddAction(const ActionRecord& action) override;
  Status UpdateAction(const ActionRecord& action) override;
  Expected<std::optional<ActionRecord>> GetAction(int64_t id) override;
  Expected<std::vector<ActionRecord>> ListActions(const ActionQuery& query) override;
  Expected<std::vector<std::pair<std::string, int64_t>>> CountActionsByState() override;
  Expected<std::optional<std::string>> GetSetting(std::string_view key) override;
  Status SetSetting(std::string_view key, std::string_view value, UnixSeconds now) override;

  Expected<UserRecord> AddUser(const UserRecord& user) override;
  Status UpdateUser(const UserRecord& user) override;
  Expected<std::optional<UserRecord>> GetUser(std::string_view name) override;
  Expected<std::vector<UserRecord>> ListUsers() override;
  Status RemoveUser(std::string_view name) override;
  Status AddSession(const SessionRecord& session) override;
  Expected<std::optional<SessionRecord>> GetSession(std::string_view id_hash) override;
  Status TouchSession(std::string_view id_hash, UnixSeconds now) override;
  Status RemoveSession(std::string_view id_hash) override;
  Expected<int64_t> RemoveUserSessions(std::string_view user) override;
  Expected<ApiTokenRecord> AddApiToken(const ApiTokenRecord& token) override;
  Expected<std::optional<ApiTokenRecord>> GetApiTokenByHash(std::string_view token_hash) override;
  Expected<std::vector<ApiTokenRecord>> ListApiTokens() override;
  Status RevokeApiToken(int64_t id, UnixSeconds now) override;
  Status TouchApiToken(int64_t id, UnixSeconds now) override;

  Expected<SampleRecord> AddSample(const SampleRecord& sample) override;  // samples.cc
  Expected<std::optional<SampleRecord>> ClaimNextSample(UnixSeconds now) override;
  Status FinishSample(const SampleRecord& sample) override;
  Expected<std::optional<SampleRecord>> GetSample(int64_t id, bool with_report) override;
  Expected<std::vector<SampleRecord>> ListSamples(int64_t before_id, int limit) override;
  Expected<int64_t> RequeueRunningSamples() override;

  // passive DNS: pdns.cc
  Expected<PdnsMergeStats> MergePdns(const std::vector<PdnsRrset>& rrsets) override;
  Status ForEachPdns(const std::function<bool(const PdnsRrset&)>& fn) override;
  Expected<std::vector<PdnsRrset>> PdnsByName(std::string_view name) override;
  Expected<std::vector<PdnsRrset>> PdnsByRegistered(std::string_view registered) override;
  Expected<std::vector<PdnsRrset>> PdnsByRdata(std::string_view rdata, int limit) override;

  // domain lifecycle: domain_lifecycle.cc
  Status ApplyPopularitySnapshot(std::string_view list, Day day,
                                 const std::vector<std::pair<std::string, int32_t>>& ranked) override;
  Status ApplyZoneSnapshot(std::string_view zone, Day day,
                           const std::vector<std::string>& domains) override;
  Expected<std::vector<SnapshotDay>> ListSnapshotDays(std::string_view kind) override;
  Status ForEachPopularityInterval(
      const std::function<bool(const PopularityInterval&)>& fn) override;
  Status ForEachZoneInterval(const std::function<bool(const ZoneInterval&)>& fn) override;
  Expected<std::vector<PopularityInterval>> PopularityOf(std::string_view domain) override;
  Expected<std::vector<ZoneInterval>> ZoneIntervalsOf(std::string_view domain) override;
  Status AddRegistrations(const std::vector<RegistrationObservation>& observations) override;
  Status ForEachRegistration(
      const std::function<bool(const RegistrationObservation&)>& fn) override;
  Expected<std::vector<RegistrationObservation>> RegistrationsOf(std::string_view domain) override;
  Status AddDomainLabels(const std::vector<DomainLabel>& labels) override;
  Status ForEachDomainLabel(const std::function<bool(const DomainLabel&)>& fn) override;
  Expected<std::vector<DomainLabel>> LabelsOf(std::string_view domain) override;

  Expected<StoreStats> Stats() override;

 private:
  explicit SqliteStore(Connection connection) : db_(std::move(connection)) {}

  // Runs `body` under the mutex and turns any exception (bad_alloc, fmt) into an Error, so
  // none crosses the library boundary.
  template <typename Body>
  auto Locked(std::string_view what, Body&& body) -> decltype(body());

  // The helpers below expect the mutex held (and, where they write, a transaction open).
  Expected<std::optional<SourceRecord>> ReadSource(std::string_view name);
  // The source's last_success_at; kNotFound when there is no source with this id.
  Expected<UnixSeconds> SourceLastSuccess(int64_t source_id, std::string_view what);
  Expected<IndicatorHistory> ReadHistory(int64_t indicator_id, Indicator indicator,
                                         UnixSeconds first_seen);
  Expected<int64_t> InsertSighting(const Sighting& sighting, std::string_view what);
  Expected<int64_t> UpsertDetectionRow(const DetectionRecord& detection, std::string_view what);

  std::mutex mutex_;
  Connection db_;
};

// Runs `body` and turns any exception (bad_alloc, fmt) into an Error, so none crosses the
// library boundary.
template <typename Body>
auto Guarded(std::string_view what, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return MakeError(ErrorCode::kInternal, fmt::format("{}: out of memory", what));
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, fmt::format("{}: {}", what, e.what()));
  }
}

template <typename Body>
auto SqliteStore::Locked(std::string_view what, Body&& body) -> decltype(body()) {
  std::lock_guard lock(mutex_);
  return Guarded(what, std::forward<Body>(body));
}

}  // namespace mamori::store::sqlite
