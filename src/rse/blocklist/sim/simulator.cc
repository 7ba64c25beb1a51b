#include "rse/blocklist/sim/simulator.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "rse/blocklist/scoring.h"
#include "rse/blocklist/selector.h"
#include "rse/blocklist/sim/baselines.h"
#include "rse/blocklist/sim/world.h"

namespace mamori::rse::blocklist::sim {

std::string_view SimClassName(SimClass item_class) {
  return item_class == SimClass::kIpv4 ? "ipv4" : "domain";
}

std::vector<CategoryModel> DefaultCategories(SimClass item_class) {
  if (item_class == SimClass::kIpv4) {
    // Scanners dominate IP feeds; C2 beacons repeat (higher rate); phishing IPs are visited
    // once or twice per victim.
    return {{"c2", 0.10, 2.0, 14},
            {"malware", 0.25, 1.0, 10},
            {"phishing", 0.10, 0.5, 5},
            {"scanner", 0.55, 1.5, 20}};
  }
  return {{"c2", 0.15, 2.0, 30}, {"malware", 0.35, 1.0, 20}, {"phishing", 0.50, 0.5, 4}};
}

// Sized so that the default feeds list about 1,000,000 entries on the build day.
int64_t DefaultMalicious(SimClass item_class) {
  return item_class == SimClass::kIpv4 ? 1'100'000 : 1'100'000;
}
int64_t DefaultBenign(SimClass item_class) { return 2'000'000; }

Status ValidateConfig(const SimConfig& c) {
  auto bad = [](std::string flag, std::string what) {
    return MakeError(ErrorCode::kInvalidArgument, std::move(what), std::move(flag));
  };
  if (!(c.scale > 0) || c.scale > 100) return bad("--scale", "must be in (0, 100]");
  if (c.malicious < 0 || c.malicious > 100'000'000) return bad("--malicious", "must be 0..1e8");
  if (c.benign < 0 || c.benign > 100'000'000) return bad("--benign", "must be 0..1e8");
  if (c.union_size < 0) return bad("--union-size", "must be >= 0");
  if (!(c.days > 0) || c.days > 3650) return bad("--days", "must be in (0, 3650]");
  if (!(c.eval_days > 0) || c.eval_days > 365) return bad("--eval-days", "must be in (0, 365]");
  if (c.feeds < 1 || c.feeds > 1000) return bad("--feeds", "must be 1..1000");
  if (!(c.zipf > 0) || c.zipf > 5) return bad("--zipf", "must be in (0, 5]");
  if (!(c.benign_zipf > 0) || c.benign_zipf > 5) return bad("--benign-zipf", "must be in (0, 5]");
  if (c.categories.size() > 200) return bad("--category-mix", "at most 200 categories");
  double share = 0;
  for (const auto& cat : c.categories) {
    if (cat.name.empty()) return bad("--category-mix", "a category needs a name");
    if (cat.share < 0 || cat.attempt_rate < 0 || !(cat.lifetime_days > 0)) {
      return bad("--category-mix",
                 fmt::format("category {}: share and rate must be >= 0, lifetime > 0", cat.name));
    }
    share += cat.share;
  }
  if (!c.categories.empty() && !(share > 0)) return bad("--category-mix", "shares sum to 0");
  auto unit = [](double v) { return v >= 0 && v <= 1; };
  if (!unit(c.cluster_share)) return bad("--cluster-share", "must be in [0, 1]");
  if (!unit(c.cdn_share)) return bad("--cdn-share", "must be in [0, 1]");
  if (c.cluster_min < 1 || c.cluster_max > 254 || c.cluster_min > c.cluster_max) {
    return bad("--cluster-size", "needs 1 <= min <= max <= 254");
  }
  if (c.cdn_min < 1 || c.cdn_max > 254 || c.cdn_min > c.cdn_max) {
    return bad("--cdn-size", "needs 1 <= min <= max <= 254");
  }
  for (auto [flag, v] : {std::pair{"--cloud-malicious-share", c.cloud_malicious_share},
                         {"--well-known-share", c.well_known_share},
                         {"--warninglist-top", c.warninglist_top},
                         {"--warninglist-cdn", c.warninglist_cdn}}) {
    if (!unit(v)) return bad(flag, "must be in [0, 1]");
  }
  if (c.cluster_share + c.cloud_malicious_share > 1) {
    return bad("--cloud-malicious-share", "with --cluster-share must not exceed 1");
  }
  if (c.cluster_benign < 0 || c.cluster_benign > 10) return bad("--cluster-benign", "0..10");
  if (c.visibility_exponent < 0 || c.visibility_exponent > 3) {
    return bad("--visibility-exponent", "must be in [0, 3]");
  }
  for (auto [flag, v] : {std::pair{"--coverage-scale", c.coverage_scale},
                         {"--delay-scale", c.delay_scale},
                         {"--delist-scale", c.delist_scale},
                         {"--fp-scale", c.fp_scale}}) {
    if (!(v > 0) || v > 100) return bad(flag, "must be in (0, 100]");
  }
  if (c.fp_popularity_exponent < 0 || c.fp_popularity_exponent > 3) {
    return bad("--fp-popularity-exponent", "must be in [0, 3]");
  }
  if (c.reliability_noise < 0 || c.reliability_noise > 100) {
    return bad("--reliability-noise", "must be in [0, 100]");
  }
  if (c.attempts < 1 || c.attempts > 1'000'000'000) return bad("--attempts", "must be 1..1e9");
  if (c.benign_ratio < 0 || c.benign_ratio > 1000) return bad("--benign-ratio", "0..1000");
  if (c.local_days < 0 || c.local_days > c.days) return bad("--local-days", "0..--days");
  if (!unit(c.local_fraction)) return bad("--local-fraction", "must be in [0, 1]");
  if (c.budgets.empty()) return bad("--budgets", "needs at least one budget");
  for (int64_t b : c.budgets) {
    if (b < 1) return bad("--budgets", "budgets must be >= 1");
  }
  return Ok();
}

Expected<std::vector<std::pair<std::string, double>>> ParseNamedValues(std::string_view text) {
  std::vector<std::pair<std::string, double>> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string_view part = text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
    pos = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front()))) {
      part.remove_prefix(1);
    }
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) {
      part.remove_suffix(1);
    }
    if (part.empty()) continue;
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("expected NAME:NUMBER, got '{}'", part));
    }
    std::string number(part.substr(colon + 1));
    char* end = nullptr;
    double value = std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(value)) {
      return MakeError(ErrorCode::kInvalidArgument, fmt::format("not a number in '{}'", part));
    }
    out.emplace_back(std::string(part.substr(0, colon)), value);
  }
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

// Scored candidates for every union item, from the world's listing history and log sightings,
// exactly as the product would build them from its store.
SelectionInput BuildCandidates(const World& world) {
  SelectionInput input;
  for (const FeedModel& feed : world.feeds) input.source_names.push_back(feed.name);
  input.InternCategory("");
  const ScoringConfig& scoring = world.config.scoring;
  const double T = world.build_day;
  const UnixSeconds now = DayToUnix(T);
  const IndicatorType type = world.IsIpv4() ? IndicatorType::kIpv4 : IndicatorType::kDomain;
  std::vector<SourceEvidence> evidence;
  std::vector<uint16_t> sources;
  const auto& listings = world.listings;
  // What the store's per-source counters would say on day T (IsAccumulating).
  std::vector<int64_t> open_count(world.feeds.size()), closed_count(world.feeds.size());
  for (const Listing& l : listings) (l.OpenAt(T) ? open_count : closed_count)[l.feed] += 1;
  std::vector<uint8_t> accumulating(world.feeds.size());
  for (size_t f = 0; f < world.feeds.size(); ++f) {
    accumulating[f] = IsAccumulating(open_count[f], closed_count[f]);
  }
  const bool logs_connected = world.local_malicious + world.local_benign > 0;
  for (size_t begin = 0; begin < listings.size();) {
    size_t end = begin;
    bool open = false;
    while (end < listings.size() && listings[end].item == listings[begin].item) {
      open = open || listings[end].OpenAt(T);
      ++end;
    }
    if (!open) {
      begin = end;
      continue;
    }
    uint32_t item = listings[begin].item;
    if (world.Protected(item)) {  // warning lists exclude it outright
      begin = end;
      continue;
    }
    evidence.clear();
    sources.clear();
    float first = listings[begin].first_listed;
    for (size_t k = begin; k < end; ++k) {
      const Listing& l = listings[k];
      const FeedModel& feed = world.feeds[l.feed];
      SourceEvidence e;
      e.source = feed.name;
      e.reliability = feed.reliability;
      e.confidence = l.confidence;
      e.category = world.listing_categories[l.category];
      e.first_listed = DayToUnix(l.first_listed);
      e.accumulating = accumulating[l.feed] != 0;
      if (l.OpenAt(T)) {
        e.last_seen = now;  // the source's last successful refresh (the store's semantics)
      } else {
        e.delisted_at = DayToUnix(l.delisted);
        e.last_seen = std::max(e.first_listed, DayToUnix(l.delisted - feed.refresh_days));
      }
      evidence.push_back(std::move(e));
      sources.push_back(l.feed);
      first = std::min(first, l.first_listed);
    }
    LocalEvidence local;
    local.logs_connected = logs_connected;
    if (world.local_hits[item] > 0) {
      local.hits = world.local_hits[item];
      local.last_hit = DayToUnix(world.local_last[item]);
    }
    Indicator indicator{type, world.ItemValue(item)};
    PriorityExplanation scored = ScoreIndicator(indicator, evidence, local, now, scoring);
    Candidate candidate;
    candidate.indicator = std::move(indicator);
    candidate.priority = scored.priority;
    candidate.category = input.InternCategory(scored.category);
    candidate.source_set = input.InternSourceSet(sources);
    candidate.first_seen = DayToUnix(first);
    input.candidates.push_back(std::move(candidate));
    begin = end;
  }
  return input;
}

// Addresses our logs saw before the build that no feed lists on day T, with what an aggregate
// covering them would cost — what the builder takes from the store's sightings.
std::vector<ObservedAddress> ObservedUnlisted(const World& world,
                                              const std::vector<uint32_t>& union_items) {
  std::vector<ObservedAddress> out;
  if (!world.IsIpv4()) return out;
  std::vector<uint8_t> listed(world.items.size(), 0);
  for (uint32_t i : union_items) listed[i] = 1;
  const UnixSeconds now = DayToUnix(world.build_day);
  const Indicator any_ipv4{IndicatorType::kIpv4, ""};  // ObservedCost needs only the type
  for (uint32_t i = 0; i < world.items.size(); ++i) {
    if (listed[i] || world.local_hits[i] == 0) continue;
    LocalEvidence local;
    local.hits = world.local_hits[i];
    local.last_hit = DayToUnix(world.local_last[i]);
    local.logs_connected = true;
    double cost = ObservedCost(any_ipv4, local, now, world.config.scoring);
    if (cost > 0) out.push_back({IpAddress::FromV4(world.items[i].address), cost});
  }
  return out;
}

Status DumpEntries(const World& world, const EntryIndex& index,
                   const std::vector<BlocklistEntry>& entries, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return MakeError(ErrorCode::kIo, "cannot write", path);
  std::fprintf(f, "entry\tpriority\tcategory\tsources\tmalicious_items\tbenign_items\t"
               "malicious_attempts\tbenign_attempts\n");
  for (const BlocklistEntry& e : entries) {
    int64_t mal = 0, ben = 0, mal_hits = 0, ben_hits = 0;
    for (uint32_t i : index.Covered({e})) {
      bool bad = world.items[i].malicious();
      (bad ? mal : ben) += 1;
      (bad ? mal_hits : ben_hits) += world.eval_hits[i];
    }
    std::fprintf(f, "%s\t%.3f\t%s\t%zu\t%lld\t%lld\t%lld\t%lld\n", e.indicator.value.c_str(),
                 e.priority, e.category.c_str(), e.sources.size(), static_cast<long long>(mal),
                 static_cast<long long>(ben), static_cast<long long>(mal_hits),
                 static_cast<long long>(ben_hits));
  }
  bool ok = std::fclose(f) == 0;
  if (!ok) return MakeError(ErrorCode::kIo, "cannot write", path);
  return Ok();
}

nlohmann::json StrategyJson(const StrategyResult& r, const std::vector<std::string>& categories,
                            int64_t malicious_attempts) {
  nlohmann::json by_category = nlohmann::json::object();
  for (size_t c = 0; c < categories.size() && c < r.malicious_blocked_by_category.size(); ++c) {
    by_category[categories[c]] = r.malicious_blocked_by_category[c];
  }
  nlohmann::json j = {{"strategy", r.strategy},
                      {"entries", r.entries},
                      {"malicious_blocked", r.malicious_blocked},
                      {"benign_blocked", r.benign_blocked},
                      {"malicious_share", r.malicious_share},
                      {"benign_share", r.benign_share},
                      {"weighted_share", r.weighted_share},
                      {"malicious_blocked_by_category", by_category}};
  if (!r.detail.empty()) j["feed"] = r.detail;
  if (r.strategy == "ours") j["aggregates"] = r.aggregates;
  return j;
}

}  // namespace

Expected<SimReport> RunBlocklistSim(const SimConfig& config, const SimProgressFn& progress) {
  MAMORI_RETURN_IF_ERROR(ValidateConfig(config));
  auto start = Clock::now();
  auto say = [&](std::string_view phase, std::string_view detail) {
    if (progress) progress(phase, detail);
  };
  SimConfig effective = EffectiveConfig(config);
  if (config.union_size > 0) {
    // Pilot at a tenth of the size; the union grows linearly with the item counts.
    say("calibrating", fmt::format("union size {}", config.union_size));
    SimConfig pilot = effective;
    pilot.malicious = std::max<int64_t>(1000, effective.malicious / 10);
    pilot.benign = std::max<int64_t>(1000, effective.benign / 10);
    int64_t pilot_union = CountUnion(GenerateWorld(pilot));
    if (pilot_union == 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the feeds list nothing with these parameters; cannot reach the size",
                       "--union-size");
    }
    double factor = static_cast<double>(config.union_size) / static_cast<double>(pilot_union);
    effective.malicious = std::max<int64_t>(1, std::llround(pilot.malicious * factor));
    effective.benign = std::max<int64_t>(1, std::llround(pilot.benign * factor));
    if (effective.malicious > 100'000'000 || effective.benign > 100'000'000) {
      return MakeError(ErrorCode::kInvalidArgument, "needs more than 1e8 items", "--union-size");
    }
  }

  SimReport report;
  report.config = effective;
  for (const auto& cat : effective.categories) report.categories.push_back(cat.name);

  World world = GenerateWorld(effective, [&](std::string_view phase) { say("generating", phase); });
  say("generating", "attempts");
  SampleAttempts(world);
  report.seconds.generate = Since(start);

  // World summary.
  const double T = world.build_day;
  WorldSummary& ws = report.world;
  ws.malicious_items = world.malicious_count;
  ws.benign_items = static_cast<int64_t>(world.items.size()) - world.malicious_count;
  for (uint32_t i = 0; i < world.malicious_count; ++i) {
    if (world.items[i].start <= T && world.items[i].end > T) ++ws.active_at_build;
  }
  std::vector<uint32_t> union_items = UnionItems(world);
  ws.union_entries = static_cast<int64_t>(union_items.size());
  for (uint32_t i : union_items) {
    const Item& item = world.items[i];
    if (!item.malicious()) {
      ++ws.union_benign;
      continue;
    }
    ++ws.union_malicious;
    if (item.start <= T && item.end > T) ++ws.union_active;
  }
  ws.listings = static_cast<int64_t>(world.listings.size());
  ws.cluster_prefixes = world.cluster_prefixes;
  report.malicious_attempts = world.malicious_attempts;
  report.benign_attempts = world.benign_attempts;
  report.local_malicious_hits = world.local_malicious;
  report.local_benign_hits = world.local_benign;

  for (const FeedModel& feed : world.feeds) {
    FeedSummary s;
    s.name = feed.name;
    s.archetype = feed.archetype;
    s.coverage = feed.coverage;
    s.delay_days = feed.delay_mean;
    s.delist_days = feed.delist == DelistKind::kNever ? -1 : feed.delist_mean;
    s.fp_share = feed.fp_share;
    s.reliability = feed.reliability;
    report.feeds.push_back(std::move(s));
  }
  for (const Listing& l : world.listings) {
    if (!l.OpenAt(T)) continue;
    FeedSummary& s = report.feeds[l.feed];
    const Item& item = world.items[l.item];
    ++s.listed;
    if (item.malicious()) {
      ++s.listed_malicious;
      if (item.start <= T && item.end > T) ++s.listed_active;
    }
  }
  for (FeedSummary& s : report.feeds) {
    s.precision = s.listed > 0 ? static_cast<double>(s.listed_malicious) / s.listed : 0;
  }

  // Scoring.
  auto t_score = Clock::now();
  say("scoring", fmt::format("{} candidates", union_items.size()));
  SelectionInput input = BuildCandidates(world);
  const std::vector<ObservedAddress> observed = ObservedUnlisted(world, union_items);
  ws.candidates = static_cast<int64_t>(input.candidates.size());
  for (uint32_t i : union_items) {
    if (world.Protected(i)) ++(world.items[i].malicious() ? ws.excluded_malicious : ws.excluded_benign);
  }
  report.seconds.score = Since(t_score);

  auto t_eval = Clock::now();
  report.union_result = EvaluateItems(world, union_items, "union");
  std::vector<float> first_listed = FirstListed(world);
  EntryIndex index(world);
  report.seconds.evaluate += Since(t_eval);

  for (int64_t budget : effective.budgets) {
    BudgetResult br;
    br.budget = budget;
    say("selecting", fmt::format("budget {}", budget));
    auto t_select = Clock::now();
    SelectOptions options;
    options.aggregate = effective.aggregate;
    options.collateral_penalty = effective.collateral_penalty;
    options.min_prefix_v4 = effective.min_prefix_v4;
    if (world.IsIpv4()) {
      options.capacity.ip = budget;
      options.protected_addresses = &world.protected_addresses;
      options.observed_unlisted = &observed;
    } else {
      options.capacity.domain = budget;
    }
    auto selection = Select(input, options);
    if (!selection) return tl::unexpected(selection.error().WithContext("sim: select"));
    report.seconds.select += Since(t_select);

    auto t_budget = Clock::now();
    say("evaluating", fmt::format("budget {}", budget));
    const auto& entries = selection->list.entries;
    br.ours = EvaluateItems(world, index.Covered(entries), "ours");
    if (!effective.dump_dir.empty()) {
      MAMORI_RETURN_IF_ERROR(DumpEntries(world, index, entries,
                                         fmt::format("{}/ours-{}.tsv", effective.dump_dir, budget)));
    }
    br.ours.entries = static_cast<int64_t>(entries.size());
    br.ours.aggregates = std::count_if(entries.begin(), entries.end(), [](const auto& e) {
      return e.indicator.type == IndicatorType::kCidr;
    });
    br.newest = EvaluateItems(world, NewestFirst(union_items, first_listed, budget), "newest");
    br.best_feed = BestFeed(world, budget);
    br.oracle = EvaluateItems(world, Oracle(world, union_items, budget), "oracle");
    br.sighted =
        EvaluateItems(world, MostSighted(world, union_items, first_listed, budget), "sighted");
    br.ours_vs_union = Ratio(br.ours.malicious_share, report.union_result.malicious_share);
    br.ours_vs_newest = Ratio(br.ours.malicious_share, br.newest.malicious_share);
    br.ours_vs_best_feed = Ratio(br.ours.malicious_share, br.best_feed.malicious_share);
    report.budgets.push_back(std::move(br));
    report.seconds.evaluate += Since(t_budget);
  }
  report.seconds.total = Since(start);
  return report;
}

nlohmann::json ToJson(const SimReport& r) {
  using nlohmann::json;
  const SimConfig& c = r.config;
  json categories = json::array();
  for (const auto& cat : c.categories) {
    categories.push_back({{"name", cat.name},
                          {"share", cat.share},
                          {"attempt_rate", cat.attempt_rate},
                          {"lifetime_days", cat.lifetime_days}});
  }
  json config = {{"seed", c.seed},
                 {"class", SimClassName(c.item_class)},
                 {"malicious", c.malicious},
                 {"benign", c.benign},
                 {"days", c.days},
                 {"eval_days", c.eval_days},
                 {"feeds", c.feeds},
                 {"zipf", c.zipf},
                 {"benign_zipf", c.benign_zipf},
                 {"categories", categories},
                 {"cluster_share", c.cluster_share},
                 {"cluster_size", {c.cluster_min, c.cluster_max}},
                 {"cluster_benign", c.cluster_benign},
                 {"cdn_share", c.cdn_share},
                 {"cdn_size", {c.cdn_min, c.cdn_max}},
                 {"cloud_malicious_share", c.cloud_malicious_share},
                 {"well_known_share", c.well_known_share},
                 {"warninglist_top", c.warninglist_top},
                 {"warninglist_cdn", c.warninglist_cdn},
                 {"visibility_exponent", c.visibility_exponent},
                 {"coverage_scale", c.coverage_scale},
                 {"delay_scale", c.delay_scale},
                 {"delist_scale", c.delist_scale},
                 {"fp_scale", c.fp_scale},
                 {"fp_popularity_exponent", c.fp_popularity_exponent},
                 {"reliability_noise", c.reliability_noise},
                 {"all_delist", c.all_delist},
                 {"attempts", c.attempts},
                 {"benign_ratio", c.benign_ratio},
                 {"local_days", c.local_days},
                 {"local_fraction", c.local_fraction},
                 {"budgets", c.budgets},
                 {"product",
                  {{"ip_decay", {{"tau_days", c.scoring.ip.tau_seconds / 86400},
                                 {"delta", c.scoring.ip.delta}}},
                   {"domain_decay", {{"tau_days", c.scoring.domain.tau_seconds / 86400},
                                     {"delta", c.scoring.domain.delta}}},
                   {"severity", c.scoring.severity},
                   {"sighting_weight", c.scoring.sighting_weight},
                   {"sighting_full_hits", c.scoring.sighting_full_hits},
                   {"observed_collateral", c.scoring.observed_collateral},
                   {"aggregate", c.aggregate},
                   {"collateral_penalty", c.collateral_penalty},
                   {"min_prefix_v4", c.min_prefix_v4}}}};
  const WorldSummary& w = r.world;
  json world = {{"malicious_items", w.malicious_items},
                {"benign_items", w.benign_items},
                {"active_at_build", w.active_at_build},
                {"union_entries", w.union_entries},
                {"union_malicious", w.union_malicious},
                {"union_active", w.union_active},
                {"union_benign", w.union_benign},
                {"listings", w.listings},
                {"cluster_prefixes", w.cluster_prefixes},
                {"candidates", w.candidates},
                {"excluded_malicious", w.excluded_malicious},
                {"excluded_benign", w.excluded_benign}};
  json feeds = json::array();
  for (const FeedSummary& f : r.feeds) {
    feeds.push_back({{"name", f.name},
                     {"archetype", f.archetype},
                     {"coverage", f.coverage},
                     {"delay_days", f.delay_days},
                     {"delist_days", f.delist_days < 0 ? json(nullptr) : json(f.delist_days)},
                     {"fp_share", f.fp_share},
                     {"listed", f.listed},
                     {"listed_malicious", f.listed_malicious},
                     {"listed_active", f.listed_active},
                     {"precision", f.precision},
                     {"reliability", f.reliability}});
  }
  json budgets = json::array();
  for (const BudgetResult& b : r.budgets) {
    budgets.push_back(
        {{"budget", b.budget},
         {"ours", StrategyJson(b.ours, r.categories, r.malicious_attempts)},
         {"newest", StrategyJson(b.newest, r.categories, r.malicious_attempts)},
         {"best_feed", StrategyJson(b.best_feed, r.categories, r.malicious_attempts)},
         {"oracle", StrategyJson(b.oracle, r.categories, r.malicious_attempts)},
         {"sighted", StrategyJson(b.sighted, r.categories, r.malicious_attempts)},
         {"ratios",
          {{"ours_vs_union", b.ours_vs_union},
           {"ours_vs_newest", b.ours_vs_newest},
           {"ours_vs_best_feed", b.ours_vs_best_feed}}}});
  }
  return {{"config", config},
          {"world", world},
          {"feeds", feeds},
          {"attempts",
           {{"malicious", r.malicious_attempts},
            {"benign", r.benign_attempts},
            {"logged_malicious", r.local_malicious_hits},
            {"logged_benign", r.local_benign_hits}}},
          {"union", StrategyJson(r.union_result, r.categories, r.malicious_attempts)},
          {"budgets", budgets},
          {"seconds",
           {{"generate", r.seconds.generate},
            {"score", r.seconds.score},
            {"select", r.seconds.select},
            {"evaluate", r.seconds.evaluate},
            {"total", r.seconds.total}}}};
}

namespace {

std::string Count(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

std::string Percent(double share) { return fmt::format("{:.2f}%", 100.0 * share); }

}  // namespace

std::string FormatReport(const SimReport& r) {
  const SimConfig& c = r.config;
  const WorldSummary& w = r.world;
  std::string out;
  out += fmt::format(
      "blocklist simulation: {}, seed {}, list built on day {:g}, evaluated over {:g} days\n",
      SimClassName(c.item_class), c.seed, c.days, c.eval_days);
  out += fmt::format("world:    {} malicious items ({} active on the build day), {} benign; {} feeds\n",
                     Count(w.malicious_items), Count(w.active_at_build), Count(w.benign_items),
                     r.feeds.size());
  out += fmt::format(
      "union:    {} entries: {} malicious ({} still active, {} stale), {} benign\n",
      Count(w.union_entries), Count(w.union_malicious), Count(w.union_active),
      Count(w.union_malicious - w.union_active), Count(w.union_benign));
  out += fmt::format("ours:     {} candidates after our warning lists ({} malicious, {} benign "
                     "entries excluded)\n",
                     Count(w.candidates), Count(w.excluded_malicious), Count(w.excluded_benign));
  out += fmt::format(
      "attempts: {} malicious, {} benign after the build; logs saw {} + {} before it\n\n",
      Count(r.malicious_attempts), Count(r.benign_attempts), Count(r.local_malicious_hits),
      Count(r.local_benign_hits));
  out += fmt::format("{:>9}  {:<26} {:>10}  {:>10}  {:>9}  {:>10}  {:>8}\n", "BUDGET",
                     "STRATEGY", "ENTRIES", "MALICIOUS", "WEIGHTED", "BENIGN", "OURS/IT");
  auto row = [&](std::string budget, const StrategyResult& s, double ratio) {
    std::string name = s.detail.empty() ? s.strategy : fmt::format("{} ({})", s.strategy, s.detail);
    out += fmt::format("{:>9}  {:<26} {:>10}  {:>10}  {:>9}  {:>10}  {:>8}\n", budget, name,
                       Count(s.entries), Percent(s.malicious_share), Percent(s.weighted_share),
                       Percent(s.benign_share), ratio > 0 ? fmt::format("{:.2f}", ratio) : "-");
  };
  for (const BudgetResult& b : r.budgets) {
    row(Count(b.budget), b.ours, 0);
    row("", b.newest, b.ours_vs_newest);
    row("", b.best_feed, b.ours_vs_best_feed);
    row("", r.union_result, b.ours_vs_union);
    row("", b.sighted, Ratio(b.ours.malicious_share, b.sighted.malicious_share));
    row("", b.oracle, Ratio(b.ours.malicious_share, b.oracle.malicious_share));
  }
  out += "\nMALICIOUS/BENIGN: share of all malicious/benign attempts the list blocks; WEIGHTED: "
         "malicious attempts weighted by category severity.\nOURS/IT: ours' MALICIOUS ÷ that "
         "strategy's. sighted: union entries by our log hits, then newest (a reference for the log "
         "signal).\noracle: the budget's most-attempted union entries, in hindsight (a bound, not "
         "a strategy).\n\n";
  out += fmt::format("{:<14} {:<10} {:>5} {:>6} {:>7} {:>5} {:>10} {:>10} {:>9} {:>4}\n", "FEED",
                     "ARCHETYPE", "COVER", "DELAY", "DELIST", "FP", "LISTED", "ACTIVE",
                     "PRECISION", "REL");
  for (const FeedSummary& f : r.feeds) {
    out += fmt::format("{:<14} {:<10} {:>5.2f} {:>5.1f}d {:>7} {:>5.1f}% {:>10} {:>10} {:>9} {:>4}\n",
                       f.name, f.archetype, f.coverage, f.delay_days,
                       f.delist_days < 0 ? std::string("never")
                                         : fmt::format("{:.1f}d", f.delist_days),
                       100.0 * f.fp_share, Count(f.listed), Count(f.listed_active),
                       Percent(f.precision), f.reliability);
  }
  out += fmt::format("\n{:.1f}s (generate {:.1f}, score {:.1f}, select {:.1f}, evaluate {:.1f})\n",
                     r.seconds.total, r.seconds.generate, r.seconds.score, r.seconds.select,
                     r.seconds.evaluate);
  return out;
}

}  // namespace mamori::rse::blocklist::sim
