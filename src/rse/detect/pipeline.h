// DetectionPipeline: events in, stored detections and intel sightings out — the part shared by
// `mamori ingest --rules` (one file), `mamori collect` and `mamori serve` (followed files and
// syslog). One pipeline per input: it owns that input's Matcher and Detector.
//
//   Process(event)  matches every rule in one pass (Matcher) and feeds the Detector;
//   Sync(now)       writes to the store what changed since the last call: detections that
//                   opened or closed, ongoing ones that grew (at most every
//                   `ongoing_update_seconds`), closes those quiet for their window, and records
//                   sightings for the intel store;
//   Finish()        closes every ongoing detection and syncs (end of a file import).
//
// Sightings: a detection is local evidence against an indicator, and the blocklist scorer uses
// it (docs/blocklists.md). Which indicator: for a rule with `|intel` tests it is the listed value
// the event contained (the C2 address or domain — the detection's group is the infected internal
// host, which must not be sighted); otherwise it is the group value when the rule groups by
// source.ip (the attacker). Addresses of the built-in special-ranges warning list (private,
// loopback …; documentation ranges excepted) are never sighted.
// The sighting's count is the detection's event count, written when the detection closes, so a
// long-running attack adds one row, not one per event. Observer: "log:" + input.
//
// Each Sync writes in one transaction (Store::RecordDetections). Store errors never stop
// detection: they are counted and everything is retried at the next Sync.
//
// Not thread-safe: one thread drives a pipeline.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "rse/detect/detector.h"
#include "rse/detect/matcher.h"
#include "store/store.h"

namespace mamori::rse::detect {

struct PipelineOptions {
  // Names where the events come from ("import:auth.log", "file:/var/log/auth.log",
  // "syslog-udp:127.0.0.1:5514"); part of a stored detection's identity.
  std::string input;
  DetectorOptions detector;
  bool record_sightings = true;
  // How often an ongoing detection's growing count is rewritten (store write rate bound).
  int64_t ongoing_update_seconds = 5;
};

struct PipelineStats {
  int64_t events = 0;
  int64_t matched_events = 0;  // events that matched at least one rule
  int64_t detections_opened = 0;
  int64_t detections_closed = 0;
  int64_t store_writes = 0;  // detection records written
  int64_t store_errors = 0;
  int64_t sightings = 0;  // sighting rows written
  std::string last_store_error;
};

class DetectionPipeline {
 public:
  // `store` and `intel` may be null (no persistence / no intel tests); not owned.
  DetectionPipeline(std::shared_ptr<const RuleSet> rules, Clock& clock, store::Store* store,
                    IndicatorLookup* intel, PipelineOptions options);
  ~DetectionPipeline();

  // Called for each detection when it opens and when it closes (e.g. to print it).
  void set_on_detection(std::function<void(const Detection&)> fn) { on_detection_ = std::move(fn); }
  // Called after a Sync wrote detections to the store for the first time, with their records
  // and row ids (a detection that opened, or opened and closed since the last Sync) — for the
  // response engine, which acts on stored detections.
  void set_on_recorded(std::function<void(std::vector<store::DetectionRecord>)> fn) {
    on_recorded_ = std::move(fn);
  }

  void Process(const ingest::Event& event);
  // `now`: the current time in micros (wall clock for live inputs; for an import the newest
  // event time, so windows close by log time). Returns the first store error (detection keeps
  // going; the write is retried next time).
  Status Sync(ingest::UnixMicros now);
  Status Finish();

  const PipelineStats& stats() const { return stats_; }
  DetectorStats detector_stats() const { return detector_.stats(); }
  const std::vector<uint32_t>& last_matches() const { return last_matches_; }

  // The record stored for a detection (exposed for tests and the CLI's JSON output).
  static store::DetectionRecord ToRecord(const Detection& d, const std::string& input,
                                         bool ongoing, UnixSeconds now);

 private:
  void Accept(std::vector<Detection>& fresh);
  void AppendSightings(const Detection& d, std::vector<store::Sighting>* out);

  std::shared_ptr<const RuleSet> rules_;
  Clock& clock_;
  store::Store* store_;
  PipelineOptions options_;
  Matcher matcher_;
  Detector detector_;
  std::function<void(const Detection&)> on_detection_;
  std::function<void(std::vector<store::DetectionRecord>)> on_recorded_;
  std::vector<uint32_t> last_matches_;
  std::vector<Detection> pending_;                      // opened or closed, not yet written
  std::unordered_map<uint64_t, int64_t> written_count_;  // ongoing detection id → count stored
  ingest::UnixMicros last_ongoing_update_ = 0;
  std::vector<std::vector<size_t>> intel_fields_;  // per rule: fields with |intel tests
  PipelineStats stats_;
};

}  // namespace mamori::rse::detect
