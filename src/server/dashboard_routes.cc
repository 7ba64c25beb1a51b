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

// One row of "top sources" or "infected hosts": the detections of one group value, merged from
// the store's rows per (group value, rule).
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

void Add(GroupSummary& g, const store::DetectionGroupStats& s) {
  g.detections += s.detections;
  g.events += s.events;
  g.ongoing = g.ongoing || s.ongoing;
  g.max_level = MaxLevel(g.max_level, s.max_level);
  g.first = g.first == 0 ? s.first_time : std::min(g.first, s.first_time);
  g.last = std::max(g.last, s.last_time);
  g.rules.insert(s.rule_id);
  g.targets.insert(s.targets.begin(), s.targets.end());
  g.latest_id = std::max(g.latest_id, s.latest_id);
}

std::string MicrosIso(int64_t micros) { return FormatIso8601(micros / kMicros); }

json GroupsJson(const std::map<std::string, GroupSummary>& groups, const char* key,
                const char* targets_key, size_t limit, bool by_recency) {
  std::vector<std::pair<std::string, const GroupSummary*>> rows;
  for (const auto& [value, g] : groups) rows.emplace_back(value, &g);
  auto order = [by_recency](const auto& a, const auto& b) {
    if (by_recency && a.second->last != b.second->last) return a.second->last > b.second->last;
    if (a.second->detections != b.second->detections) {
      return a.second->detections > b.second->detections;
    }
    if (a.second->events != b.second->events) return a.second->events > b.second->events;
    return a.first < b.first;
  };
  const size_t n = std::min(limit, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + n, rows.end(), order);
  json out = json::array();
  for (size_t i = 0; i < n; ++i) {
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

Expected<json> DashboardJson(store::Store& store, UnixSeconds now, int64_t range_seconds) {
  const int64_t bucket_seconds = range_seconds <= 2 * 86400 ? 3600 : 6 * 3600;
  // Buckets end at the next bucket boundary after now, so the last one is the current hour.
  const int64_t end = (now / bucket_seconds + 1) * bucket_seconds;
  const int64_t n_buckets = (range_seconds + bucket_seconds - 1) / bucket_seconds;
  const int64_t start = end - n_buckets * bucket_seconds;

  // Counted and grouped by the store (SQL GROUP BY): nothing but the counted columns is read,
  // where reading every detection of the range took 15-25 ms at 3,000 (docs/benchmarks.md).
  store::DetectionSummaryQuery query;
  query.since = (now - range_seconds) * kMicros;
  query.bucket_start = start * kMicros;
  query.bucket_micros = bucket_seconds * kMicros;
  query.bucket_count = n_buckets;
  MAMORI_ASSIGN_OR_RETURN(store::DetectionSummary summary, store.SummarizeDetections(query));

  std::vector<std::map<std::string, int64_t>> buckets(n_buckets);
  for (const auto& b : summary.buckets) {
    if (b.bucket >= 0 && b.bucket < n_buckets) buckets[b.bucket][b.level] += b.detections;
  }
  std::map<std::string, int64_t> by_level(summary.by_level.begin(), summary.by_level.end());
  std::map<std::string, GroupSummary> sources, hosts;
  for (const auto& g : summary.groups) {
    Add(IsIntelRule(g.rule_id) ? hosts[g.group_value] : sources[g.group_value], g);
  }

  json series = json::array();
  for (int64_t i = 0; i < n_buckets; ++i) {
    int64_t total = 0;
    for (const auto& [level, n] : buckets[i]) total += n;
    series.push_back({{"start", FormatIso8601(start + i * bucket_seconds)},
                      {"count", total},
                      {"by_level", buckets[i]}});
  }
  return json{{"generated_at", FormatIso8601(now)},
              {"range_seconds", range_seconds},
              {"since", FormatIso8601(now - range_seconds)},
              // Kept for clients of the first version, which read at most 20,000 detections.
              {"truncated", false},
              {"totals",
               {{"detections", summary.detections},
                {"events", summary.events},
                {"ongoing", summary.ongoing},
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
    auto body = DashboardJson(store, clock.Now(), range);
    if (!body) return SendError(res, body.error());
    SendJson(res, 200, *body);
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
