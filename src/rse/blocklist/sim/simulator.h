// Blocklist simulator (`mamori sim blocklist`): a seeded model of malicious infrastructure, the
// feeds that list it (late, partially, with false positives and stale entries) and the
// connection attempts a network sees, used to compare how many malicious attempts a
// capacity-limited blocklist stops when it is chosen by our scorer + selector, by "newest
// first", by the best single feed, or when every feed is loaded whole (the union).
//
// The model, its parameters and what it can and cannot show are in docs/simulator.md. One seed
// gives one world: every random draw comes from std::mt19937_64 through the hand-written
// distributions of sim/random.h, in independent streams per phase.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "rse/blocklist/scoring.h"

namespace mamori::rse::blocklist::sim {

// Which indicator class one run models. IPv4 and domains are simulated separately, each against
// its own budget (a device's ip and domain capacities are separate).
enum class SimClass { kIpv4, kDomain };
std::string_view SimClassName(SimClass item_class);

struct CategoryModel {
  std::string name;            // "c2", "malware", "phishing", "scanner"
  double share = 0;            // of malicious items
  double attempt_rate = 1;     // attempts per unit of popularity per active day (relative)
  double lifetime_days = 10;   // mean of the exponential activity lifetime
};

struct SimConfig {
  uint64_t seed = 1;
  SimClass item_class = SimClass::kIpv4;
  // Multiplies item counts, attempt counts and budgets (tests use 0.01 and below).
  double scale = 1.0;
  // Item counts before scaling; 0 = the class default (sized for a ~1M-entry union).
  int64_t malicious = 0;
  int64_t benign = 0;
  // When > 0: item counts are calibrated (one pilot at a tenth of the size) so that the union of
  // all feeds at the evaluation day has about this many entries. Budgets are not changed.
  int64_t union_size = 0;

  double days = 60;       // history: feeds run from day 0; the list is built on day `days`
  double eval_days = 7;   // the list is deployed for this many days after the build
  int feeds = 20;

  double zipf = 1.1;          // malicious popularity: weight of rank r is r^-zipf
  double benign_zipf = 1.0;   // benign popularity
  std::vector<CategoryModel> categories;  // empty: the class default (DefaultCategories)

  // IPv4 address structure.
  double cluster_share = 0.25;      // malicious hosts placed in bulletproof-hosting /24s
  int cluster_min = 8;              // malicious hosts per such /24
  int cluster_max = 64;
  double cluster_benign = 0.1;      // benign hosts per malicious host inside those /24s
  double cdn_share = 0.3;           // the most popular benign hosts, packed into CDN-like /24s
  int cdn_min = 16;                 // benign hosts per CDN /24
  int cdn_max = 128;
  double cloud_malicious_share = 0.05;  // malicious hosts rented inside those CDN/cloud /24s

  // Well-known and protected benign destinations.
  double well_known_share = 0.005;   // top benign ranks that feeds never list (they curate)
  double warninglist_top = 0.005;    // top benign ranks on our warning lists (like tranco10k)
  double warninglist_cdn = 0.8;      // IPv4: share of CDN/cloud /24s on our warning lists

  // Feeds (each drawn from an archetype, see docs/simulator.md; these scale all of them).
  double visibility_exponent = 0.3;  // popular items are seen by more feeds: q^((w/w_median)^v)
  double coverage_scale = 1.0;
  double delay_scale = 1.0;
  double delist_scale = 1.0;          // mean time from end of activity to delisting
  double fp_scale = 1.0;              // false-positive shares
  double fp_popularity_exponent = 0.5;  // FP picks benign items with probability ∝ weight^this
  double reliability_noise = 15;      // configured reliability = true precision ± this (points)
  bool all_delist = false;            // "what if": feeds that never delist expire entries instead

  // Connection attempts (our network).
  int64_t attempts = 1'000'000;  // malicious attempts during the evaluation window
  double benign_ratio = 10;      // benign attempts per malicious attempt
  double local_days = 7;         // days before the build whose attempts our logs saw (0: none)
  double local_fraction = 1.0;   // share of those attempts that reached the logs

  std::vector<int64_t> budgets = {10'000, 50'000, 150'000, 300'000};

  // The product's own settings, for "what if" runs; defaults are the product's defaults.
  ScoringConfig scoring;
  bool aggregate = true;             // SelectOptions::aggregate
  double collateral_penalty = 0.05;  // SelectOptions::collateral_penalty
  int min_prefix_v4 = 16;            // SelectOptions::min_prefix_v4

  // When set: ours-<budget>.tsv per budget in this directory, one line per emitted entry with
  // what it covers and blocks (for looking into a result).
  std::string dump_dir;
};

// Class defaults.
std::vector<CategoryModel> DefaultCategories(SimClass item_class);
int64_t DefaultMalicious(SimClass item_class);
int64_t DefaultBenign(SimClass item_class);

struct StrategyResult {
  std::string strategy;   // "ours", "newest", "best-feed", "union", "oracle", "sighted"
  std::string detail;     // best-feed: the feed chosen
  int64_t entries = 0;    // list entries used
  int64_t aggregates = 0;  // CIDR entries standing for several listed hosts (ours)
  int64_t malicious_blocked = 0;  // attempts
  int64_t benign_blocked = 0;
  double malicious_share = 0;  // of all malicious attempts
  double benign_share = 0;     // of all benign attempts
  // Malicious attempts weighted by the severity of their true category (ScoringConfig), the
  // quantity our priority aims at: share of the weighted total.
  double weighted_share = 0;
  std::vector<int64_t> malicious_blocked_by_category;  // order of SimReport::categories
};

struct BudgetResult {
  int64_t budget = 0;
  StrategyResult ours, newest, best_feed;
  // Hindsight bound for lists of single entries: the `budget` union entries that received the
  // most malicious attempts during the evaluation. Not a strategy anyone can run.
  StrategyResult oracle;
  // Reference for the log signal: union entries by our log hits before the build (most first),
  // then newest first. Uses only what the product knows at build time.
  StrategyResult sighted;
  // ours.malicious_share divided by the other's (0 when the other blocks nothing).
  double ours_vs_union = 0;
  double ours_vs_newest = 0;
  double ours_vs_best_feed = 0;
};

struct FeedSummary {
  std::string name;
  std::string archetype;
  double coverage = 0;       // chance to see an item of its favourite category (median popularity)
  double delay_days = 0;     // mean delay from activity start to listing
  double delist_days = -1;   // mean delay from end of activity to delisting; -1: never delists
  double fp_share = 0;       // share of its additions that are benign
  int64_t listed = 0;        // entries at the build
  int64_t listed_malicious = 0;
  int64_t listed_active = 0;  // malicious and still active at the build
  double precision = 0;       // listed_malicious / listed
  int reliability = 0;        // what the user configured (precision ± noise)
};

struct WorldSummary {
  int64_t malicious_items = 0;
  int64_t benign_items = 0;
  int64_t active_at_build = 0;      // malicious items active on the build day
  int64_t union_entries = 0;        // entries listed by at least one feed at the build
  int64_t union_malicious = 0;
  int64_t union_active = 0;         // malicious and active at the build
  int64_t union_benign = 0;
  int64_t listings = 0;             // (feed, item) listing intervals up to the build
  int64_t cluster_prefixes = 0;     // bulletproof /24s (IPv4)
  int64_t candidates = 0;           // union entries left after our warning lists
  int64_t excluded_malicious = 0;   // union entries our warning lists exclude
  int64_t excluded_benign = 0;
};

struct SimTimings {
  double generate = 0;
  double score = 0;
  double select = 0;
  double evaluate = 0;
  double total = 0;
};

struct SimReport {
  SimConfig config;  // as run: item counts, attempts and budgets after scaling/calibration
  std::vector<std::string> categories;
  WorldSummary world;
  std::vector<FeedSummary> feeds;
  int64_t malicious_attempts = 0;
  int64_t benign_attempts = 0;
  int64_t local_malicious_hits = 0;  // log sightings before the build
  int64_t local_benign_hits = 0;
  StrategyResult union_result;
  std::vector<BudgetResult> budgets;
  SimTimings seconds;
};

using SimProgressFn = std::function<void(std::string_view phase, std::string_view detail)>;

// Validates `config`, builds the world, scores and selects per budget, evaluates.
Expected<SimReport> RunBlocklistSim(const SimConfig& config, const SimProgressFn& progress = {});

// Checks parameter ranges; the message names the parameter (as its CLI flag).
Status ValidateConfig(const SimConfig& config);

// Parses "c2:0.1,malware:0.25" into (name, value) pairs.
Expected<std::vector<std::pair<std::string, double>>> ParseNamedValues(std::string_view text);

nlohmann::json ToJson(const SimReport& report);
// The human table: one block per budget plus the union line and a short world summary.
std::string FormatReport(const SimReport& report);

}  // namespace mamori::rse::blocklist::sim
