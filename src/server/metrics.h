// Prometheus metrics of `mamori serve`: GET /metrics, text exposition format 0.0.4
// (docs/api.md, "Metrics").
//
// HttpMetrics counts requests by method, route template and status and keeps a duration
// histogram per route template; the server feeds it from httplib's logger (every request, after
// its response). Route templates keep the label set bounded: ids and names in a path become
// {id} (RouteTemplate), and paths outside the API become "other". The store, detection, action,
// audit and collector figures are read when /metrics is scraped, not kept here.
// Thread-safety: Observe() and Render() may be called from any thread (one mutex).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "store/store.h"

namespace mamori::rse::collect {
class Collector;
}

namespace mamori::server {

// "/api/v1/sources/abuse.ch" -> "/api/v1/sources/{id}", "/api/v1/actions/12/approve" ->
// "/api/v1/actions/{id}/approve", "/edl/fw1.txt" -> "/edl/{id}", "/assets/x.js" ->
// "/assets/{id}", "/metrics" and "/" unchanged, anything else "other".
std::string RouteTemplate(std::string_view path);

class HttpMetrics {
 public:
  static constexpr size_t kMaxRoutes = 200;  // distinct route labels kept
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};

  void Observe(std::string_view method, std::string_view path, int status, double seconds);
  // mamori_http_requests_total and mamori_http_request_duration_seconds.
  std::string Render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};  // non-cumulative counts
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
};

// The whole /metrics body: `http` plus store counts, actions by state, audit entries and, when
// `collector` is not null, its input counters. Store errors become mamori_store_up 0.
std::string RenderMetrics(const HttpMetrics& http, store::Store& store,
                          const rse::collect::Collector* collector);

}  // namespace mamori::server
