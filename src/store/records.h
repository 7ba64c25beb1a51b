// Plain records that cross the store::Store interface. No behaviour, no SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/indicator.h"

namespace mamori::store {

// A configured threat feed ("source") and its last fetch state.
struct SourceRecord {
  int64_t id = 0;    // assigned by the store
  std::string name;  // unique, [a-z0-9._-]+
  std::string url;   // http(s)://..., file://... or a local path
  std::string
      format;  // feeds::FeedFormat name: plain, hosts, csv, netset, urlhaus-csv, misp, stix, taxii
  int reliability = 50;          // 0..100: how much we trust this source (used by prioritization)
  std::string default_category;  // e.g. "malware", "c2", "phishing", "scanner"; may be empty
  int refresh_seconds = 3600;
  std::string license;
  std::string options_json = "{}";  // format options (CSV columns, TAXII collection, headers, ...)
  bool enabled = true;
  UnixSeconds created_at = 0;

  // Fetch state, written by RecordFetch().
  std::string etag;
  std::string last_modified;
  UnixSeconds last_attempt_at = 0;
  UnixSeconds last_success_at = 0;  // last update whose snapshot was applied or was 304
  std::string last_status;          // "", "ok", "not_modified", "rejected", "error"
  std::string last_error;
  int64_t listed_count = 0;  // indicators currently listed (open intervals); filled on read
  int64_t closed_listings = 0;  // listing intervals the source has closed (delisted), ever
};

// The outcome of one fetch attempt, stored on the source.
struct FetchRecord {
  UnixSeconds attempted_at = 0;
  std::string status;  // "ok", "not_modified", "rejected", "error"
  std::string error;   // empty unless status is rejected/error
  // New validators; written only when status is "ok" (an error keeps the previous ones).
  std::string etag;
  std::string last_modified;
};

// One entry of a source's snapshot: the indicator and what the source says about it.
struct ListingEntry {
  Indicator indicator;
  std::string category;  // empty: the source's default category
  int confidence = -1;   // 0..100; -1 when the source does not say
};

struct SnapshotDiff {
  int64_t added = 0;      // intervals opened (new or relisted)
  int64_t removed = 0;    // intervals closed (delisted)
  int64_t unchanged = 0;  // still listed
};

// One period during which a source listed an indicator.
//   first_listed  the update that first contained it
//   last_seen     the last update that contained it (for an open interval: the source's
//                 last_success_at, because a refresh that changes nothing writes nothing)
//   delisted_at   the update that no longer contained it; 0 while still listed
struct ListingInterval {
  int64_t source_id = 0;
  std::string source_name;
  UnixSeconds first_listed = 0;
  UnixSeconds last_seen = 0;
  UnixSeconds delisted_at = 0;
  std::string category;
  int confidence = -1;
};

// A local observation of an indicator (a hit in our own logs, a finding of our own analysis).
struct Sighting {
  int64_t id = 0;
  Indicator indicator;
  UnixSeconds observed_at = 0;
  std::string observer;  // what saw it, e.g. "nginx:web1", "malware:analysis-17"
  int64_t count = 1;
  std::string context_json = "{}";
};

// A value that must never be blocked.
struct AllowlistEntry {
  int64_t id = 0;
  std::string kind;   // "value" (exact indicator), "cidr", "suffix" (domain and subdomains)
  std::string value;  // normalized
  std::string reason;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;  // 0: never
};

struct IndicatorHistory {
  int64_t indicator_id = 0;
  Indicator indicator;
  UnixSeconds first_seen = 0;              // first time any source listed it
  std::vector<ListingInterval> intervals;  // ordered by source name, then first_listed
  std::vector<Sighting> sightings;         // newest first
};

// One listing interval with its indicator, for scoring every indicator in one pass.
struct ListingRow {
  int64_t indicator_id = 0;
  Indicator indicator;
  int64_t source_id = 0;
  UnixSeconds first_listed = 0;
  UnixSeconds last_seen = 0;    // open intervals: the source's last_success_at
  UnixSeconds delisted_at = 0;  // 0 while listed
  std::string category;         // as the source gave it ("" = the source's default)
  int confidence = -1;
};

// Local sightings of one indicator, summed.
struct SightingSummary {
  Indicator indicator;
  int64_t hits = 0;              // sightings by log observers
  UnixSeconds last_hit = 0;
  int64_t own_findings = 0;      // sightings by our own analyses (observer "malware:…"/"analysis:…")
  UnixSeconds last_finding = 0;
};

// One blocklist build for a device profile (the entries are stored separately).
struct BlocklistBuildRecord {
  int64_t id = 0;
  std::string profile;
  UnixSeconds built_at = 0;
  std::string status;  // "ok" or "failed"
  std::string error;
  int64_t entries = 0;
  double total_priority = 0;
  double covered_priority = 0;
  std::string report_json = "{}";  // the coverage report
};

struct BlocklistBuildEntry {
  Indicator indicator;
  double priority = 0;
};

// A detection: a rule's condition (and threshold) held for a group of events — usually one
// source address. Times are Unix microseconds, as in log events.
struct DetectionRecord {
  int64_t id = 0;
  std::string rule_id;
  std::string title;
  std::string level;        // "informational" … "critical"
  std::string group_field;  // "source.ip"; empty when the rule counts all events as one group
  std::string group_value;  // "203.0.113.7"
  std::string target;       // what was attacked or contacted ("web1", "198.51.100.66"), or ""
  std::string input;        // where the events came from ("file:/var/log/auth.log")
  int64_t first_time = 0;
  int64_t last_time = 0;
  int64_t count = 0;
  int64_t distinct_count = 0;
  bool ongoing = false;
  std::string evidence_json = "[]";  // JSON array of the first matching events
  int64_t evidence_dropped = 0;
  UnixSeconds recorded_at = 0;
  UnixSeconds updated_at = 0;
};

// Filters for ListDetections; empty/zero fields do not filter.
struct DetectionQuery {
  int64_t since = 0;          // last_time at or after (micros)
  int64_t until = 0;          // first_time before (micros); 0 = no bound
  std::string rule_id;
  std::string group_value;
  std::string min_level;      // "medium" = medium, high and critical
  bool ongoing_only = false;
  int64_t before_id = 0;      // paging: only ids below this (results are newest id first)
  int limit = 100;
  // false: evidence_json is left empty (lists show summaries; the evidence is read by
  // GetDetection for one detection).
  bool with_evidence = true;
};

// Dashboard aggregates of the detections with last_time >= `since` (Store::SummarizeDetections),
// computed by the store so that no evidence is read.
struct DetectionSummaryQuery {
  int64_t since = 0;          // micros
  // Time buckets counted by first event time, clamped into [bucket_start, bucket_start +
  // bucket_count * bucket_micros): a detection that began before the first bucket but is still
  // active counts in the first one.
  int64_t bucket_start = 0;   // micros
  int64_t bucket_micros = 3600LL * 1000000;
  int64_t bucket_count = 24;
};

struct DetectionBucketCount {
  int64_t bucket = 0;  // 0 .. bucket_count - 1
  std::string level;
  int64_t detections = 0;
};

// The detections of one group value by one rule (detections without a group value are left out).
struct DetectionGroupStats {
  std::string group_value;
  std::string rule_id;
  int64_t detections = 0;
  int64_t events = 0;        // sum of count
  bool ongoing = false;      // any of them
  std::string max_level;
  int64_t first_time = 0;    // micros, earliest first event
  int64_t last_time = 0;     // micros, latest last event
  int64_t latest_id = 0;     // highest detection id
  std::vector<std::string> targets;  // distinct non-empty targets, sorted
};

struct DetectionSummary {
  // Totals per level over every detection counted (not only the bucketed ones).
  std::vector<std::pair<std::string, int64_t>> by_level;  // level -> detections
  int64_t detections = 0;
  int64_t events = 0;
  int64_t ongoing = 0;
  std::vector<DetectionBucketCount> buckets;  // only non-zero (bucket, level) pairs
  std::vector<DetectionGroupStats> groups;    // ordered by group value, then rule
};

// How far a followed log file has been processed (see migration 0004).
struct CollectorOffset {
  std::string input;       // "file:/var/log/nginx/access.log"
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t offset = 0;     // bytes: the end of the last fully processed line
  std::string fingerprint; // hex digest of the file's first bytes (empty for an empty file)
  UnixSeconds updated_at = 0;
};

// One row of the append-only audit log (migration 0005).
struct AuditEntry {
  int64_t id = 0;
  UnixSeconds at = 0;
  std::string actor;   // "operator:alice", "playbook:ssh-block", "mamori"
  std::string action;  // "approve", "reject", "apply", "rollback", ...
  std::string target;
  std::string details_json = "{}";
  std::string prev_hash;  // set by the store
  std::string hash;       // set by the store
};

// What VerifyAudit found: the chain holds up to `first_bad_id` (0 when all of it holds).
struct AuditVerification {
  int64_t entries = 0;
  int64_t first_bad_id = 0;
  std::string reason;  // why that row is bad
  std::string head_hash;  // the last row's hash ("" for an empty log): keep it elsewhere to
                          // detect a rewritten chain later
};

// One countermeasure of the response engine (rse/respond), from proposal to its end. The store
// keeps every action ever proposed or taken; `state` says where it is:
//   proposed     a recommendation waiting for an operator (approve, modify, reject)
//   pending      decided (automatic, or approved) and not yet carried out, or to be retried
//   active       carried out and in force until expires_at (0: until rolled back)
//   done         a one-shot action carried out (notifications)
//   failed       carrying it out failed `attempts` times; last_error says why
//   expired      undone at expires_at          rolled_back  undone by an operator
//   rejected     an operator declined it       refused      the safety checks stopped it
//   dry_run      what would have been done (nothing was touched)
struct ActionRecord {
  int64_t id = 0;
  std::string playbook;  // playbook id, or "operator" for an action an operator created
  std::string kind;      // "block_address", "block_domain", "blocklist_boost", "notify_webhook",
                         // "notify_syslog", "notify_email", "isolate_host", "recommend"
  std::string device;    // which device carries it out ("nftables", "ipset", "rpz", ...)
  std::string target;    // the value acted on: "203.0.113.7", "203.0.113.0/24", "evil.example"
  std::string params_json = "{}";  // kind-specific parameters (boost, message, url override)
  std::string state;
  std::string mode;  // "auto" or "recommend": how the playbook wanted it
  int64_t duration_seconds = 0;  // 0: until rolled back
  int64_t detection_id = 0;      // the detection that triggered it; 0: none
  std::string evidence_json = "{}";  // what an operator decides on (docs/respond.md)
  std::string expected_effect;       // one sentence: what applying it changes
  std::string reason;                // why it was proposed, or why it was refused
  UnixSeconds created_at = 0;
  UnixSeconds decided_at = 0;  // approval, rejection or automatic decision
  std::string decided_by;      // "operator:alice", "playbook:ssh-block"
  std::string comment;         // the operator's comment on the decision
  UnixSeconds applied_at = 0;
  UnixSeconds expires_at = 0;  // 0: no expiry
  UnixSeconds ended_at = 0;    // expired, rolled back, rejected or refused
  std::string last_error;
  int attempts = 0;
  UnixSeconds updated_at = 0;
};

// Filters for ListActions; empty/zero fields do not filter. Newest id first.
struct ActionQuery {
  std::vector<std::string> states;  // any of these
  std::string target;
  std::string kind;
  std::string playbook;
  int64_t detection_id = 0;
  UnixSeconds expires_before = 0;  // only actions with 0 < expires_at <= this
  int64_t before_id = 0;           // paging
  int limit = 100;
  // false: evidence_json is left empty (lists; GetAction reads one action whole).
  bool with_evidence = true;
};

// Accounts of the HTTP API and web console (migration 0007; server/auth/auth.h). Roles are
// "viewer" < "operator" < "admin". No secret is stored in clear: see the fields.
struct UserRecord {
  int64_t id = 0;
  std::string name;
  std::string role;
  std::string password_hash;  // Argon2id PHC string
  UnixSeconds created_at = 0;
  bool disabled = false;
};

struct SessionRecord {
  std::string id_hash;  // hex SHA-256 of the cookie value
  std::string user;
  std::string csrf_token;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  UnixSeconds last_seen_at = 0;
};

struct ApiTokenRecord {
  int64_t id = 0;
  std::string name;
  std::string token_hash;  // hex SHA-256 of the token
  std::string role;
  std::string created_by;  // "operator:alice" or "cli"
  UnixSeconds created_at = 0;
  UnixSeconds last_used_at = 0;  // 0: never
  UnixSeconds revoked_at = 0;    // 0: valid
};

// A malware sample submitted for analysis (migration 0009; server/sample_queue.h). Its bytes are
// a file named by sha256 outside the store; status goes queued → running → done (a report was
// made, whatever its own status) or failed (the worker failed or the file was unreadable).
struct SampleRecord {
  int64_t id = 0;
  std::string sha256;
  std::string file_name;
  int64_t size = 0;
  UnixSeconds submitted_at = 0;
  std::string submitted_by;      // the audit actor: "operator:alice", "token:ci(3)"
  std::string status = "queued";
  std::string report_status;     // the report's "status" once finished
  std::string summary_json = "{}";
  std::string report_json;       // empty until finished; lists leave it empty
  std::string error;
  UnixSeconds started_at = 0;
  UnixSeconds finished_at = 0;
};

struct StoreStats {
  int64_t sources = 0;
  int64_t indicators = 0;
  int64_t open_intervals = 0;
  int64_t closed_intervals = 0;
  int64_t sightings = 0;
  int64_t allowlist_entries = 0;
  int64_t detections = 0;
  int schema_version = 0;
};

}  // namespace mamori::store
