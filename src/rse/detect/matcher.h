// RuleSet and Matcher: every loaded rule matched against an event in one pass.
//
// RuleSet::Compile turns rules into, per event field, one Hyperscan database holding every
// wildcard/contains/startswith/endswith value (case-insensitive) and every regex of every rule,
// plus a hash table per field for plain equality values (lower-cased). Scanning an event's
// fields marks which values matched; the rules owning a matched value become candidates, and
// each candidate's condition is then evaluated on its selections. Rules whose condition can be
// true without any scanned value (`not x`, cidr, null, intel, a regex Hyperscan cannot compile)
// are candidates for every event. Regexes Hyperscan only supports as a prefilter
// (HS_FLAG_PREFILTER), or not at all, are confirmed with RE2.
//
// A RuleSet is immutable and shared between threads (std::shared_ptr<const RuleSet>); a Matcher
// holds the per-thread Hyperscan scratch and must be used by one thread at a time.
//
// Match() ignores aggregations: it says which rules' conditions hold for this event; the
// Detector (detector.h) counts them over time.
//
// ReferenceMatch is the same semantics written the simple way (one rule, one field test after
// the other); the property test checks the two agree, and `mamori rules test` uses it to explain
// which selection matched and why.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "rse/detect/indicator_lookup.h"
#include "rse/detect/rule.h"
#include "rse/ingest/event.h"

namespace mamori::rse::detect {

struct RuleSetStats {
  size_t rules = 0;
  size_t hyperscan_databases = 0;
  size_t hyperscan_patterns = 0;
  size_t equality_values = 0;    // answered by hash lookups
  size_t prefiltered_regexes = 0;  // Hyperscan prefilter + RE2 confirmation
  size_t re2_only_regexes = 0;     // RE2 on every present value
  size_t always_evaluated_rules = 0;
};

class RuleSet {
 public:
  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  // Fails only when Hyperscan rejects the combined databases (should not happen for rules that
  // loaded); the error names the field.
  static Expected<std::shared_ptr<const RuleSet>> Compile(std::vector<Rule> rules);

  const std::vector<Rule>& rules() const { return rules_; }
  const RuleSetStats& stats() const { return stats_; }

  struct Compiled;  // internal
  const Compiled& compiled() const { return *compiled_; }

 private:
  RuleSet() = default;
  std::vector<Rule> rules_;
  RuleSetStats stats_;
  std::unique_ptr<Compiled> compiled_;
};

class Matcher {
 public:
  // `intel` answers `|intel` tests (may be null: such tests are then false); not owned.
  explicit Matcher(std::shared_ptr<const RuleSet> rules, IndicatorLookup* intel = nullptr);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Indexes (into rules()) of the rules whose condition holds, ascending; valid until the next
  // call.
  const std::vector<uint32_t>& Match(const ingest::Event& event);

  const RuleSet& rule_set() const { return *rules_; }

  struct State;  // internal

 private:
  std::shared_ptr<const RuleSet> rules_;
  std::unique_ptr<State> state_;
};

// Why a rule matched (or not): per selection, whether it held and, for the group that held, the
// field tests with the value that satisfied each.
struct TestHit {
  std::string field;      // "url.original" or "keywords"
  std::string modifiers;  // "contains|all"
  std::string pattern;    // the rule value that matched ("union select", "10.0.0.0/8", "null")
  std::string value;      // the event's value
};
struct SelectionResult {
  std::string name;
  bool matched = false;
  std::vector<TestHit> hits;  // when matched
};
struct Explanation {
  bool dataset_ok = true;
  bool matched = false;
  std::vector<SelectionResult> selections;
};

// Evaluates `rule` on `event` directly (no Hyperscan); fills `why` when given.
bool ReferenceMatch(const Rule& rule, const ingest::Event& event, IndicatorLookup* intel,
                    Explanation* why = nullptr);

// Case-insensitive glob match of a value (ASCII case folding), the semantics of kGlob.
bool GlobMatches(const GlobPattern& glob, std::string_view value);

}  // namespace mamori::rse::detect
