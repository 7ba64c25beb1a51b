// libcurl implementation of HttpClient.
//
// One easy handle per attempt, owned by a unique_ptr, so concurrent calls share nothing
// but the immutable options and the clock. The size cap is enforced on decoded bytes inside the
// write callback (a small gzip body can expand without bound), and early from Content-Length
// when the body is not content-encoded, so an oversized download is refused before it starts.
#include "feeds/http_client.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

namespace mamori::feeds {

namespace {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// curl_global_init must run once before the first handle and is not guaranteed thread-safe;
// a function-local static gives exactly-once even when clients are created concurrently. We
// never call curl_global_cleanup: handles may still be alive in other threads at exit.
bool EnsureCurlGlobalInit() {
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  return rc == CURLE_OK;
}

constexpr long kMaxRedirects = 5;
// A Retry-After longer than this is not waited for: the response is returned instead, because
// blocking a scheduler thread for an hour is worse than trying again at the next refresh.
constexpr std::chrono::seconds kMaxRetryAfter{60};
constexpr std::chrono::milliseconds kMaxBackoff{5 * 60 * 1000};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// State shared with the curl callbacks of one attempt.
struct Transfer {
  int64_t cap = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // of the response being read (the last one)
  long status = 0;
  int64_t content_length = -1;
  bool too_large = false;
  int64_t declared_length = -1;  // set when Content-Length alone exceeded the cap

  bool Encoded() const {
    auto it = headers.find("content-encoding");
    return it != headers.end() && ToLower(Trim(it->second)) != "identity";
  }
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line = Trim(std::string_view(data, n));
  if (line.starts_with("HTTP/")) {
    // A new response starts (after a redirect or a 100 Continue): forget the previous headers.
    t->headers.clear();
    t->content_length = -1;
    t->status = 0;
    if (auto sp = line.find(' '); sp != std::string_view::npos) {
      std::string_view code = line.substr(sp + 1, 3);
      std::from_chars(code.data(), code.data() + code.size(), t->status);
    }
    return n;
  }
  if (line.empty()) {
    // End of one response's headers. Redirects (followed) and 1xx have no body we keep.
    const bool has_body = t->status >= 200 && (t->status < 300 || t->status >= 400);
    if (has_body && t->content_length > t->cap && !t->Encoded()) {
      t->too_large = true;
      t->declared_length = t->content_length;
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    if (has_body && t->content_length > 0 && !t->Encoded()) {
      t->body.reserve(static_cast<size_t>(t->content_length));
    }
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // obsolete folding: ignore
  std::string name = ToLower(Trim(line.substr(0, colon)));
  std::string value(Trim(line.substr(colon + 1)));
  if (name == "content-length") {
    int64_t length = -1;
    auto r = std::from_chars(value.data(), value.data() + value.size(), length);
    if (r.ec == std::errc()) t->content_length = length;
  }
  auto [it, inserted] = t->headers.emplace(name, value);
  if (!inserted) it->second += ", " + value;  // RFC 9110: repeated fields join with commas
  return n;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (static_cast<int64_t>(t->body.size() + n) > t->cap) {
    t->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

bool HasControlChars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == 0; });
}

// Seconds from a Retry-After value (delta-seconds or an HTTP date); -1 when absent/unparseable.
int64_t RetryAfterSeconds(const HttpResponse& response, const Clock& clock) {
  auto it = response.headers.find("retry-after");
  if (it == response.headers.end()) return -1;
  std::string_view v = Trim(it->second);
  int64_t seconds = -1;
  auto r = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (r.ec == std::errc() && r.ptr == v.data() + v.size()) return std::max<int64_t>(seconds, 0);
  time_t when = curl_getdate(it->second.c_str(), nullptr);
  if (when < 0) return -1;
  return std::max<int64_t>(static_cast<int64_t>(when) - clock.Now(), 0);
}

struct AttemptResult {
  Expected<HttpResponse> result;
  bool retryable = false;
};

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient(const HttpOptions& options, Clock& clock) : options_(options), clock_(clock) {}

  Expected<HttpResponse> Get(const HttpRequest& request) override { return Send(request, nullptr); }

  Expected<HttpResponse> Post(const HttpRequest& request, std::string_view body,
                              std::string_view content_type) override {
    if (HasControlChars(content_type)) {
      return MakeError(ErrorCode::kInvalidArgument, "content type contains a line break",
                       request.url);
    }
    PostBody post{body, std::string(content_type)};
    return Send(request, &post);
  }

 private:
  struct PostBody {
    std::string_view body;
    std::string content_type;
  };

  // GET when `post` is null.
  Expected<HttpResponse> Send(const HttpRequest& request, const PostBody* post) {
    for (const auto& [name, value] : request.headers) {
      if (name.empty() || name.find(':') != std::string::npos || HasControlChars(name) ||
          HasControlChars(value)) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "request header '" + name +
                             "' has an empty name, a ':' in its name or a line break; fix the "
                             "source's \"headers\" option",
                         request.url);
      }
    }
    if (HasControlChars(request.if_none_match) || HasControlChars(request.if_modified_since)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "stored ETag or Last-Modified contains a line break", request.url);
    }
    if (!EnsureCurlGlobalInit()) {
      return MakeError(ErrorCode::kInternal, "curl_global_init failed", request.url);
    }

    const int max_attempts = 1 + std::max(0, options_.retries);
    std::chrono::milliseconds backoff = options_.backoff;
    for (int attempt = 1;; ++attempt) {
      AttemptResult r = Once(request, post);
      bool retry = r.retryable;
      std::chrono::milliseconds wait = backoff;
      std::string why;
      if (r.result) {
        const long status = r.result->status;
        retry = status >= 500 || status == 429;
        why = "HTTP " + std::to_string(status);
        if (retry) {
          int64_t retry_after = RetryAfterSeconds(*r.result, clock_);
          if (retry_after > kMaxRetryAfter.count()) {
            retry = false;
          } else if (retry_after >= 0) {
            wait = std::max(wait, std::chrono::milliseconds(retry_after * 1000));
          }
        }
      } else {
        why = r.result.error().message;
      }
      if (!retry || attempt >= max_attempts) {
        if (r.result) {
          r.result->attempts = attempt;
          return std::move(r.result);
        }
        Error e = r.result.error();
        if (attempt > 1) e.message += " (after " + std::to_string(attempt) + " attempts)";
        return tl::unexpected(std::move(e));
      }
      spdlog::warn("{} {}: {}; retrying in {} ms (attempt {} of {})", post ? "POST" : "GET",
                   request.url, why, wait.count(), attempt + 1, max_attempts);
      clock_.SleepFor(wait);
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }

  AttemptResult Once(const HttpRequest& request, const PostBody* post) const {
    const std::string& url = request.url;
    CurlEasy handle(curl_easy_init());
    if (!handle) {
      return {MakeError(ErrorCode::kInternal, "curl_easy_init failed", url), false};
    }
    CURL* h = handle.get();

    // Build the header list; every append can fail on allocation, so keep ownership in RAII.
    CurlSlist header_list;
    bool list_ok = true;
    auto add_header = [&](const std::string& line) {
      curl_slist* next = curl_slist_append(header_list.get(), line.c_str());
      if (next == nullptr) {
        list_ok = false;
        return;
      }
      (void)header_list.release();
      header_list.reset(next);
    };
    for (const auto& [name, value] : request.headers) add_header(name + ": " + value);
    if (post == nullptr && !request.if_none_match.empty())
      add_header("If-None-Match: " + request.if_none_match);
    if (post == nullptr && !request.if_modified_since.empty()) {
      add_header("If-Modified-Since: " + request.if_modified_since);
    }
    if (post != nullptr) {
      add_header("Content-Type: " + post->content_type);
      // No "Expect: 100-continue" round trip before the (small) body.
      add_header("Expect:");
    }
    if (!list_ok) return {MakeError(ErrorCode::kInternal, "out of memory", url), false};

    Transfer transfer;
    transfer.cap = options_.max_body_bytes;
    char error_buffer[CURL_ERROR_SIZE] = {0};

    CURLcode set_rc = CURLE_OK;
    auto set = [&](CURLoption option, auto value) {
      CURLcode rc = curl_easy_setopt(h, option, value);
      if (set_rc == CURLE_OK) set_rc = rc;
    };
    set(CURLOPT_URL, url.c_str());
    set(CURLOPT_ERRORBUFFER, error_buffer);
    set(CURLOPT_NOSIGNAL, 1L);  // signals are process-wide; required for multi-threaded use
    if (post != nullptr) {
      set(CURLOPT_POST, 1L);
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post->body.size()));
      // Never null: curl would read the body from stdin through its default read callback.
      set(CURLOPT_POSTFIELDS, post->body.empty() ? "" : post->body.data());
      set(CURLOPT_FOLLOWLOCATION, 0L);
    } else {
      set(CURLOPT_HTTPGET, 1L);
      set(CURLOPT_FOLLOWLOCATION, 1L);
    }
    set(CURLOPT_MAXREDIRS, kMaxRedirects);
    // A feed URL (or a redirect) must not make us speak file://, ftp://, smb://, ...
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    set(CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    set(CURLOPT_USERAGENT, options_.user_agent.c_str());
    set(CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes (gzip, deflate, ...)
    set(CURLOPT_HTTPHEADER, header_list.get());
    set(CURLOPT_HEADERFUNCTION, &OnHeader);
    set(CURLOPT_HEADERDATA, &transfer);
    set(CURLOPT_WRITEFUNCTION, &OnBody);
    set(CURLOPT_WRITEDATA, &transfer);
    if (set_rc != CURLE_OK) {
      return {MakeError(ErrorCode::kInternal,
                        std::string("cannot configure curl: ") + curl_easy_strerror(set_rc), url),
              false};
    }

    const CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) return MapError(rc, h, transfer, error_buffer, url, post != nullptr);

    HttpResponse response;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    response.body = std::move(transfer.body);
    response.headers = std::move(transfer.headers);
    auto header = [&](const char* name) {
      auto it = response.headers.find(name);
      return it == response.headers.end() ? std::string() : it->second;
    };
    response.etag = header("etag");
    response.last_modified = header("last-modified");
    response.content_type = header("content-type");
    return {std::move(response), false};
  }

  // `post`: the hints name the [feeds] settings only for downloads, which they govern.
  AttemptResult MapError(CURLcode rc, CURL* h, const Transfer& transfer, const char* detail,
                         const std::string& url, bool post) const {
    std::string curl_message = detail[0] != '\0' ? detail : curl_easy_strerror(rc);
    auto fail = [&](ErrorCode code, std::string message, bool retryable) {
      return AttemptResult{MakeError(code, std::move(message), url), retryable};
    };
    if (transfer.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      std::string size = transfer.declared_length >= 0
                             ? "declares " + std::to_string(transfer.declared_length) + " bytes"
                             : "exceeds";
      return fail(ErrorCode::kTooLarge,
                  "response body " + size + " above the size cap of " +
                      std::to_string(options_.max_body_bytes) +
                      (post ? " bytes"
                            : " bytes; raise [feeds] max_download_bytes if this feed is really "
                              "that big"),
                  false);
    }
    switch (rc) {
      case CURLE_OPERATION_TIMEDOUT:
        return fail(
            ErrorCode::kTimeout,
            "no complete response within " + std::to_string(options_.timeout.count()) + " ms (" +
                curl_message +
                (post ? ")" : "); raise [feeds] timeout_seconds if the server is just slow"),
            true);
      case CURLE_PARTIAL_FILE: {
        curl_off_t got = 0;
        curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &got);
        std::string of = transfer.content_length >= 0
                             ? " of " + std::to_string(transfer.content_length)
                             : std::string();
        return fail(ErrorCode::kNetwork,
                    "truncated body: the server closed the connection after " +
                        std::to_string(got) + of + " bytes",
                    true);
      }
      case CURLE_URL_MALFORMAT:
        return fail(ErrorCode::kInvalidArgument, "malformed URL: " + curl_message, false);
      case CURLE_UNSUPPORTED_PROTOCOL:
        return fail(ErrorCode::kUnsupported,
                    "only http:// and https:// URLs are fetched (" + curl_message + ")", false);
      case CURLE_TOO_MANY_REDIRECTS:
        return fail(
            ErrorCode::kNetwork,
            "more than " + std::to_string(kMaxRedirects) + " redirects (" + curl_message + ")",
            false);
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CERTPROBLEM:
        // Retrying cannot fix a certificate; fail fast with what curl says.
        return fail(ErrorCode::kNetwork, "TLS verification failed: " + curl_message, false);
      case CURLE_BAD_CONTENT_ENCODING:
        return fail(ErrorCode::kNetwork, "cannot decode the response body: " + curl_message, false);
      default:
        return fail(ErrorCode::kNetwork, curl_message, true);
    }
  }

  const HttpOptions options_;
  Clock& clock_;
};

}  // namespace

std::unique_ptr<HttpClient> MakeCurlHttpClient(const HttpOptions& options, Clock& clock) {
  EnsureCurlGlobalInit();
  return std::make_unique<CurlHttpClient>(options, clock);
}

}  // namespace mamori::feeds
