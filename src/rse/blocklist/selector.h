// Selector: the highest-priority entries that fit one device's capacity.
//
// Non-address classes (domains, URLs, hashes) are a top-k by priority. Addresses and CIDRs are
// chosen on a prefix tree so that one aggregate (say a /24) can stand for many listed hosts when
// that covers more priority than spending entries on them one by one; an aggregate is only
// considered at a branching point of the tree (the smallest prefix holding a set of listed
// items), never shorter than min_prefix, never with a protected address inside, and pays
// `collateral_penalty` per unlisted address it would block. The budgeted tree knapsack is solved
// by Lagrangian relaxation (see selector.cc for why and the optimality bound), then the
// remaining budget is filled greedily. Output never exceeds capacity and is deterministic.
// Churn: entries of the previous build get a `churn_threshold` bonus, so a new entry displaces an
// old one only when it is clearly better.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/address_range_set.h"
#include "core/error.h"
#include "core/indicator.h"
#include "rse/blocklist/blocklist.h"
#include "rse/blocklist/profile.h"
#include "rse/blocklist/scoring.h"

namespace mamori::rse::blocklist {

// One scored indicator. Categories and source sets are interned in SelectionInput to keep a
// 5-million-candidate input compact.
struct Candidate {
  Indicator indicator;
  double priority = 0;      // 0..100 (ScoreIndicator)
  uint32_t category = 0;    // index into SelectionInput::categories
  uint32_t source_set = 0;  // index into SelectionInput::source_sets
  UnixSeconds first_seen = 0;  // earliest listing (for "newest first" baselines and reports)
};

struct SelectionInput {
  std::vector<Candidate> candidates;  // any order; duplicates are not allowed
  std::vector<std::string> categories;             // [0] is "" (unknown)
  std::vector<std::string> source_names;           // index = source id used in source_sets
  std::vector<std::vector<uint16_t>> source_sets;  // each sorted, no duplicates

  uint32_t InternCategory(const std::string& category);
  uint32_t InternSourceSet(std::vector<uint16_t> sources);  // sorts/dedups

 private:
  std::map<std::string, uint32_t> category_index_;
  std::map<std::vector<uint16_t>, uint32_t> source_set_index_;
};

struct SelectOptions {
  Capacity capacity;
  CidrPolicy cidr = CidrPolicy::kOneEntry;
  bool wildcard_domains = false;
  double min_priority = 0;
  bool aggregate = true;            // allow aggregate CIDRs (only with CidrPolicy::kOneEntry)
  int min_prefix_v4 = 16;           // no aggregate shorter than this
  int min_prefix_v6 = 48;
  double collateral_penalty = 0.05;  // priority points per unlisted address an aggregate blocks
  double churn_threshold = 0.10;    // previous entries count (1 + this) × their priority
  std::unordered_set<std::string> previous;  // "type:value" of the previous build's entries
  const AddressRangeSet* protected_addresses = nullptr;  // never inside an emitted entry
  // Addresses our logs saw that no source lists: an aggregate covering them pays their cost on
  // top of collateral_penalty (ObservedCost in scoring.h).
  const std::vector<ObservedAddress>* observed_unlisted = nullptr;
};

// Per-source / per-category share of priority kept.
struct CoverageLine {
  std::string name;
  int64_t candidates = 0;
  int64_t selected = 0;     // candidates covered by an emitted entry
  double priority = 0;      // total priority of its candidates
  double covered = 0;       // priority of those covered
};

struct CoverageReport {
  int64_t candidates = 0;
  int64_t entries = 0;
  int64_t covered_candidates = 0;
  double total_priority = 0;
  double covered_priority = 0;
  int64_t aggregates = 0;       // emitted CIDRs that stand for several listed items
  int64_t dropped_protected = 0;  // candidates or aggregates refused for a protected address
  std::vector<CoverageLine> by_source;    // sorted by name
  std::vector<CoverageLine> by_category;  // sorted by name
  // Against SelectOptions::previous:
  int64_t added = 0;
  int64_t removed = 0;
  int64_t kept = 0;
};

struct Selection {
  Blocklist list;  // entries in canonical order
  CoverageReport coverage;
};

Expected<Selection> Select(const SelectionInput& input, const SelectOptions& options);

// "type:value", the key used in SelectOptions::previous.
std::string EntryKey(const Indicator& indicator);

}  // namespace mamori::rse::blocklist
