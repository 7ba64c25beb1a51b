// ApiServer: mamori's HTTP interface — the JSON API under /api/v1 and the operator's web console.
//
// Endpoints (docs/api.md):
//   GET /api/v1/health               liveness, version, schema version, counts
//   GET /api/v1/sources              every source with its fetch state
//   GET /api/v1/sources/<name>       one source
//   GET /api/v1/indicators/<value>   LookupIndicator() as JSON; 404 when nothing is known
//   GET /, /ui/..., /assets/...      the web console (server/web_assets.h)
//   GET /api/v1/dashboard            console aggregates (server/dashboard_routes.h)
//   GET /api/v1/blocklists           status of every device profile (server/edl_routes.h)
//   GET /edl/<profile>.txt           a device's published blocklist; needs the profile's token
//   GET /api/v1/detections[/<id>]    stored detections (server/detection_routes.h)
//   GET /api/v1/collector            log inputs and their counters (404 when not collecting)
//   /api/v1/session, /users, /tokens logins, accounts, API tokens (server/auth/auth_routes.h)
//   GET /metrics                     Prometheus text format (server/metrics.h)
//   /api/v1/samples[/<id>[/report]]  malware samples and their analyses (server/sample_routes.h)
// Binds to 127.0.0.1 unless configured otherwise; request bodies are capped. Every /api/v1 path
// but health and login, and /metrics, needs a viewer at least (auth::Authenticator::Gate, before
// routing); routes that need more call authenticator().Authorize(). docs/api.yaml describes
// every route (openapi_test fails when one is missing).
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
namespace mamori::rse::respond {
class Responder;
}
namespace mamori::rse::collect {
class Collector;
}

namespace mamori::domain {
class Categorizer;
namespace reputation {
class ReputationService;
}
}

namespace mamori::server {

namespace auth {
class Authenticator;
}
class HttpMetrics;
class SampleQueue;

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
  // The response engine, for deciding on actions (server/respond_routes.h); null: actions are
  // only read. Must outlive the server.
  rse::respond::Responder* responder = nullptr;
  // Accounts and sessions (server/auth/auth.h): when true every /api/v1 endpoint except health
  // and login needs credentials; endpoints that change state need them either way.
  bool require_auth = true;
  // Malware samples submitted to POST /api/v1/samples are queued here (server/sample_queue.h);
  // null: submitting answers 503. Must outlive the server. Sample bodies may be up to
  // max_sample_bytes (other requests: max_request_bytes).
  SampleQueue* samples = nullptr;
  // Answers GET /api/v1/domains/<name>/category (server/domain_routes.h); null: 503. Must
  // outlive the server.
  const domain::Categorizer* categorizer = nullptr;
  // Answers GET /api/v1/domains/<name> (reputation score and reasons); null: 503. Must outlive
  // the server.
  domain::reputation::ReputationService* reputation = nullptr;
  size_t max_sample_bytes = 32u << 20;
  int session_hours = 12;
  // PEM files; both set: HTTPS only (Start() fails naming the file when one is unreadable or the
  // key does not match the certificate). Both empty: plain HTTP.
  std::string tls_cert;
  std::string tls_key;
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
  // For route files: role checks and the principal of a request (server/auth/auth.h).
  auth::Authenticator& authenticator() { return *auth_; }

 private:
  void RegisterRoutes();

  store::Store& store_;
  Clock& clock_;
  ServerOptions options_;
  std::unique_ptr<auth::Authenticator> auth_;
  std::unique_ptr<HttpMetrics> metrics_;
  std::unique_ptr<httplib::Server> http_;  // an httplib::SSLServer when TLS is configured
  std::thread thread_;
  int bound_port_ = 0;
  UnixSeconds started_at_ = 0;
};

}  // namespace mamori::server
