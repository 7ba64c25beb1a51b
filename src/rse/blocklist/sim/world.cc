#include "rse/blocklist/sim/world.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "rse/blocklist/sim/random.h"

namespace mamori::rse::blocklist::sim {

namespace {

// A family of feeds; each feed draws its parameters uniformly from these ranges.
struct Archetype {
  const char* name;
  double coverage_lo, coverage_hi;
  double delay_lo, delay_hi;  // mean days until listed
  double fp_lo, fp_hi;        // share of additions that are benign
  double never_delist;        // chance the feed never delists
  double delist_lo, delist_hi;  // mean days after the end of activity until delisted
  std::vector<std::pair<std::string, double>> focus;  // category → bias; empty: all 1
  double other_bias;          // bias of categories outside `focus`
  double category_accuracy;
  const char* default_category;
  bool confidence;
  double refresh_days;
};

const std::vector<Archetype>& Archetypes() {
  static const std::vector<Archetype> kArchetypes = {
      // Cumulative aggregators: broad, slowish, some FPs, never delist (stale entries pile up).
      {"aggregator", 0.15, 0.35, 1, 4, 0.02, 0.06, 1.0, 0, 0, {}, 1.0, 0.5, "", false, 1},
      // C2 trackers: focused, fast, precise, delist soon after the server goes away.
      {"c2", 0.3, 0.6, 0.3, 1.5, 0.002, 0.01, 0.0, 0.5, 2, {{"c2", 1.0}, {"malware", 0.3}},
       0.01, 1.0, "c2", true, 1.0 / 24},
      // Honeypot networks: scanners, very fast, expire entries a few days after last contact.
      {"scanner", 0.3, 0.7, 0.1, 0.5, 0.005, 0.02, 0.0, 3, 10, {{"scanner", 1.0}}, 0.03, 1.0,
       "scanner", false, 1.0 / 24},
      // Community lists: low coverage, slow, many FPs (popular services reported by mistake),
      // half of them never clean up.
      {"community", 0.05, 0.2, 2, 6, 0.1, 0.25, 0.5, 10, 30, {}, 1.0, 0.3, "", false, 1},
      // Phishing feeds.
      {"phishing", 0.3, 0.6, 0.2, 1, 0.01, 0.03, 0.0, 1, 3, {{"phishing", 1.0}}, 0.01, 1.0,
       "phishing", true, 1.0 / 24},
      // Malware distribution / payload hosts.
      {"malware", 0.2, 0.5, 0.5, 2, 0.005, 0.02, 0.0, 2, 7, {{"malware", 1.0}, {"c2", 0.5}},
       0.02, 0.9, "malware", true, 0.25},
  };
  return kArchetypes;
}

const Archetype& ArchetypeNamed(std::string_view name) {
  for (const auto& a : Archetypes()) {
    if (name == a.name) return a;
  }
  return Archetypes().front();
}

// Feed i's archetype: a fixed rotation per class, so 20 feeds are 4 aggregators, 4 c2 trackers,
// 4 honeypots, 4 community lists, 2 phishing and 2 malware feeds (IPv4).
std::string_view ArchetypeFor(SimClass item_class, int i) {
  static const std::array<const char*, 10> kIpv4 = {"aggregator", "c2",        "scanner",
                                                    "community",  "phishing",  "aggregator",
                                                    "scanner",    "c2",        "community",
                                                    "malware"};
  static const std::array<const char*, 10> kDomain = {"aggregator", "phishing", "malware",
                                                      "community",  "c2",       "aggregator",
                                                      "phishing",   "malware",  "community",
                                                      "phishing"};
  return (item_class == SimClass::kIpv4 ? kIpv4 : kDomain)[i % 10];
}

bool IsPublicIpv4(uint32_t a) {
  uint32_t o1 = a >> 24;
  if (o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224) return false;
  if ((a & 0xFFC00000u) == 0x64400000u) return false;  // 100.64/10
  if ((a & 0xFFFF0000u) == 0xA9FE0000u) return false;  // 169.254/16
  if ((a & 0xFFF00000u) == 0xAC100000u) return false;  // 172.16/12
  if ((a & 0xFFFF0000u) == 0xC0A80000u) return false;  // 192.168/16
  if ((a & 0xFFFFFF00u) == 0xC0000000u || (a & 0xFFFFFF00u) == 0xC0000200u) return false;
  if ((a & 0xFFFE0000u) == 0xC6120000u) return false;  // 198.18/15
  if ((a & 0xFFFFFF00u) == 0xC6336400u || (a & 0xFFFFFF00u) == 0xCB007100u) return false;
  return true;
}

double Overlap(double start, double end, double lo, double hi) {
  return std::max(0.0, std::min(end, hi) - std::max(start, lo));
}

class AddressAllocator {
 public:
  AddressAllocator(Rng& rng, size_t expected) : rng_(rng) { used_.reserve(expected * 2); }

  // A public /24 no cluster has used yet (network address, host order).
  uint32_t NewPrefix() {
    for (;;) {
      uint32_t p = static_cast<uint32_t>(rng_.Below(1u << 24)) << 8;
      if (IsPublicIpv4(p | 1) && prefixes_.insert(p).second) return p;
    }
  }
  // A public host address outside every cluster /24 and not used before.
  uint32_t NewHost() {
    for (;;) {
      auto a = static_cast<uint32_t>(rng_.Below(1ull << 32));
      uint32_t host = a & 0xFF;
      if (host == 0 || host == 255 || !IsPublicIpv4(a)) continue;
      if (prefixes_.count(a & 0xFFFFFF00u)) continue;
      if (used_.insert(a).second) return a;
    }
  }
  // `count` distinct host octets (1..254) of one /24, in random order.
  std::vector<uint32_t> Hosts(size_t count) {
    std::vector<uint32_t> hosts(254);
    std::iota(hosts.begin(), hosts.end(), 1u);
    count = std::min<size_t>(count, hosts.size());
    for (size_t i = 0; i < count; ++i) {
      size_t j = i + rng_.Below(hosts.size() - i);
      std::swap(hosts[i], hosts[j]);
    }
    hosts.resize(count);
    return hosts;
  }

 private:
  Rng& rng_;
  std::unordered_set<uint32_t> used_;
  std::unordered_set<uint32_t> prefixes_;
};

// Assigns IPv4 addresses: bulletproof /24s shared by malicious hosts (and a few benign ones),
// CDN-like /24s for the most popular benign hosts, the rest scattered.
void AssignAddresses(World& world, Rng& rng) {
  const SimConfig& c = world.config;
  uint32_t m = world.malicious_count;
  auto b = static_cast<uint32_t>(world.items.size() - m);
  AddressAllocator alloc(rng, world.items.size());

  std::vector<uint32_t> mal_order(m);
  std::iota(mal_order.begin(), mal_order.end(), 0u);
  Shuffle(mal_order, rng);
  // Benign hosts outside the CDN block (the CDN takes the top ranks), in random order; the
  // bulletproof /24s take their benign neighbours from the front.
  auto cdn_count = static_cast<uint32_t>(std::llround(c.cdn_share * b));
  std::vector<uint32_t> benign_rest;
  for (uint32_t j = cdn_count; j < b; ++j) benign_rest.push_back(m + j);
  Shuffle(benign_rest, rng);
  size_t benign_pos = 0;
  std::vector<bool> assigned(world.items.size(), false);

  auto clustered = static_cast<size_t>(std::llround(c.cluster_share * m));
  size_t pos = 0;
  while (pos < clustered) {
    uint32_t prefix = alloc.NewPrefix();
    ++world.cluster_prefixes;
    size_t k = std::min<size_t>(rng.Between(c.cluster_min, c.cluster_max), clustered - pos);
    k = std::min<size_t>(k, 254);
    auto neighbours = static_cast<size_t>(std::llround(c.cluster_benign * k));
    neighbours = std::min({neighbours, 254 - k, benign_rest.size() - benign_pos});
    auto hosts = alloc.Hosts(k + neighbours);
    for (size_t h = 0; h < k; ++h) {
      uint32_t item = mal_order[pos++];
      world.items[item].address = prefix | hosts[h];
      assigned[item] = true;
    }
    for (size_t h = 0; h < neighbours; ++h) {
      uint32_t item = benign_rest[benign_pos++];
      world.items[item].address = prefix | hosts[k + h];
      assigned[item] = true;
    }
  }
  for (uint32_t j = 0; j < cdn_count;) {
    uint32_t prefix = alloc.NewPrefix();
    world.cdn_prefixes.push_back(prefix);
    size_t k = std::min<size_t>(rng.Between(c.cdn_min, c.cdn_max), cdn_count - j);
    k = std::min<size_t>(k, 254);
    auto hosts = alloc.Hosts(k);
    for (size_t h = 0; h < k; ++h, ++j) {
      world.items[m + j].address = prefix | hosts[h];
      assigned[m + j] = true;
    }
  }
  std::sort(world.cdn_prefixes.begin(), world.cdn_prefixes.end());
  // Malicious hosts rented from the same clouds/CDNs: free host numbers in random CDN /24s.
  auto cloud = std::min<size_t>(std::llround(c.cloud_malicious_share * m), m - pos);
  if (!world.cdn_prefixes.empty()) {
    std::vector<std::array<bool, 256>> taken(world.cdn_prefixes.size());
    for (uint32_t j = 0; j < cdn_count; ++j) {
      // CDN prefixes were created in order; find each host's prefix by binary search.
      uint32_t a = world.items[m + j].address;
      auto it = std::lower_bound(world.cdn_prefixes.begin(), world.cdn_prefixes.end(),
                                 a & 0xFFFFFF00u);
      taken[static_cast<size_t>(it - world.cdn_prefixes.begin())][a & 0xFF] = true;
    }
    for (size_t k = 0; k < cloud; ++k) {
      for (int tries = 0; tries < 64; ++tries) {
        size_t p = rng.Below(world.cdn_prefixes.size());
        auto host = static_cast<uint32_t>(rng.Between(1, 254));
        if (taken[p][host]) continue;
        taken[p][host] = true;
        uint32_t item = mal_order[pos++];
        world.items[item].address = world.cdn_prefixes[p] | host;
        assigned[item] = true;
        break;
      }
    }
  }
  for (size_t i = 0; i < world.items.size(); ++i) {
    if (!assigned[i]) world.items[i].address = alloc.NewHost();
  }
}

uint8_t InternListingCategory(World& world, const std::string& name) {
  for (size_t i = 0; i < world.listing_categories.size(); ++i) {
    if (world.listing_categories[i] == name) return static_cast<uint8_t>(i);
  }
  world.listing_categories.push_back(name);
  return static_cast<uint8_t>(world.listing_categories.size() - 1);
}

std::string Base36(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  do {
    out.push_back(kDigits[v % 36]);
    v /= 36;
  } while (v != 0);
  return out;
}

}  // namespace

std::string Ipv4ToString(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xFF, (a >> 8) & 0xFF, a & 0xFF);
}

bool World::Protected(uint32_t i) const {
  if (IsIpv4()) return protected_addresses.Contains(IpAddress::FromV4(items[i].address));
  return i >= malicious_count && i - malicious_count < protected_rank;
}

std::string World::ItemValue(uint32_t i) const {
  if (IsIpv4()) return Ipv4ToString(items[i].address);
  // Domains: a unique label from a bijective mix of the index (different salts for malicious
  // and benign names), under a TLD typical of each.
  static const std::array<const char*, 8> kBadTld = {"com", "net",    "xyz",  "top",
                                                     "info", "online", "shop", "ru"};
  static const std::array<const char*, 6> kGoodTld = {"com", "net", "org", "io", "de", "jp"};
  bool bad = items[i].malicious();
  uint64_t h = Mix64(static_cast<uint64_t>(i) ^ (bad ? 0x6D616C6963696F75ull : 0x62656E69676E21ull));
  const char* tld = bad ? kBadTld[Mix64(h) % kBadTld.size()] : kGoodTld[Mix64(h) % kGoodTld.size()];
  return fmt::format("{}{}.{}", bad ? "m" : "b", Base36(h), tld);
}

SimConfig EffectiveConfig(const SimConfig& config) {
  SimConfig c = config;
  if (c.categories.empty()) c.categories = DefaultCategories(c.item_class);
  if (c.malicious <= 0) c.malicious = DefaultMalicious(c.item_class);
  if (c.benign <= 0) c.benign = DefaultBenign(c.item_class);
  c.malicious = std::max<int64_t>(1, std::llround(static_cast<double>(c.malicious) * c.scale));
  c.benign = std::max<int64_t>(1, std::llround(static_cast<double>(c.benign) * c.scale));
  c.attempts = std::max<int64_t>(1, std::llround(static_cast<double>(c.attempts) * c.scale));
  for (auto& budget : c.budgets) {
    budget = std::max<int64_t>(1, std::llround(static_cast<double>(budget) * c.scale));
  }
  c.scale = 1.0;
  return c;
}

World GenerateWorld(const SimConfig& config, const GenerateProgress& progress) {
  World world;
  world.config = config;
  world.categories = config.categories;
  world.build_day = config.days;
  const double horizon = config.days + config.eval_days;
  const double T = world.build_day;
  auto m = static_cast<uint32_t>(config.malicious);
  auto b = static_cast<uint32_t>(config.benign);
  world.malicious_count = m;
  world.items.resize(static_cast<size_t>(m) + b);
  world.listing_categories = {""};

  // --- items ---------------------------------------------------------------------------------
  if (progress) progress("items");
  {
    Rng rng(StreamSeed(config.seed, "items"));
    std::vector<double> cumulative;
    double total_share = 0;
    for (const auto& cat : world.categories) {
      total_share += std::max(0.0, cat.share);
      cumulative.push_back(total_share);
    }
    // Popularity rank r = index + 1 (indices carry no other meaning); visibility compares the
    // weight with the median item's.
    double median_rank = std::max(1.0, m / 2.0);
    for (uint32_t i = 0; i < m; ++i) {
      Item& item = world.items[i];
      double u = rng.Uniform() * total_share;
      size_t cat = 0;
      while (cat + 1 < cumulative.size() && u >= cumulative[cat]) ++cat;
      item.category = static_cast<uint8_t>(cat);
      item.start = static_cast<float>(rng.Uniform(0, horizon));
      double life = std::max(1.0 / 24, rng.Exponential(world.categories[cat].lifetime_days));
      item.end = static_cast<float>(item.start + life);
      item.weight = ZipfWeight(i + 1, config.zipf);
      double relative = std::pow(median_rank / (i + 1), config.zipf);  // w / w_median
      item.visibility = static_cast<float>(
          std::clamp(std::pow(relative, config.visibility_exponent), 0.25, 20.0));
    }
    for (uint32_t j = 0; j < b; ++j) {
      Item& item = world.items[m + j];
      item.start = 0;
      item.end = static_cast<float>(horizon);
      item.weight = ZipfWeight(j + 1, config.benign_zipf);
    }
    if (world.IsIpv4()) AssignAddresses(world, rng);
  }

  // --- our warning lists -----------------------------------------------------------------------
  {
    Rng rng(StreamSeed(config.seed, "warninglist"));
    world.protected_rank = static_cast<uint32_t>(std::llround(config.warninglist_top * b));
    if (world.IsIpv4()) {
      for (uint32_t prefix : world.cdn_prefixes) {
        if (rng.Bernoulli(config.warninglist_cdn)) world.protected_addresses.AddV4(prefix, prefix | 0xFF);
      }
      for (uint32_t j = 0; j < world.protected_rank; ++j) {
        uint32_t a = world.items[m + j].address;
        world.protected_addresses.AddV4(a, a);
      }
      world.protected_addresses.Normalize();
    }
  }

  // --- feeds ---------------------------------------------------------------------------------
  {
    Rng rng(StreamSeed(config.seed, "feeds"));
    std::vector<int> per_archetype(Archetypes().size(), 0);
    for (int f = 0; f < config.feeds; ++f) {
      const Archetype& a = ArchetypeNamed(ArchetypeFor(config.item_class, f));
      size_t a_index = static_cast<size_t>(&a - Archetypes().data());
      FeedModel feed;
      feed.archetype = a.name;
      feed.name = fmt::format("{}-{}", a.name, ++per_archetype[a_index]);
      feed.coverage =
          std::min(0.95, rng.Uniform(a.coverage_lo, a.coverage_hi) * config.coverage_scale);
      feed.delay_mean = rng.Uniform(a.delay_lo, a.delay_hi) * config.delay_scale;
      feed.fp_share = std::min(0.9, rng.Uniform(a.fp_lo, a.fp_hi) * config.fp_scale);
      bool never = rng.Bernoulli(a.never_delist);
      double delist = rng.Uniform(a.delist_lo, a.delist_hi) * config.delist_scale;
      if (never && config.all_delist) {
        never = false;
        delist = rng.Uniform(5, 15) * config.delist_scale;
      }
      feed.delist = never ? DelistKind::kNever : DelistKind::kAfterEnd;
      feed.delist_mean = never ? 0 : delist;
      feed.category_accuracy = a.category_accuracy;
      feed.default_category = a.default_category;
      feed.has_confidence = a.confidence;
      feed.refresh_days = a.refresh_days;
      feed.bias.assign(world.categories.size(), a.focus.empty() ? 1.0 : a.other_bias);
      for (const auto& [name, bias] : a.focus) {
        for (size_t c = 0; c < world.categories.size(); ++c) {
          if (world.categories[c].name == name) feed.bias[c] = bias;
        }
      }
      world.feeds.push_back(std::move(feed));
    }
  }

  // --- listings ------------------------------------------------------------------------------
  std::vector<double> fp_weights(b);
  auto well_known = static_cast<uint32_t>(std::llround(config.well_known_share * b));
  for (uint32_t j = well_known; j < b; ++j) {
    fp_weights[j] = std::pow(world.items[m + j].weight, config.fp_popularity_exponent);
  }
  AliasTable fp_table(fp_weights);
  std::vector<uint8_t> true_category_index(world.categories.size());
  for (size_t c = 0; c < world.categories.size(); ++c) {
    true_category_index[c] = InternListingCategory(world, world.categories[c].name);
  }
  std::vector<uint16_t> fp_mark(b, 0);
  for (size_t f = 0; f < world.feeds.size(); ++f) {
    if (progress) progress(fmt::format("listings {}/{}", f + 1, world.feeds.size()));
    const FeedModel& feed = world.feeds[f];
    Rng rng(StreamSeed(config.seed, fmt::format("listings-{}", f)));
    uint8_t default_category = InternListingCategory(world, feed.default_category);
    std::vector<double> log_miss(world.categories.size());
    for (size_t c = 0; c < log_miss.size(); ++c) {
      log_miss[c] = std::log1p(-std::min(0.999, feed.coverage * feed.bias[c]));
    }
    auto make = [&](uint32_t item, double first, double delisted, bool malicious,
                    uint8_t true_category) {
      Listing l;
      l.item = item;
      l.feed = static_cast<uint16_t>(f);
      l.first_listed = static_cast<float>(first);
      l.delisted = delisted > T ? kNever : static_cast<float>(delisted);
      bool accurate = malicious && rng.Bernoulli(feed.category_accuracy);
      l.category = accurate ? true_category : default_category;
      if (feed.has_confidence) {
        l.confidence = static_cast<int8_t>(malicious ? rng.Between(60, 100) : rng.Between(20, 80));
      }
      world.listings.push_back(l);
    };
    int64_t malicious_added = 0;
    for (uint32_t i = 0; i < m; ++i) {
      const Item& item = world.items[i];
      double p = 1.0 - std::exp(item.visibility * log_miss[item.category]);
      if (!rng.Bernoulli(p)) continue;
      double first = item.start + rng.Exponential(feed.delay_mean);
      double delisted = feed.delist == DelistKind::kNever
                            ? kNever
                            : std::max<double>(item.end, first) + rng.Exponential(feed.delist_mean);
      if (first > T) continue;
      ++malicious_added;
      make(i, first, delisted, true, true_category_index[item.category]);
    }
    // False positives: benign items, preferring popular ones, added at a steady rate so that
    // they make up fp_share of the feed's additions up to the build.
    auto fps = static_cast<int64_t>(
        std::llround(malicious_added * feed.fp_share / std::max(1e-9, 1.0 - feed.fp_share)));
    for (int64_t k = 0; k < fps && !fp_table.empty(); ++k) {
      uint32_t j = fp_table.Sample(rng);
      double first = rng.Uniform(0, T);
      double delisted = feed.delist == DelistKind::kNever
                            ? kNever
                            : first + rng.Exponential(7.0 * config.delist_scale);
      if (fp_mark[j] == f + 1) continue;  // the feed lists it already
      fp_mark[j] = static_cast<uint16_t>(f + 1);
      make(m + j, first, delisted, false, 0);
    }
  }
  if (progress) progress("sorting listings");
  std::sort(world.listings.begin(), world.listings.end(), [](const Listing& a, const Listing& b) {
    return a.item != b.item ? a.item < b.item : a.feed < b.feed;
  });

  // --- configured reliability: true precision at the build ± noise ------------------------
  {
    Rng rng(StreamSeed(config.seed, "reliability"));
    std::vector<int64_t> listed(world.feeds.size(), 0), good(world.feeds.size(), 0);
    for (const Listing& l : world.listings) {
      if (!l.OpenAt(T)) continue;
      ++listed[l.feed];
      if (world.items[l.item].malicious()) ++good[l.feed];
    }
    for (size_t f = 0; f < world.feeds.size(); ++f) {
      double precision = listed[f] > 0 ? static_cast<double>(good[f]) / listed[f] : 0.5;
      double noisy = 100.0 * precision + config.reliability_noise * (2 * rng.Uniform() - 1);
      world.feeds[f].reliability = static_cast<int>(std::clamp(std::lround(noisy), 1L, 99L));
    }
  }
  return world;
}

void SampleAttempts(World& world) {
  const SimConfig& c = world.config;
  const double T = world.build_day;
  const uint32_t m = world.malicious_count;
  const size_t n = world.items.size();
  world.eval_hits.assign(n, 0);
  world.local_hits.assign(n, 0);
  world.local_last.assign(n, 0);

  std::vector<double> mal(m), ben(n - m);
  for (size_t j = 0; j < ben.size(); ++j) ben[j] = world.items[m + j].weight;
  AliasTable benign_table(ben);

  // Evaluation: attempts during [T, T + eval_days) by popularity × category rate × active time.
  {
    Rng rng(StreamSeed(c.seed, "attempts"));
    for (uint32_t i = 0; i < m; ++i) {
      const Item& item = world.items[i];
      mal[i] = item.weight * world.categories[item.category].attempt_rate *
               Overlap(item.start, item.end, T, T + c.eval_days);
    }
    AliasTable table(mal);
    world.malicious_attempts = table.empty() ? 0 : c.attempts;
    for (int64_t k = 0; k < world.malicious_attempts; ++k) ++world.eval_hits[table.Sample(rng)];
    world.severity.clear();
    for (const auto& cat : world.categories) world.severity.push_back(c.scoring.SeverityOf(cat.name));
    world.weighted_attempts = 0;
    for (uint32_t i = 0; i < m; ++i) {
      world.weighted_attempts += world.eval_hits[i] * world.severity[world.items[i].category];
    }
    world.benign_attempts = std::llround(static_cast<double>(c.attempts) * c.benign_ratio);
    for (int64_t k = 0; k < world.benign_attempts; ++k) {
      ++world.eval_hits[m + benign_table.Sample(rng)];
    }
  }
  // Our logs: the same network during [T − local_days, T), of which local_fraction was logged.
  if (c.local_days > 0 && c.local_fraction > 0) {
    Rng rng(StreamSeed(c.seed, "local"));
    double lo = T - c.local_days;
    for (uint32_t i = 0; i < m; ++i) {
      const Item& item = world.items[i];
      mal[i] = item.weight * world.categories[item.category].attempt_rate *
               Overlap(item.start, item.end, lo, T);
    }
    AliasTable table(mal);
    double per_day = static_cast<double>(c.attempts) / std::max(1e-9, c.eval_days);
    int64_t count = table.empty() ? 0 : std::llround(per_day * c.local_days * c.local_fraction);
    for (int64_t k = 0; k < count; ++k) {
      uint32_t i = table.Sample(rng);
      const Item& item = world.items[i];
      double when = rng.Uniform(std::max<double>(lo, item.start), std::min<double>(T, item.end));
      ++world.local_hits[i];
      world.local_last[i] = std::max(world.local_last[i], static_cast<float>(when));
    }
    world.local_malicious = count;
    world.local_benign = std::llround(static_cast<double>(count) * c.benign_ratio);
    for (int64_t k = 0; k < world.local_benign; ++k) {
      uint32_t i = m + benign_table.Sample(rng);
      ++world.local_hits[i];
      world.local_last[i] = std::max(world.local_last[i], static_cast<float>(rng.Uniform(lo, T)));
    }
  }
}

int64_t CountUnion(const World& world) {
  int64_t count = 0;
  uint32_t last = UINT32_MAX;
  for (const Listing& l : world.listings) {
    if (l.item != last && l.OpenAt(world.build_day)) {
      ++count;
      last = l.item;
    }
  }
  return count;
}

}  // namespace mamori::rse::blocklist::sim
