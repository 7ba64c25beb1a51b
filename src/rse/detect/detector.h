// Detector: turns "this event matched rule R" (Matcher::Match) into Detection records —
// threshold aggregation over a sliding window per (rule, group) and deduplication while an
// attack is ongoing.
//
// For a rule with `| count() by F > N` and `timeframe: T`, each group (the value of F, e.g. the
// source.ip) keeps the times of its matching events within T; when the count (or, for
// `count(G) by F`, the number of distinct G values) crosses N, a Detection opens. Further
// matches of the same group while it is ongoing update it (count, last time, evidence up to a
// cap) instead of opening new ones; it closes when the group has been quiet for T (Expire) or
// at Flush. A rule without aggregation opens a detection on its first match, grouped by
// source.ip, deduplicated the same way over its timeframe (default 10 minutes).
//
// Time is the event's own time; an event without one (time 0) gets the arrival time from the
// Clock. Memory is bounded: at most `max_groups` groups are tracked (the least recently touched
// is evicted, its ongoing detection closed, and the eviction counted), each keeping at most
// threshold+1 times (4096 for distinct counts) and `max_evidence` evidence events.
//
// Not thread-safe: one Detector per detection thread.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "rse/detect/matcher.h"
#include "rse/detect/rule.h"
#include "rse/ingest/event.h"

namespace mamori::rse::detect {

using ingest::UnixMicros;

struct Detection {
  enum class State { kOpened, kClosed };
  State state = State::kOpened;
  uint64_t id = 0;  // sequence number within this Detector, from 1
  uint32_t rule = 0;  // index of the rule in the Detector's RuleSet
  std::string rule_id;
  std::string title;
  Level level = Level::kMedium;
  std::string group_field;  // "source.ip"; empty when the rule counts everything as one group
  std::string group;        // the group's value ("203.0.113.7")
  UnixMicros first_time = 0;
  UnixMicros last_time = 0;
  int64_t count = 0;     // matching events, from the first event of the window that crossed
  int64_t distinct = 0;  // count(field) rules: distinct values when it opened
  std::vector<ingest::OwnedEvent> evidence;  // the first max_evidence events
  int64_t evidence_dropped = 0;
};

// What the detection's first evidence event reached: dns.question.name (a DNS event's
// destination is only the resolver), destination.ip, url.domain
// or tls.client.server_name, else the host or device that logged it
// (host.name, observer.name); "" when the evidence says none.
std::string DetectionTarget(const Detection& d);

struct DetectorOptions {
  size_t max_groups = 50'000;
  size_t max_evidence = 5;
  int64_t default_window_seconds = 600;  // dedup window of rules without timeframe
};

struct DetectorStats {
  int64_t matches = 0;         // (event, rule) pairs fed
  int64_t opened = 0;
  int64_t closed = 0;
  int64_t evicted_groups = 0;  // groups dropped because of max_groups
  size_t tracked_groups = 0;
};

class Detector {
 public:
  Detector(std::shared_ptr<const RuleSet> rules, Clock& clock, DetectorOptions options = {});
  ~Detector();

  // Feeds one event and the rules it matched. Appends detections it opened — and any it closed
  // (a quiet group's old detection, an evicted group's) — to `out`.
  void Process(const ingest::Event& event, const std::vector<uint32_t>& matched,
               std::vector<Detection>* out);
  // Closes detections whose group has been quiet for longer than the rule's window as of `now`
  // (default: the latest event time seen) and frees idle groups; appends closed ones to `out`.
  void Expire(std::vector<Detection>* out, UnixMicros now = 0);
  // Closes every ongoing detection (end of input).
  void Flush(std::vector<Detection>* out);

  // Detections open now (pointers valid until the next non-const call).
  std::vector<const Detection*> Ongoing() const;
  DetectorStats stats() const;

 private:
  struct Key {
    uint32_t rule;
    std::string group;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const noexcept;
  };
  struct GroupState;
  using Lru = std::list<Key>;

  void Close(GroupState& state, std::vector<Detection>* out);
  UnixMicros WindowOf(uint32_t rule) const;

  std::shared_ptr<const RuleSet> rules_;
  Clock& clock_;
  DetectorOptions options_;
  std::unordered_map<Key, std::unique_ptr<GroupState>, KeyHash> groups_;
  Lru lru_;  // least recently touched first
  UnixMicros latest_ = 0;
  uint64_t next_id_ = 1;
  DetectorStats stats_;
};

}  // namespace mamori::rse::detect
