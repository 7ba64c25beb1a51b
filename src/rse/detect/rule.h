// Detection rules: the in-memory form of one YAML rule (a subset of Sigma, docs/formats/rules.md)
// and the loader that reads rule files.
//
// A Rule is plain data: named selections (each an OR of AND-groups of field tests), a condition
// tree over the selections, an optional threshold aggregation and the event.dataset values its
// logsource selects. Rules are built by LoadRules*/ParseRule and compiled for matching by
// RuleSet (matcher.h). Values are immutable after loading and safe to share between threads.
//
// Loading never throws: yaml-cpp exceptions are caught at the call and an invalid rule becomes a
// RuleError naming the file, the line (1-based) and the reason, while the other rules load.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/ip.h"
#include "rse/ingest/event.h"

namespace mamori::rse::detect {

using ingest::Field;

enum class Level { kInformational, kLow, kMedium, kHigh, kCritical };
std::string_view LevelName(Level level);
std::optional<Level> ParseLevel(std::string_view text);

// How one value is compared with a field.
enum class MatchKind {
  kGlob,   // equals / contains / startswith / endswith, case-insensitive, with * and ? wildcards
  kRegex,  // `re`: RE2 syntax, unanchored search, case-sensitive unless (?i)
  kCidr,   // `cidr`: the field parses as an IP address inside one of the networks
  kIntel,  // `intel`: the value is an indicator listed in the intel store (IndicatorLookup)
  kNull,   // `field: null` (or ''): the field is absent
};

// Where a value test looks: a field of the event, or the whole raw line (keywords).
inline constexpr size_t kRawField = ingest::kFieldCount;  // pseudo field index for keywords

// One value of a field test, ready for both matchers.
struct GlobPattern {
  std::string text;       // as written in the rule (for explanations)
  std::string lowered;    // the pattern with escapes resolved, lower case; '*' '?' = wildcards
  std::vector<bool> wild;  // per byte of `lowered`: true when it is a wildcard, not a literal
  bool anchored_start = true;
  bool anchored_end = true;
  bool HasWildcards() const;
};

// `field|modifiers: values` — one AND term of a selection.
struct FieldTest {
  size_t field = 0;  // Field index, or kRawField for keywords
  MatchKind kind = MatchKind::kGlob;
  bool all = false;  // `|all`: every value must match (default: any value)
  std::string modifiers;  // "contains|all" as written, for explanations
  std::vector<GlobPattern> globs;    // kGlob
  std::vector<std::string> regexes;  // kRegex
  std::vector<Cidr> cidrs;           // kCidr
  std::vector<std::string> intel_sources;  // kIntel: source names; empty = any enabled source
  int line = 0;
};

struct Selection {
  std::string name;
  // OR of AND-groups: a map is one group; a list of maps is several groups.
  std::vector<std::vector<FieldTest>> groups;
  int line = 0;
};

// Condition tree over selection indexes.
struct ConditionNode {
  enum class Kind { kSelection, kAnd, kOr, kNot, kTrue, kFalse };
  Kind kind = Kind::kSelection;
  size_t selection = 0;  // kSelection
  std::vector<ConditionNode> children;
};

// `| count() by source.ip > 5` / `| count(destination.port) by source.ip >= 20`.
struct Aggregation {
  std::optional<size_t> distinct_field;  // count(field): distinct values of that field
  std::optional<size_t> group_by;        // by field; nullopt = one group for the rule
  bool or_equal = false;                 // >= instead of >
  int64_t threshold = 0;
};

struct Rule {
  std::string id;
  std::string title;
  std::string status;
  std::string description;
  std::string author;
  std::vector<std::string> references;
  std::vector<std::string> tags;
  Level level = Level::kMedium;
  std::vector<std::string> datasets;  // event.dataset values the logsource selects; empty = all
  std::string logsource_text;         // "product: nginx, category: webserver" for display
  std::vector<Selection> selections;
  ConditionNode condition;
  std::string condition_text;
  std::optional<Aggregation> aggregation;
  int64_t timeframe_seconds = 0;  // 0 = not given
  std::string file;
  int line = 0;  // line of the document start
};

struct RuleError {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  std::string reason;
  std::string ToString() const;  // "file:line: reason"
};

struct LoadResult {
  std::vector<Rule> rules;
  std::vector<RuleError> errors;
};

// Parses the YAML text of one rule file (one rule; `---`-separated documents give several).
LoadResult ParseRules(std::string_view yaml, std::string_view file_name);
// Loads a file, or every *.yml / *.yaml file under a directory (recursively, sorted by path,
// leaving out a "playbooks" subdirectory: response playbooks, not rules).
// Duplicate rule ids across files are errors (the later file's rule is rejected).
LoadResult LoadRules(const std::string& path);

// The event.dataset values of a logsource (category/product/service), documented in
// docs/formats/rules.md. Returns an error naming the known values when nothing matches.
Expected<std::vector<std::string>> DatasetsOf(std::string_view category, std::string_view product,
                                              std::string_view service);

// Parses "10m", "1h", "30s", "2d" (and plain seconds); -1 when invalid.
int64_t ParseTimeframe(std::string_view text);

}  // namespace mamori::rse::detect
