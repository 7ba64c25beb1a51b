// store::Store: every persistent read and write of mamori goes through this interface.
//
// The default backend is SQLite (WAL mode) in one file, opened with OpenSqliteStore(); a
// PostgreSQL backend for scale-out will implement the same interface, so callers must not
// assume one process owns the data. Schema migrations (src/store/migrations/NNNN_*.sql,
// embedded in the binary) are applied when a store is opened. All SQL uses prepared statements;
// multi-row writes run in one transaction, so a failed update leaves the previous state intact.
//
// Thread-safety: one Store object may be used from several threads; the SQLite backend
// serializes calls on an internal mutex. Separate processes may open the same file.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "store/domain_records.h"
#include "store/records.h"

namespace mamori::store {

class Store {
 public:
  virtual ~Store() = default;

  // --- sources ---
  // Fails with kAlreadyExists when the name is taken. Returns the stored record (with id).
  virtual Expected<SourceRecord> AddSource(const SourceRecord& source) = 0;
  // Updates the configuration fields (url, format, reliability, category, refresh, license,
  // options, enabled) of the source with `source.name`.
  virtual Status UpdateSource(const SourceRecord& source) = 0;
  virtual Expected<std::optional<SourceRecord>> GetSource(std::string_view name) = 0;
  virtual Expected<std::vector<SourceRecord>> ListSources() = 0;
  // Removes the source and its listing intervals; indicators listed by no one else remain
  // (their sightings and other sources' history are kept).
  virtual Status RemoveSource(std::string_view name) = 0;
  virtual Status RecordFetch(int64_t source_id, const FetchRecord& fetch) = 0;

  // --- listing history ---
  // Makes `entries` the current snapshot of the source at time `now`, in one transaction:
  // indicators not currently listed by the source open a new interval (first listing or
  // relisting), currently listed ones missing from `entries` are closed (delisted_at = now,
  // last_seen = the source's previous last_success_at), the rest are unchanged. Duplicate
  // entries are allowed (first one wins). Also sets the source's last_success_at = now.
  virtual Expected<SnapshotDiff> ApplySnapshot(int64_t source_id,
                                               const std::vector<ListingEntry>& entries,
                                               UnixSeconds now) = 0;
  // Adds listings without closing anything (for one-shot imports that are not full snapshots).
  virtual Expected<SnapshotDiff> AddListings(int64_t source_id,
                                             const std::vector<ListingEntry>& entries,
                                             UnixSeconds now) = 0;
  // The indicators the source lists now.
  virtual Expected<std::vector<ListingEntry>> CurrentListings(int64_t source_id) = 0;
  // Full history of one indicator, or nullopt when the store has never seen it.
  virtual Expected<std::optional<IndicatorHistory>> Lookup(const Indicator& indicator) = 0;
  // CIDR indicators (any source, any time) that contain `address` (text form of an IPv4/IPv6).
  virtual Expected<std::vector<IndicatorHistory>> LookupCoveringCidrs(std::string_view address) = 0;

  // --- sightings and allowlists ---
  virtual Expected<int64_t> AddSighting(const Sighting& sighting) = 0;
  virtual Expected<int64_t> AddAllowlistEntry(const AllowlistEntry& entry) = 0;
  virtual Expected<std::vector<AllowlistEntry>> ListAllowlist() = 0;
  virtual Status RemoveAllowlistEntry(int64_t id) = 0;

  // --- bulk reads for blocklist builds ---
  // Calls `fn` for every listing interval of an enabled source that is open, or was closed at or
  // after `closed_since`, grouped by indicator (ascending indicator_id). `fn` returns false to
  // stop early.
  virtual Status ForEachListing(UnixSeconds closed_since,
                                const std::function<bool(const ListingRow&)>& fn) = 0;
  // Sightings observed at or after `since`, summed per indicator.
  virtual Expected<std::vector<SightingSummary>> SummarizeSightings(UnixSeconds since) = 0;

  // --- blocklist builds ---
  // Records a build (and, for a successful one, its entries); keeps the entries of only the
  // newest `keep_entries_of` successful builds per profile. Returns the build id.
  virtual Expected<int64_t> RecordBlocklistBuild(const BlocklistBuildRecord& build,
                                                 const std::vector<BlocklistBuildEntry>& entries,
                                                 int keep_entries_of = 2) = 0;
  // Newest builds of a profile (any status), newest first.
  virtual Expected<std::vector<BlocklistBuildRecord>> ListBlocklistBuilds(std::string_view profile,
                                                                          int limit) = 0;
  // Entries of the newest successful build of a profile (empty when there is none).
  virtual Expected<std::vector<BlocklistBuildEntry>> LastBlocklistEntries(
      std::string_view profile) = 0;

  // --- detections (migration 0004) ---
  // Inserts the detection, or updates the row with the same (rule_id, group_value, input,
  // first_time): an ongoing detection is written when it opens and again as it grows and when it
  // closes. Returns the row id; `detection.id` is ignored.
  virtual Expected<int64_t> UpsertDetection(const DetectionRecord& detection) = 0;
  // Newest first (by id), filtered.
  // Writes several detections (upserts as above) and sightings in one transaction — what a
  // detection pipeline has to write after a batch of lines, at one commit's cost. Returns the
  // detections' row ids in order. All or nothing.
  virtual Expected<std::vector<int64_t>> RecordDetections(
      const std::vector<DetectionRecord>& detections, const std::vector<Sighting>& sightings) = 0;
  virtual Expected<std::vector<DetectionRecord>> ListDetections(const DetectionQuery& query) = 0;
  virtual Expected<std::optional<DetectionRecord>> GetDetection(int64_t id) = 0;
  // Counts for dashboards (records.h, DetectionSummaryQuery): per level, per time bucket and
  // level, and per group value and rule — aggregated in the store, reading no evidence.
  virtual Expected<DetectionSummary> SummarizeDetections(const DetectionSummaryQuery& query) = 0;
  // Marks every ongoing detection of `input` closed (a collector restarting cannot continue the
  // windows it had in memory). Returns how many were closed.
  virtual Expected<int64_t> CloseOngoingDetections(std::string_view input) = 0;

  // --- followed log files ---
  virtual Expected<std::optional<CollectorOffset>> GetCollectorOffset(std::string_view input) = 0;
  virtual Status SaveCollectorOffset(const CollectorOffset& offset) = 0;

  // --- audit log (migration 0005): append-only, hash-chained ---
  // Appends `entry` (id, prev_hash and hash are set here; `at` as given) and returns it whole.
  virtual Expected<AuditEntry> AppendAudit(const AuditEntry& entry) = 0;
  // Newest first; `before_id` > 0 pages.
  virtual Expected<std::vector<AuditEntry>> ListAudit(int64_t before_id, int limit) = 0;
  // Recomputes every row's hash in order and checks the links.
  virtual Expected<AuditVerification> VerifyAudit() = 0;

  // --- response actions and recommendations (migration 0006) ---
  // Inserts `action` (its id is ignored) and returns it with its id.
  virtual Expected<ActionRecord> AddAction(const ActionRecord& action) = 0;
  // Rewrites every field of the action with `action.id`; kNotFound when there is none.
  virtual Status UpdateAction(const ActionRecord& action) = 0;
  virtual Expected<std::optional<ActionRecord>> GetAction(int64_t id) = 0;
  virtual Expected<std::vector<ActionRecord>> ListActions(const ActionQuery& query) = 0;
  // Counts per state (for dashboards and /metrics).
  virtual Expected<std::vector<std::pair<std::string, int64_t>>> CountActionsByState() = 0;

  // --- settings that change at run time and survive restarts (kill switch, ...) ---
  virtual Expected<std::optional<std::string>> GetSetting(std::string_view key) = 0;
  virtual Status SetSetting(std::string_view key, std::string_view value, UnixSeconds now) = 0;

  // --- accounts (migration 0007) ---
  // Users by unique name; kAlreadyExists when the name is taken. Returns the record with its id.
  virtual Expected<UserRecord> AddUser(const UserRecord& user) = 0;
  // Rewrites role, password_hash and disabled of the user `user.name`; kNotFound when unknown.
  virtual Status UpdateUser(const UserRecord& user) = 0;
  virtual Expected<std::optional<UserRecord>> GetUser(std::string_view name) = 0;
  virtual Expected<std::vector<UserRecord>> ListUsers() = 0;
  // Removes the user and its sessions; kNotFound when unknown.
  virtual Status RemoveUser(std::string_view name) = 0;
  // Sessions are looked up by the hash of their id only. AddSession also deletes every session
  // that expired before `session.created_at`, so the table cannot grow without bound.
  virtual Status AddSession(const SessionRecord& session) = 0;
  virtual Expected<std::optional<SessionRecord>> GetSession(std::string_view id_hash) = 0;
  virtual Status TouchSession(std::string_view id_hash, UnixSeconds now) = 0;
  virtual Status RemoveSession(std::string_view id_hash) = 0;
  // Logs the user out everywhere (password change, role change, disabling). Returns how many.
  virtual Expected<int64_t> RemoveUserSessions(std::string_view user) = 0;
  // API tokens: returns the record with its id.
  virtual Expected<ApiTokenRecord> AddApiToken(const ApiTokenRecord& token) = 0;
  virtual Expected<std::optional<ApiTokenRecord>> GetApiTokenByHash(
      std::string_view token_hash) = 0;
  virtual Expected<std::vector<ApiTokenRecord>> ListApiTokens() = 0;
  // Sets revoked_at (once; revoking again keeps the first time); kNotFound when unknown.
  virtual Status RevokeApiToken(int64_t id, UnixSeconds now) = 0;
  virtual Status TouchApiToken(int64_t id, UnixSeconds now) = 0;

  // --- malware samples and their analysis queue (migration 0009) ---
  // Inserts `sample` (its id is ignored) and returns it with its id.
  virtual Expected<SampleRecord> AddSample(const SampleRecord& sample) = 0;
  // Atomically marks the oldest queued sample running (started_at = now) and returns it; nullopt
  // when none is queued. Safe with several claimers, also in other processes.
  virtual Expected<std::optional<SampleRecord>> ClaimNextSample(UnixSeconds now) = 0;
  // Writes status, report_status, summary, report, error and finished_at of `sample.id`.
  virtual Status FinishSample(const SampleRecord& sample) = 0;
  virtual Expected<std::optional<SampleRecord>> GetSample(int64_t id, bool with_report) = 0;
  // Newest first, without reports; `before_id` > 0 pages.
  virtual Expected<std::vector<SampleRecord>> ListSamples(int64_t before_id, int limit) = 0;
  // Puts samples left running (by a process that stopped) back in the queue; returns how many.
  virtual Expected<int64_t> RequeueRunningSamples() = 0;

  // --- passive DNS (migration 0010; store/domain_records.h) ---
  // Merges aggregated rrsets in one transaction: a (name, rrtype, rdata) the store has keeps the
  // earliest first_seen and latest last_seen, and the counts add up. All or nothing.
  virtual Expected<PdnsMergeStats> MergePdns(const std::vector<PdnsRrset>& rrsets) = 0;
  // Every rrset, in no particular order; `fn` returns false to stop.
  virtual Status ForEachPdns(const std::function<bool(const PdnsRrset&)>& fn) = 0;
  virtual Expected<std::vector<PdnsRrset>> PdnsByName(std::string_view name) = 0;
  // Every rrset whose name is `registered` or under it.
  virtual Expected<std::vector<PdnsRrset>> PdnsByRegistered(std::string_view registered) = 0;
  // Rrsets whose rdata is `rdata` (who else resolved to this address), at most `limit`.
  virtual Expected<std::vector<PdnsRrset>> PdnsByRdata(std::string_view rdata, int limit) = 0;

  // --- domain lifecycle (migration 0011) ---
  // Makes `ranked` (domain, rank) the snapshot of popularity list `list` on `day`, extending the
  // intervals of domains that were in the list's previous snapshot in the same rank band and
  // opening new ones for the rest. kRejected when `day` is not after the list's newest
  // snapshot (snapshots are applied in date order). One transaction.
  virtual Status ApplyPopularitySnapshot(std::string_view list, Day day,
                                         const std::vector<std::pair<std::string, int32_t>>& ranked) = 0;
  // The same for the registered names in a zone (TLD) snapshot.
  virtual Status ApplyZoneSnapshot(std::string_view zone, Day day,
                                   const std::vector<std::string>& domains) = 0;
  // Snapshot days applied, per list ("popularity") or zone ("zone"), oldest first.
  virtual Expected<std::vector<SnapshotDay>> ListSnapshotDays(std::string_view kind) = 0;
  virtual Status ForEachPopularityInterval(
      const std::function<bool(const PopularityInterval&)>& fn) = 0;
  virtual Status ForEachZoneInterval(const std::function<bool(const ZoneInterval&)>& fn) = 0;
  virtual Expected<std::vector<PopularityInterval>> PopularityOf(std::string_view domain) = 0;
  virtual Expected<std::vector<ZoneInterval>> ZoneIntervalsOf(std::string_view domain) = 0;
  // Registration observations (RDAP); an identical repeat of the newest one of a domain is not
  // stored again.
  virtual Status AddRegistrations(const std::vector<RegistrationObservation>& observations) = 0;
  virtual Status ForEachRegistration(
      const std::function<bool(const RegistrationObservation&)>& fn) = 0;
  // Oldest observation first.
  virtual Expected<std::vector<RegistrationObservation>> RegistrationsOf(std::string_view domain) = 0;
  // Labels; the same (domain, malicious, source) again keeps the earliest `at`.
  virtual Status AddDomainLabels(const std::vector<DomainLabel>& labels) = 0;
  virtual Status ForEachDomainLabel(const std::function<bool(const DomainLabel&)>& fn) = 0;
  virtual Expected<std::vector<DomainLabel>> LabelsOf(std::string_view domain) = 0;

  virtual Expected<StoreStats> Stats() = 0;
};

// The hash of an audit row: hex SHA-256 over prev_hash and each field, each field written as
// "<byte length>:<bytes>" so that no choice of field contents can collide with another.
std::string AuditHash(const AuditEntry& entry);
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct SqliteOptions {
  int busy_timeout_ms = 5000;
  bool create_parent_directories = true;
};

// Opens (creating if needed) the SQLite store at `path` and applies pending migrations.
// Errors name the file and say what to do (corrupt file, locked by another process, newer
// schema than this binary, unwritable directory). ":memory:" opens a private in-memory store.
Expected<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                 const SqliteOptions& options = {});

}  // namespace mamori::store
