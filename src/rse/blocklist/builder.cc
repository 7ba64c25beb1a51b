#include "rse/blocklist/builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/ip.h"
#include "intel/allowlist.h"
#include "rse/respond/boost_actuator.h"

namespace mamori::rse::blocklist {
namespace {

struct SourceInfo {
  std::string name;
  int reliability = 50;
  std::string default_category;
  uint16_t index = 0;  // in SelectionInput::source_names
  bool accumulating = false;  // IsAccumulating(): its open listings age from first_listed
};

// Why a value must not be blocked as it is, or nullopt. A CIDR that only contains protected
// addresses is not excluded: the selector keeps the parts around them.
std::optional<std::string> ExclusionReason(const Indicator& indicator,
                                           const intel::AllowlistMatcher& allowlist,
                                           const intel::WarningLists* warnings,
                                           const domain::ServiceLists* platforms,
                                           bool* by_user) {
  if (auto entry = allowlist.Match(indicator)) {
    bool partial = false;
    if (indicator.type == IndicatorType::kCidr && entry->kind == "cidr") {
      auto listed = Cidr::Parse(indicator.value);
      auto allowed = Cidr::Parse(entry->value);
      partial = listed && allowed && !allowed->cidr.Contains(listed->cidr);
    }
    if (!partial) {
      *by_user = true;
      return "allowlist: " + entry->value + (entry->reason.empty() ? "" : " (" + entry->reason + ")");
    }
  }
  if (warnings && indicator.type != IndicatorType::kCidr) {
    if (auto match = warnings->Match(indicator)) {
      *by_user = false;
      return match->reason;
    }
  }
  if (platforms && indicator.type == IndicatorType::kDomain &&
      platforms->IsPlatformRoot(indicator.value)) {
    *by_user = false;
    const domain::ServiceEntry* entry = platforms->FindSuffix(indicator.value);
    return fmt::format("shared platform{}: block the names below it or the URLs, never it whole",
                       entry == nullptr ? std::string()
                                        : fmt::format(" ({}, {})", entry->provider.empty()
                                                                       ? entry->domain
                                                                       : entry->provider,
                                                      domain::CategoryName(entry->category)));
  }
  return std::nullopt;
}

AddressRangeSet ProtectedAddresses(const std::vector<store::AllowlistEntry>& entries,
                                   const intel::WarningLists* warnings, UnixSeconds now) {
  AddressRangeSet set;
  if (warnings) set = warnings->protected_addresses();
  for (const auto& entry : entries) {
    if (entry.expires_at != 0 && entry.expires_at <= now) continue;
    if (entry.kind == "cidr") {
      if (auto cidr = Cidr::Parse(entry.value)) set.Add(cidr->cidr);
    } else if (entry.kind == "value") {
      if (auto ip = IpAddress::Parse(entry.value)) set.Add(*ip);
    }
  }
  set.Normalize();
  return set;
}

// The oldest delisting that can still matter: anything older has decayed to zero for every type.
UnixSeconds OldestRelevant(const ScoringConfig& scoring, UnixSeconds now) {
  double tau = std::max({scoring.ip.tau_seconds, scoring.domain.tau_seconds,
                         scoring.url.tau_seconds, scoring.hash.tau_seconds});
  return now - static_cast<UnixSeconds>(tau);
}

// Adds one listing interval's evidence. A source that listed the value several times (relisted)
// vouches once: its open interval if it has one, else its most recently seen one. Returns true
// when the source is new to `evidence`.
bool MergeEvidence(std::vector<SourceEvidence>& evidence, SourceEvidence e) {
  auto same = std::find_if(evidence.begin(), evidence.end(),
                           [&](const SourceEvidence& x) { return x.source == e.source; });
  if (same == evidence.end()) {
    evidence.push_back(std::move(e));
    return true;
  }
  if (e.delisted_at == 0 || (same->delisted_at != 0 && e.last_seen > same->last_seen)) {
    e.first_listed = std::min(e.first_listed, same->first_listed);
    *same = std::move(e);
  }
  return false;
}

LocalEvidence ToLocal(const store::SightingSummary& s, bool logs_connected) {
  return {s.hits, s.last_hit, s.own_findings, s.last_finding, logs_connected};
}

// Log sightings reach the store when any value had a log hit in the window.
bool LogsConnected(const std::vector<store::SightingSummary>& sightings) {
  return std::any_of(sightings.begin(), sightings.end(),
                     [](const store::SightingSummary& s) { return s.hits > 0; });
}

}  // namespace

Expected<ScoredIndicators> ScoreAll(store::Store& store, const intel::WarningLists* warnings,
                                    const BuildSettings& settings, UnixSeconds now,
                                    const std::function<void(int64_t)>& progress) {
  ScoredIndicators out;
  out.now = now;
  SelectionInput& input = out.input;
  input.InternCategory("");

  MAMORI_ASSIGN_OR_RETURN(auto sources, store.ListSources());
  std::unordered_map<int64_t, SourceInfo> by_id;
  for (const auto& s : sources) {
    SourceInfo info{s.name, s.reliability, s.default_category,
                    static_cast<uint16_t>(input.source_names.size()),
                    IsAccumulating(s.listed_count, s.closed_listings)};
    input.source_names.push_back(s.name);
    by_id.emplace(s.id, std::move(info));
  }
  MAMORI_ASSIGN_OR_RETURN(auto allow_entries, store.ListAllowlist());
  intel::AllowlistMatcher allowlist = intel::AllowlistMatcher::Build(allow_entries, now);
  out.protected_addresses = ProtectedAddresses(allow_entries, warnings, now);

  MAMORI_ASSIGN_OR_RETURN(auto sightings,
                          store.SummarizeSightings(now - settings.sighting_window_seconds));
  const bool logs_connected = LogsConnected(sightings);
  std::unordered_map<Indicator, LocalEvidence, IndicatorHash> local;
  for (const auto& s : sightings) local.emplace(s.indicator, ToLocal(s, logs_connected));
  std::unordered_set<Indicator, IndicatorHash> scored_local;
  // Priority points of response actions in force (blocklist_boost, rse/respond/boost_actuator.h):
  // an operator or playbook decided these matter here, listed by a feed or not.
  MAMORI_ASSIGN_OR_RETURN(auto boosts, respond::ActiveBlocklistBoosts(store));
  std::unordered_set<Indicator, IndicatorHash> boosted;

  // Evidence of the indicator being read; flushed when the next indicator starts.
  int64_t current_id = -1;
  Indicator current;
  std::vector<SourceEvidence> evidence;
  std::vector<uint16_t> source_ids;
  auto flush = [&]() {
    if (current_id < 0) return;
    bool by_user = false;
    if (ExclusionReason(current, allowlist, warnings, settings.platforms.get(), &by_user)) {
      (by_user ? out.excluded.allowlist : out.excluded.warninglist) += 1;
      return;
    }
    LocalEvidence l;
    l.logs_connected = logs_connected;
    if (auto it = local.find(current); it != local.end()) {
      l = it->second;
      scored_local.insert(current);
    }
    PriorityExplanation p = ScoreIndicator(current, evidence, l, now, settings.scoring);
    if (auto b = boosts.find(current); b != boosts.end()) {
      p.priority = std::min(100.0, p.priority + b->second);
      boosted.insert(current);
    }
    if (!(p.priority > 0)) {
      out.excluded.zero_priority += 1;
      return;
    }
    Candidate c;
    c.indicator = std::move(current);
    c.priority = p.priority;
    c.category = input.InternCategory(p.category);
    c.source_set = input.InternSourceSet(source_ids);
    c.first_seen = evidence.empty() ? now : evidence.front().first_listed;
    for (const auto& e : evidence) c.first_seen = std::min(c.first_seen, e.first_listed);
    input.candidates.push_back(std::move(c));
  };

  MAMORI_RETURN_IF_ERROR(store.ForEachListing(
      OldestRelevant(settings.scoring, now), [&](const store::ListingRow& row) {
        if (row.indicator_id != current_id) {
          flush();
          current_id = row.indicator_id;
          current = row.indicator;
          evidence.clear();
          source_ids.clear();
        }
        auto it = by_id.find(row.source_id);
        if (it == by_id.end()) return true;
        const SourceInfo& source = it->second;
        SourceEvidence e{source.name,
                         source.reliability,
                         row.confidence,
                         row.category.empty() ? source.default_category : row.category,
                         row.first_listed,
                         row.last_seen,
                         row.delisted_at,
                         source.accumulating};
        if (MergeEvidence(evidence, std::move(e))) source_ids.push_back(source.index);
        out.listings_read += 1;
        if (progress && out.listings_read % 1000000 == 0) progress(out.listings_read);
        return true;
      }));
  flush();

  for (const auto& [indicator, points] : boosts) {
    if (boosted.count(indicator)) continue;
    current_id = 0;
    current = indicator;
    evidence.clear();
    source_ids.clear();
    flush();
  }
  // Our own findings are candidates even when no feed lists them; other addresses our logs saw
  // that no feed lists are traffic an aggregate must not break lightly.
  for (const auto& s : sightings) {
    if (scored_local.count(s.indicator)) continue;
    if (s.own_findings > 0) {
      current_id = 0;
      current = s.indicator;
      evidence.clear();
      source_ids.clear();
      flush();
      continue;
    }
    auto address = IpAddress::Parse(s.indicator.value);
    if (s.hits == 0 || !address) continue;
    double cost = ObservedCost(s.indicator, ToLocal(s, logs_connected), now, settings.scoring);
    if (cost > 0) out.observed_unlisted.push_back({*address, cost});
  }
  return out;
}

Expected<Selection> BuildForProfile(const ScoredIndicators& scored, const DeviceProfile& profile,
                                    const BuildSettings& settings,
                                    const std::vector<store::BlocklistBuildEntry>& previous) {
  SelectOptions options;
  options.capacity = profile.capacity;
  options.cidr = profile.cidr;
  options.wildcard_domains = profile.wildcard_domains;
  options.min_priority = profile.min_score;
  options.aggregate = settings.aggregate;
  options.min_prefix_v4 = settings.min_prefix_v4;
  options.min_prefix_v6 = settings.min_prefix_v6;
  options.collateral_penalty = settings.collateral_penalty;
  options.churn_threshold = settings.churn_threshold;
  options.protected_addresses = &scored.protected_addresses;
  options.observed_unlisted = &scored.observed_unlisted;
  for (const auto& entry : previous) options.previous.insert(EntryKey(entry.indicator));

  if (profile.categories.empty() && profile.sources.empty()) {
    return Select(scored.input, options);
  }
  // Profile filters: keep the candidates of the named categories and listed by a named source.
  SelectionInput filtered;
  filtered.categories = scored.input.categories;
  filtered.source_names = scored.input.source_names;
  filtered.source_sets = scored.input.source_sets;
  std::vector<uint8_t> category_ok(filtered.categories.size(), profile.categories.empty());
  for (size_t k = 0; k < filtered.categories.size(); ++k) {
    for (const auto& wanted : profile.categories) {
      if (filtered.categories[k] == wanted) category_ok[k] = 1;
    }
  }
  std::vector<uint8_t> set_ok(filtered.source_sets.size(), profile.sources.empty());
  for (size_t k = 0; k < filtered.source_sets.size() && !profile.sources.empty(); ++k) {
    for (uint16_t s : filtered.source_sets[k]) {
      if (std::find(profile.sources.begin(), profile.sources.end(), filtered.source_names[s]) !=
          profile.sources.end()) {
        set_ok[k] = 1;
      }
    }
  }
  for (const Candidate& c : scored.input.candidates) {
    if (category_ok[c.category] && set_ok[c.source_set]) filtered.candidates.push_back(c);
  }
  return Select(filtered, options);
}

Expected<Explanation> ExplainIndicator(store::Store& store, const intel::WarningLists* warnings,
                                       const Indicator& indicator, const BuildSettings& settings,
                                       UnixSeconds now) {
  Explanation out;
  MAMORI_ASSIGN_OR_RETURN(auto history, store.Lookup(indicator));
  MAMORI_ASSIGN_OR_RETURN(auto sources, store.ListSources());
  MAMORI_ASSIGN_OR_RETURN(auto allow_entries, store.ListAllowlist());
  intel::AllowlistMatcher allowlist = intel::AllowlistMatcher::Build(allow_entries, now);

  std::vector<SourceEvidence> evidence;
  LocalEvidence local;
  if (history) {
    out.known = true;
    UnixSeconds oldest = OldestRelevant(settings.scoring, now);
    for (const auto& interval : history->intervals) {
      auto source = std::find_if(sources.begin(), sources.end(),
                                 [&](const auto& s) { return s.id == interval.source_id; });
      if (source == sources.end() || !source->enabled) continue;
      if (interval.delisted_at != 0 && interval.delisted_at < oldest) continue;
      SourceEvidence e{source->name,
                       source->reliability,
                       interval.confidence,
                       interval.category.empty() ? source->default_category : interval.category,
                       interval.first_listed,
                       interval.last_seen,
                       interval.delisted_at,
                       IsAccumulating(source->listed_count, source->closed_listings)};
      MergeEvidence(evidence, std::move(e));
    }
    UnixSeconds since = now - settings.sighting_window_seconds;
    for (const auto& s : history->sightings) {
      if (s.observed_at < since) continue;
      bool own = s.observer.rfind("malware:", 0) == 0 || s.observer.rfind("analysis:", 0) == 0;
      if (own) {
        local.own_findings += s.count;
        local.last_finding = std::max(local.last_finding, s.observed_at);
      } else {
        local.hits += s.count;
        local.last_hit = std::max(local.last_hit, s.observed_at);
      }
    }
  }
  MAMORI_ASSIGN_OR_RETURN(auto window,
                          store.SummarizeSightings(now - settings.sighting_window_seconds));
  out.logs_connected = LogsConnected(window);
  local.logs_connected = out.logs_connected;
  out.priority = ScoreIndicator(indicator, evidence, local, now, settings.scoring);
  bool by_user = false;
  out.excluded_by =
      ExclusionReason(indicator, allowlist, warnings, settings.platforms.get(), &by_user);
  if (!out.excluded_by && warnings && indicator.type == IndicatorType::kCidr) {
    if (auto match = warnings->Match(indicator)) {
      out.excluded_by = "contains protected addresses (" + match->reason +
                        "); only the parts around them are blocked";
    }
  }
  if (out.excluded_by && !(indicator.type == IndicatorType::kCidr && !by_user &&
                           out.excluded_by->rfind("contains", 0) == 0)) {
    out.priority.excluded = out.excluded_by;
    out.priority.priority = 0;
  }
  return out;
}

}  // namespace mamori::rse::blocklist
