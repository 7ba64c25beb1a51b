// HttpClient: the one way mamori talks HTTP(S) as a client: it fetches feeds (Get) and posts
// notifications to webhooks and EDR APIs (Post). The libcurl implementation enforces timeouts, a
// size cap, conditional requests (ETag / If-Modified-Since) and retries with exponential
// backoff; tests use the real implementation against servers on loopback.
//
// Thread-safety: a client may be shared; each Get() or Post() uses its own curl handle.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/error.h"

namespace mamori::feeds {

struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
  std::string if_none_match;      // previous ETag; empty for none
  std::string if_modified_since;  // previous Last-Modified; empty for none
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string etag;
  std::string last_modified;
  std::string content_type;
  std::map<std::string, std::string> headers;  // lower-case names
  int attempts = 1;
  bool NotModified() const { return status == 304; }
};

struct HttpOptions {
  int64_t max_body_bytes = 256LL << 20;
  std::chrono::milliseconds timeout{60'000};          // whole transfer
  std::chrono::milliseconds connect_timeout{15'000};
  int retries = 3;                                    // extra attempts after the first
  std::chrono::milliseconds backoff{1000};            // doubled after each retry
  std::string user_agent = "mamori/0.1";
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // GET `request.url`. Returns the response for any HTTP status (the caller decides what a 4xx
  // means); errors are transport failures: kNetwork (connect, TLS, truncated body), kTimeout,
  // kTooLarge (body above max_body_bytes). Network errors, timeouts and 5xx/429 responses are
  // retried; a 5xx that persists is returned as a response.
  virtual Expected<HttpResponse> Get(const HttpRequest& request) = 0;
  // POSTs `body` as `content_type` to `request.url` with `request.headers` (the conditional
  // fields are ignored). Same timeouts, size cap, errors and retries as Get(): a receiver may see
  // the same body twice when a response was lost, so payloads carry an id to deduplicate on.
  // Redirects are not followed: a 3xx is returned as the response, because following one would
  // turn the POST into a GET (301-303) or send the body to a host nobody configured.
  virtual Expected<HttpResponse> Post(const HttpRequest& request, std::string_view body,
                                      std::string_view content_type) = 0;
};

// `clock` is used for backoff waits, so tests with a FakeClock do not sleep.
std::unique_ptr<HttpClient> MakeCurlHttpClient(const HttpOptions& options, Clock& clock);

}  // namespace mamori::feeds
