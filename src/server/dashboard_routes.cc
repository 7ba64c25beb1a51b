#include "server/dashboard_routes.h"

#include <httplib.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "core/error.h"
#include "server/json_reply.h"

namespace mamori::server {
namespace {

using nlohmann::json;

// Enough for any demo or small-site store; beyond it the dashboard says it is truncated rather
// than taking seconds to draw.
constexpr int kMaxDetectionsRead = 20000;
constexpr int64_t kMicros = 1000000;

int LevelRank(std::string_view level) {
  static constexpr std::string_view kLevels[] = {"informational", "low", "medium", "high",
                                                 "critical"};
  for (int i = 0; i < 5; ++i) {
    if (kLevels[i] == level) return i;
  }
  return -1;
}

std::string MaxLevel(const std::string& a, const std::string& b) {
  return LevelRank(b) > LevelRank(a) ? b : a;
}

// One row of "top sources" or "infected hosts": the detections of one group value.
struct GroupSummary {
  int64_t detections = 0;
  int64_t events = 0;
  bool ongoing = false;
  std::string max_level;
  int64_t first = 0;
  int64_t last = 0;
  std::set<std::string> rules;
  std::set<std::string> targets;
  int64_t latest_id = 0;
};

void Add(GroupSummary& g, const store::DetectionRecord& d) {
  ++g.detections;
  g.events += d.count;
  g.ongoing = g.ongoing || d.ongoing;
  g.max_level = MaxLevel(g.max_level, d.level);
  g.first = g.first == 0 ? d.first_time : std::min(g.first, d.first_time);
  g.last = std::max(g.last, d.last_time);
  g.rules.insert(d.rule_id);
  if (!d.target.empty()) g.targets.insert(d.target);
  g.latest_id = std::max(g.latest_id, d.id);
}

std::string MicrosIso(int64_t micros) { return FormatIso8601(micros / kMicros); }

json GroupsJson(const std::map<std::string, GroupSummary>& groups, const char* key,
                const char* targets_key, size_t limit, bool by_recency) {
  std::vector<std::pair<std::string, const GroupSummary*>> rows;
  for (const auto& [value, g] : groups) rows.emplace_back(value, &g);
  std::sort(rows.begin(), rows.end(), [by_recency](const auto& a, const auto& b) {
    if (by_recency && a.second->last != b.second->last) return a.second->last > b.second->last;
    if (a.second->detections != b.second->detections) {
      return a.second->detections > b.second->detections;
    }
    if (a.second->events != b.second->events) return a.second->events > b.second->events;
    return a.first < b.first;
  });
  json out = json::array();
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    const GroupSummary& g = *rows[i].second;
    json targets = json::array();
    for (const auto& t : g.targets) {
      if (targets.size() == 10) break;
      targets.push_back(t);
    }
    out.push_back({{key, rows[i].first},
                   {"detections", g.detections},
                   {"events", g.events},
                   {"max_level", g.max_level},
                   {"ongoing", g.ongoing},
                   {"first", MicrosIso(g.first)},
                   {"last", MicrosIso(g.last)},
                   {"rules", g.rules},
                   {targets_key, targets},
                   {"latest_detection_id", g.latest_id}});
  }
  return out;
}

}  // namespace

bool IsIntelRule(std::string_view rule_id) {
  return rule_id.starts_with("mamori-intel-") || rule_id.starts_with("intel_") ||
         rule_id.starts_with("intel-");
}

json DashboardJson(const std::vector<store::DetectionRecord>& detections, UnixSeconds now,
                   int64_t range_seconds, bool truncated) {
  const int64_t bucket_seconds = range_seconds <= 2 * 86400 ? 3600 : 6 * 3600;
  // Buckets end at the next bucket boundary after now, so the last one is the current hour.
  const int64_t end = (now / bucket_seconds + 1) * bucket_seconds;
  const int64_t n_buckets = (range_seconds + bucket_seconds - 1) / bucket_seconds;
  const int64_t start = end - n_buckets * bucket_seconds;
  std::vector<std::map<std::string, int64_t>> buckets(n_buckets);

  std::map<std::string, int64_t> by_level;
  std::map<std::string, GroupSummary> sources, hosts;
  int64_t events = 0, ongoing = 0;
  for (const auto& d : detections) {
    // A detection that began before the range but is still active counts in the first bucket.
    int64_t at = std::clamp<int64_t>(d.first_time / kMicros, start, end - 1);
    buckets[(at - start) / bucket_seconds][d.level]++;
    by_level[d.level]++;
    events += d.count;
    if (d.ongoing) ++ongoing;
    if (d.group_value.empty()) continue;
    Add(IsIntelRule(d.rule_id) ? hosts[d.group_value] : sources[d.group_value], d);
  }

  json series = json::array();
  for (int64_t i = 0; i < n_buckets; ++i) {
    int64_t total = 0;
    for (const auto& [level, n] : buckets[i]) total += n;
    series.push_back({{"start", FormatIso8601(start + i * bucket_seconds)},
                      {"count", total},
                      {"by_level", buckets[i]}});
  }
  return {{"generated_at", FormatIso8601(now)},
          {"range_seconds", range_seconds},
          {"since", FormatIso8601(now - range_seconds)},
          {"truncated", truncated},
          {"totals",
           {{"detections", static_cast<int64_t>(detections.size())},
            {"events", events},
            {"ongoing", ongoing},
            {"by_level", by_level}}},
          {"detections_over_time", {{"bucket_seconds", bucket_seconds}, {"buckets", series}}},
          {"top_sources", GroupsJson(sources, "source", "targets", 10, false)},
          {"infected_hosts", GroupsJson(hosts, "host", "indicators", 50, true)}};
}

void RegisterDashboardRoutes(httplib::Server& http, store::Store& store, Clock& clock) {
  http.Get("/api/v1/dashboard", [&store, &clock](const httplib::Request& req,
                                                 httplib::Response& res) {
    int64_t range = 86400;
    for (const auto& [name, value] : req.params) {
      if (name != "range") {
        return SendError(res, 400,
                         Error{ErrorCode::kInvalidArgument, "unknown parameter (use range)", name});
      }
      if (value == "24h" || value == "1d") {
        range = 86400;
      } else if (value == "7d") {
        range = 7 * 86400;
      } else {
        return SendError(res, 400,
                         Error{ErrorCode::kInvalidArgument, "range must be 24h or 7d", value});
      }
    }
    const UnixSeconds now = clock.Now();
    store::DetectionQuery query;
    query.since = (now - range) * kMicros;
    query.limit = 1000;
    std::vector<store::DetectionRecord> all;
    bool truncated = false;
    while (true) {
      auto page = store.ListDetections(query);
      if (!page) return SendError(res, 500, page.error());
      for (auto& d : *page) {
        d.evidence_json.clear();  // not needed here; keeps memory flat on big pages
        all.push_back(std::move(d));
      }
      if (page->size() < static_cast<size_t>(query.limit)) break;
      if (all.size() >= static_cast<size_t>(kMaxDetectionsRead)) {
        truncated = true;
        break;
      }
      query.before_id = all.back().id;
    }
    SendJson(res, 200, DashboardJson(all, now, range, truncated));
  });

  http.Get(R"(/api/v1/blocklists/([A-Za-z0-9._-]{1,128})/builds)",
           [&store](const httplib::Request& req, httplib::Response& res) {
             int limit = 20;
             if (req.has_param("limit")) {
               const std::string v = req.get_param_value("limit");
               if (v.empty() || v.size() > 4 ||
                   !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
                   std::stoi(v) < 1 || std::stoi(v) > 200) {
                 return SendError(
                     res, 400, Error{ErrorCode::kInvalidArgument, "limit must be 1..200", v});
               }
               limit = std::stoi(v);
             }
             auto builds = store.ListBlocklistBuilds(req.matches[1].str(), limit);
             if (!builds) return SendError(res, 500, builds.error());
             json list = json::array();
             for (const auto& b : *builds) {
               json report = json::parse(b.report_json, nullptr, false);
               if (report.is_discarded()) report = json::object();
               list.push_back({{"id", b.id},
                               {"built_at", FormatIso8601(b.built_at)},
                               {"status", b.status},
                               {"error", b.error},
                               {"entries", b.entries},
                               {"total_priority", b.total_priority},
                               {"covered_priority", b.covered_priority},
                               {"report", report}});
             }
             SendJson(res, 200, {{"profile", req.matches[1].str()}, {"builds", list}});
           });
}

}  // namespace mamori::server
