#include "server/metrics.h"

#include <fmt/format.h>

#include <vector>

#include "rse/collect/collector.h"

namespace mamori::server {
namespace {

// Label values in the exposition format escape backslash, double quote and newline.
std::string Escape(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty()) parts.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

bool IsWord(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!(c >= 'a' && c <= 'z') && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace

std::string RouteTemplate(std::string_view path) {
  if (path == "/" || path == "/metrics" || path == "/lookup") return std::string(path);
  auto parts = Split(path);
  if (parts.size() >= 2 && parts[0] == "api" && parts[1] == "v1") {
    // /api/v1/<collection>[/<id>[/<verb>...]]
    std::string out = "/api/v1";
    for (size_t i = 2; i < parts.size() && i < 7; ++i) {
      bool id_position = i % 2 == 1;  // 3, 5: an id or name; 2, 4, 6: a word of the API
      out += '/';
      out += id_position || !IsWord(parts[i]) ? "{id}" : std::string(parts[i]);
    }
    return out;
  }
  for (std::string_view prefix : {"edl", "assets", "ui"}) {
    if (!parts.empty() && parts[0] == prefix) {
      return parts.size() == 1 ? fmt::format("/{}", prefix) : fmt::format("/{}/{{id}}", prefix);
    }
  }
  return "other";
}

void HttpMetrics::Observe(std::string_view method, std::string_view path, int status,
                          double seconds) {
  std::string route = RouteTemplate(path);
  std::lock_guard lock(mutex_);
  // Unknown paths (scanners) would otherwise add a template each: past the cap they are "other".
  if (durations_.size() >= kMaxRoutes && !durations_.contains(route)) route = "other";
  ++requests_[{std::string(method), route, status}];
  Histogram& h = durations_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum += seconds;
}

std::string HttpMetrics::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  Family(out, "mamori_http_requests_total", "counter",
         "HTTP requests answered, by method, route template and status.");
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out +=
        fmt::format("mamori_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                    Escape(method), Escape(route), status, count);
  }
  Family(out, "mamori_http_request_duration_seconds", "histogram",
         "Time from routing a request to its response being ready, by route template.");
  for (const auto& [route, h] : durations_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out +=
          fmt::format("mamori_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                      Escape(route), kBuckets[i], cumulative);
    }
    out +=
        fmt::format("mamori_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                    Escape(route), h.count);
    out += fmt::format("mamori_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n",
                       Escape(route), h.sum);
    out += fmt::format("mamori_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                       Escape(route), h.count);
  }
  return out;
}

std::string RenderMetrics(const HttpMetrics& http, store::Store& store,
                          const rse::collect::Collector* collector) {
  std::string out = http.Render();
  auto stats = store.Stats();
  Family(out, "mamori_store_up", "gauge", "1 when the store answered this scrape.");
  out += fmt::format("mamori_store_up {}\n", stats ? 1 : 0);
  if (stats) {
    auto gauge = [&](std::string_view name, std::string_view help, int64_t value) {
      Family(out, name, "gauge", help);
      out += fmt::format("{} {}\n", name, value);
    };
    gauge("mamori_store_sources", "Feed sources configured.", stats->sources);
    gauge("mamori_store_indicators", "Indicators ever seen.", stats->indicators);
    gauge("mamori_store_listing_intervals_open", "Listings in force now.", stats->open_intervals);
    gauge("mamori_store_listing_intervals_closed", "Listings that ended.", stats->closed_intervals);
    gauge("mamori_store_sightings", "Sightings recorded.", stats->sightings);
    gauge("mamori_store_allowlist_entries", "Allowlist entries.", stats->allowlist_entries);
    gauge("mamori_detections", "Detections stored.", stats->detections);
    gauge("mamori_store_schema_version", "Schema version of the store.", stats->schema_version);
  }
  if (auto actions = store.CountActionsByState()) {
    Family(out, "mamori_actions", "gauge", "Response actions by state.");
    for (const auto& [state, count] : *actions) {
      out += fmt::format("mamori_actions{{state=\"{}\"}} {}\n", Escape(state), count);
    }
  }
  // Audit ids run from 1 without gaps (the chain refuses deletions), so the newest id counts.
  if (auto newest = store.ListAudit(0, 1)) {
    Family(out, "mamori_audit_entries", "gauge", "Entries in the audit log.");
    out += fmt::format("mamori_audit_entries {}\n", newest->empty() ? 0 : newest->front().id);
  }
  if (collector != nullptr) {
    auto status = collector->status();
    auto counter = [&](std::string_view name, std::string_view help, auto value_of) {
      Family(out, name, "counter", help);
      for (const auto& in : status.inputs) {
        out += fmt::format("{}{{input=\"{}\",format=\"{}\"}} {}\n", name, Escape(in.input),
                           Escape(in.format), value_of(in));
      }
    };
    using Input = rse::collect::InputStatus;
    counter("mamori_collector_lines_total", "Log lines read, per input.",
            [](const Input& in) { return in.counts.lines; });
    counter("mamori_collector_events_total", "Events parsed, per input.",
            [](const Input& in) { return in.counts.events; });
    counter("mamori_collector_malformed_total", "Lines not of the input's format.",
            [](const Input& in) { return in.counts.malformed + in.counts.too_long; });
    counter("mamori_collector_matched_events_total", "Events some rule matched.",
            [](const Input& in) { return in.matched_events; });
    counter("mamori_collector_detections_opened_total", "Detections opened.",
            [](const Input& in) { return in.detections_opened; });
    counter("mamori_collector_store_errors_total", "Failed writes of detections.",
            [](const Input& in) { return in.store_errors; });
    Family(out, "mamori_collector_queue_dropped_total", "counter",
           "Messages dropped because the queue was full.");
    out += fmt::format("mamori_collector_queue_dropped_total {}\n", status.queue.dropped_full);
    Family(out, "mamori_collector_queue_size", "gauge", "Messages waiting in the queue.");
    out += fmt::format("mamori_collector_queue_size {}\n", status.queue.size);
  }
  return out;
}

}  // namespace mamori::server
