// ApiServer: mamori's HTTP interface — the JSON API under /api/v1 and a small HTML status page.
//
// Endpoints (docs/api.md):
//   GET /api/v1/health               liveness, version, schema version, counts
//   GET /api/v1/sources              every source with its fetch state
//   GET /api/v1/sources/<name>       one source
//   GET /api/v1/indicators/<value>   LookupIndicator() as JSON; 404 when nothing is known
//   GET /                            HTML: sources and their state, a lookup form
//   GET /lookup?q=<value>            HTML rendering of a lookup
//   GET /api/v1/blocklists           status of every device profile (server/edl_routes.h)
//   GET /edl/<profile>.txt           a device's published blocklist; needs the profile's token
//   GET /api/v1/detections[/<id>]    stored detections (server/detection_routes.h)
//   GET /api/v1/collector            log inputs and their counters (404 when not collecting)
// Binds to 127.0.0.1 unless configured otherwise; request bodies are capped. Every endpoint so
// far only reads; endpoints that change state (later issues) will require a token.
// Start() returns once the socket is bound; requests are served on httplib's thread pool and
// use the Store, which must be thread-safe (the SQLite store is). Stop() is idempotent.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "rse/blocklist/profile.h"
#include "store/store.h"

namespace httplib {
class Server;
}

namespace mamori::rse::blocklist {
class PublishedLists;
}
namespace mamori::rse::collect {
class Collector;
}

namespace mamori::server {

struct ServerOptions {
  std::string listen = "127.0.0.1";
  int port = 8080;  // 0 picks a free port (tests)
  size_t max_request_bytes = 1 << 20;
  // Device blocklists served at /edl/ and listed at /api/v1/blocklists (server/edl_routes.h).
  // Null: nothing is served and the listing is empty. Must outlive the server.
  const rse::blocklist::PublishedLists* published = nullptr;
  std::vector<rse::blocklist::DeviceProfile> profiles;
  // The log collector running next to the API, for /api/v1/collector; null: not collecting.
  // Must outlive the server.
  const rse::collect::Collector* collector = nullptr;
};

class ApiServer {
 public:
  ApiServer(store::Store& store, Clock& clock, ServerOptions options);
  ~ApiServer();

  // Binds and starts serving on a background thread. Fails (naming the address) when the port
  // is taken or the address cannot be bound.
  Status Start();
  void Stop();
  int port() const { return bound_port_; }
  // Blocks until Stop() is called from another thread (or a signal handler's thread).
  void Wait();

 private:
  void RegisterRoutes();

  store::Store& store_;
  Clock& clock_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int bound_port_ = 0;
  UnixSeconds started_at_ = 0;
};

}  // namespace mamori::server
