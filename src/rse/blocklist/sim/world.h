// The simulated world of one run (internal to the simulator): items (malicious infrastructure
// and benign destinations), feeds, their listing histories up to the build day, and the
// attempts our network makes before the build (log sightings) and after it (evaluation).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/address_range_set.h"
#include "core/clock.h"
#include "core/ip.h"
#include "rse/blocklist/sim/simulator.h"

namespace mamori::rse::blocklist::sim {

inline constexpr uint8_t kBenignCategory = 255;
inline constexpr float kNever = std::numeric_limits<float>::infinity();
// Day 0 of every simulation, so that generated timestamps look like real ones.
inline constexpr UnixSeconds kEpoch = 1767225600;  // 2026-01-01T00:00:00Z

struct Item {
  uint32_t address = 0;   // IPv4 (host order); unused for domains
  float start = 0;        // activity window in days; benign items are always active
  float end = 0;
  double weight = 0;      // popularity (Zipf by rank)
  float visibility = 1;   // exponent m in 1 − (1 − q)^m: how easily feeds notice it
  uint8_t category = kBenignCategory;  // index into SimConfig::categories; benign: 255

  bool malicious() const { return category != kBenignCategory; }
};

enum class DelistKind : uint8_t { kNever, kAfterEnd };

struct FeedModel {
  std::string name;
  std::string archetype;
  double coverage = 0;
  std::vector<double> bias;     // per category: multiplies coverage
  double delay_mean = 1;        // days
  DelistKind delist = DelistKind::kNever;
  double delist_mean = 0;       // days after the end of activity (or after listing for FPs)
  double fp_share = 0;
  double category_accuracy = 1;  // chance the listing names the true category
  std::string default_category;  // otherwise this ("" = unknown)
  bool has_confidence = false;
  double refresh_days = 1;
  int reliability = 50;          // configured (set after the snapshot is known)
};

struct Listing {
  uint32_t item = 0;
  uint16_t feed = 0;
  int8_t confidence = -1;
  uint8_t category = 0;      // index into World::listing_categories
  float first_listed = 0;    // day
  float delisted = kNever;   // day; kNever while listed

  bool OpenAt(double day) const { return first_listed <= day && delisted > day; }
};

struct World {
  SimConfig config;            // effective (scaled) configuration
  std::vector<CategoryModel> categories;
  double build_day = 0;        // T
  std::vector<Item> items;     // malicious [0, malicious_count), then benign
  uint32_t malicious_count = 0;
  std::vector<FeedModel> feeds;
  std::vector<std::string> listing_categories;  // [0] = ""
  std::vector<Listing> listings;  // first_listed <= T; sorted by (item, feed)
  int64_t cluster_prefixes = 0;
  std::vector<uint32_t> cdn_prefixes;  // IPv4 CDN/cloud /24s (network addresses)
  // Our warning lists: IPv4 ranges (CDN /24s on the list, top benign hosts) and, for domains,
  // the benign items ranked above `protected_rank`.
  AddressRangeSet protected_addresses;
  uint32_t protected_rank = 0;  // benign items m .. m + protected_rank - 1 are protected

  // True when our warning lists exclude item i (as the product's builder does).
  bool Protected(uint32_t i) const;

  // Attempts per item: evaluation window [T, T + eval_days) and our logs before T.
  std::vector<uint32_t> eval_hits;
  std::vector<uint32_t> local_hits;
  std::vector<float> local_last;  // day of the latest logged attempt
  int64_t malicious_attempts = 0, benign_attempts = 0;
  std::vector<double> severity;      // per category, from config.scoring
  double weighted_attempts = 0;      // Σ malicious attempts × severity
  int64_t local_malicious = 0, local_benign = 0;

  bool IsIpv4() const { return config.item_class == SimClass::kIpv4; }
  // "192.0.2.1" or "k3j9x2.example-tld" for item i.
  std::string ItemValue(uint32_t i) const;
};

// Day → Unix seconds.
inline UnixSeconds DayToUnix(double day) {
  return kEpoch + static_cast<UnixSeconds>(day * 86400.0 + (day >= 0 ? 0.5 : -0.5));
}

// Effective configuration: class defaults filled in, counts and budgets scaled.
SimConfig EffectiveConfig(const SimConfig& config);

using GenerateProgress = std::function<void(std::string_view)>;
// Items, feeds and listings (no attempts). `config` must be effective.
World GenerateWorld(const SimConfig& config, const GenerateProgress& progress = {});
// Samples evaluation attempts and log sightings into `world`.
void SampleAttempts(World& world);
// Union size at the build day (items with an open listing).
int64_t CountUnion(const World& world);

std::string Ipv4ToString(uint32_t address);

}  // namespace mamori::rse::blocklist::sim
