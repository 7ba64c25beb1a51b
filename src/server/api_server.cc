#include "server/api_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "intel/json.h"
#include "intel/lookup.h"
#include "rse/collect/collector.h"
#include "server/detection_routes.h"
#include "server/domain_routes.h"
#include "server/json_reply.h"
#include "server/edl_routes.h"
#include "server/dashboard_routes.h"
#include "server/respond_routes.h"
#include "server/sample_routes.h"
#include "server/web_assets.h"
#include "server/auth/auth.h"
#include "server/auth/auth_routes.h"
#include "server/metrics.h"
#include "server/tls.h"

namespace mamori::server {

namespace {

using nlohmann::json;

constexpr std::string_view kVersion = "0.1.0";

// cpp-httplib answers with brotli whenever the client offers it ("br" anywhere in
// Accept-Encoding, as every browser does), at brotli's highest quality (11): 100-400 ms of CPU
// for a 60-160 KB JSON list or the console's bundle. That was most of the console's page load
// time (docs/benchmarks.md, "Issue 11"). zlib at its default level compresses the same bodies in
// 1-5 ms to within 10-30% of brotli's size, so the offer of brotli is taken out of the request
// before httplib picks an encoding (it then picks gzip when offered, else nothing).
void DropBrotliOffer(httplib::Request& req) {
  auto range = req.headers.equal_range("Accept-Encoding");
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second.find("br") == std::string::npos) continue;
    std::string kept;
    size_t start = 0;
    while (start <= it->second.size()) {
      size_t comma = it->second.find(',', start);
      if (comma == std::string::npos) comma = it->second.size();
      std::string token = it->second.substr(start, comma - start);
      start = comma + 1;
      // httplib looks for the substring "br", so any coding containing it goes.
      if (token.find("br") != std::string::npos) continue;
      size_t b = token.find_first_not_of(' ');
      if (b == std::string::npos) continue;
      if (!kept.empty()) kept += ", ";
      kept += token.substr(b);
    }
    it->second = kept;
  }
}

}  // namespace

ApiServer::ApiServer(store::Store& store, Clock& clock, ServerOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      auth_(std::make_unique<auth::Authenticator>(
          store, clock,
          auth::AuthOptions{.require_auth = options_.require_auth,
                            .session_hours = options_.session_hours,
                            .secure_cookie = !options_.tls_cert.empty()})),
      metrics_(std::make_unique<HttpMetrics>()) {
  // Start() reports unreadable or mismatched TLS files (CheckTlsFiles) before using the server.
  if (!options_.tls_cert.empty() && !options_.tls_key.empty()) {
    http_ = std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(),
                                                 options_.tls_key.c_str());
  } else {
    http_ = std::make_unique<httplib::Server>();
  }
}

ApiServer::~ApiServer() { Stop(); }

void ApiServer::RegisterRoutes() {
  // Only sample uploads may be larger than max_request_bytes; the pre-routing handler holds
  // every other request to that from its Content-Length.
  http_->set_payload_max_length(
      std::max(options_.max_request_bytes, options_.samples ? options_.max_sample_bytes : 0));
  // httplib's default also sets SO_REUSEPORT, which would let a second mamori bind the same
  // port and silently share requests with the first; keep only SO_REUSEADDR.
  http_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
  });
  http_->set_read_timeout(10, 0);
  // Small JSON replies on a kept-alive connection otherwise wait for the client's delayed ACK
  // (Nagle): 44 ms each. With it, 200 req/s over five endpoints went from p99 1.3 s (the
  // server fell behind) to keeping up (docs/benchmarks.md, "Issue 11").
  http_->set_tcp_nodelay(true);
  http_->set_keep_alive_max_count(100);  // httplib's default of 5 reconnects a console often
  http_->set_write_timeout(10, 0);
  // httplib routes and logs a request on one thread, so the start time can wait in a
  // thread_local between the pre-routing handler and the logger.
  static thread_local std::chrono::steady_clock::time_point request_started;
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    request_started = std::chrono::steady_clock::now();
    // The handler gets the request as const, but httplib's request object is not const (a local
    // of its connection loop), and the encoding is chosen from it only after routing.
    DropBrotliOffer(const_cast<httplib::Request&>(req));
    if (!auth_->Gate(req, res)) return httplib::Server::HandlerResponse::Handled;
    bool sample_upload = req.method == "POST" && req.path == kSamplesPath;
    size_t limit = sample_upload ? options_.max_sample_bytes : options_.max_request_bytes;
    if (req.get_header_value<uint64_t>("Content-Length") > limit) {
      // The body is left unread, so the connection cannot carry another request: its bytes
      // would be parsed as the next request line (a browser that reused it got 414 for its
      // next upload). Tell the client to close it.
      res.set_header("Connection", "close");
      SendError(res, 413,
                Error{ErrorCode::kInvalidArgument,
                      fmt::format("the request body is larger than the limit of {} bytes", limit),
                      req.path});
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    // A request refused before routing (bad request line, body too large) has no start time.
    std::chrono::duration<double> took{0};
    if (request_started != std::chrono::steady_clock::time_point{}) {
      took = std::chrono::steady_clock::now() - request_started;
    }
    request_started = {};
    metrics_->Observe(req.method, req.path, res.status, took.count());
    spdlog::debug("http {} {} -> {}", req.method, req.path, res.status);
  });
  http_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("http handler failed: {}", what);
        SendError(res, 500, Error{ErrorCode::kInternal, "internal error", ""});
      });

  http_->Get("/api/v1/health", [this](const httplib::Request&, httplib::Response& res) {
    auto stats = store_.Stats();
    if (!stats) return SendError(res, HttpStatusFor(stats.error()), stats.error());
    SendJson(res, 200,
             {{"status", "ok"},
              {"version", kVersion},
              {"uptime_seconds", clock_.Now() - started_at_},
              {"store", intel::ToJson(*stats)}});
  });

  http_->Get("/api/v1/sources", [this](const httplib::Request&, httplib::Response& res) {
    auto sources = store_.ListSources();
    if (!sources) return SendError(res, HttpStatusFor(sources.error()), sources.error());
    json out = json::array();
    for (const auto& s : *sources) out.push_back(intel::ToJson(s));
    SendJson(res, 200, out);
  });

  http_->Get(R"(/api/v1/sources/([^/]+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               auto source = store_.GetSource(req.matches[1].str());
               if (!source) return SendError(res, HttpStatusFor(source.error()), source.error());
               if (!*source) {
                 return SendError(
                     res, 404, Error{ErrorCode::kNotFound, "no such source", req.matches[1].str()});
               }
               SendJson(res, 200, intel::ToJson(**source));
             });

  http_->Get(R"(/api/v1/indicators/(.+))",
             [this](const httplib::Request& req, httplib::Response& res) {
               auto result = intel::LookupIndicator(store_, req.matches[1].str(), clock_.Now());
               if (!result) return SendError(res, HttpStatusFor(result.error()), result.error());
               bool known = result->exact || !result->covering.empty();
               SendJson(res, known ? 200 : 404, intel::ToJson(*result));
             });

  RegisterEdlRoutes(*http_, options_.published, options_.profiles);
  RegisterDetectionRoutes(*http_, store_, clock_);
  RegisterDomainRoutes(*http_, options_.categorizer, options_.reputation);
  RegisterDashboardRoutes(*http_, store_, clock_);
  RegisterRespondRoutes(*http_, store_, options_.responder, *auth_);
  RegisterSampleRoutes(*http_, store_, clock_, options_.samples, options_.max_sample_bytes, *auth_);
  RegisterWebRoutes(*http_);
  auth::RegisterAuthRoutes(*http_, *auth_, store_, clock_);
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(RenderMetrics(*metrics_, store_, options_.collector),
                    "text/plain; version=0.0.4; charset=utf-8");
  });

  http_->Get("/api/v1/collector", [this](const httplib::Request&, httplib::Response& res) {
    if (options_.collector == nullptr) {
      return SendError(res, 404,
                       Error{ErrorCode::kNotFound,
                             "not collecting logs: set [collect] inputs in mamori.toml",
                             "/api/v1/collector"});
    }
    SendJson(res, 200, rse::collect::CollectorStatusToJson(options_.collector->status()));
  });
}

Status ApiServer::Start() {
  MAMORI_RETURN_IF_ERROR(CheckTlsFiles(options_.tls_cert, options_.tls_key));
  if (!http_->is_valid()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the TLS certificate and key were not accepted by OpenSSL",
                     options_.tls_cert);
  }
  RegisterRoutes();
  started_at_ = clock_.Now();
  if (options_.port == 0) {
    bound_port_ = http_->bind_to_any_port(options_.listen);
  } else {
    bound_port_ = http_->bind_to_port(options_.listen, options_.port) ? options_.port : -1;
  }
  if (bound_port_ <= 0) {
    return MakeError(ErrorCode::kIo,
                     "cannot listen: the address is invalid or the port is in use (set "
                     "[server] listen/port in mamori.toml or pass --listen/--port)",
                     fmt::format("{}:{}", options_.listen, options_.port));
  }
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  // Wait until the accept loop runs: a stop() that comes before it would be lost and the
  // thread would then serve forever.
  for (int i = 0; i < 5000 && !http_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Ok();
}

void ApiServer::Stop() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

void ApiServer::Wait() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace mamori::server
