// The curl HttpClient against real servers on loopback: conditional requests, retries with a
// fake clock (no real backoff sleeps), timeouts, truncated and oversized bodies, refused
// connections. Timeouts are short so the whole suite stays well under a few seconds.
#include "feeds/http_client.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <thread>

#include "feeds/testing/loopback_server.h"

namespace mamori::feeds {
namespace {

using std::chrono::milliseconds;
using testing::ClosedPort;
using testing::LoopbackHttpServer;
using testing::RawTcpServer;

HttpOptions FastOptions() {
  HttpOptions options;
  options.timeout = milliseconds(2000);
  options.connect_timeout = milliseconds(1000);
  options.retries = 3;
  options.backoff = milliseconds(1000);
  return options;
}

HttpRequest Req(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

std::string Gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(HttpClientTest, ReturnsBodyValidatorsAndLowerCaseHeaders) {
  LoopbackHttpServer srv;
  std::string seen_key, seen_agent;
  srv.server().Get("/feed.txt", [&](const httplib::Request& req, httplib::Response& res) {
    seen_key = req.get_header_value("X-Api-Key");
    seen_agent = req.get_header_value("User-Agent");
    res.set_header("ETag", "\"v1\"");
    res.set_header("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT");
    res.set_header("X-Feed-Version", "7");
    res.set_content("1.2.3.4\n5.6.7.8\n", "text/plain");
  });
  srv.Start();
  FakeClock clock;
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  HttpRequest request = Req(srv.Url("/feed.txt"));
  request.headers.emplace_back("X-Api-Key", "secret");
  auto response = client->Get(request);
  ASSERT_TRUE(response) << response.error().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "1.2.3.4\n5.6.7.8\n");  // decoded even if the server compressed it
  EXPECT_EQ(response->etag, "\"v1\"");
  EXPECT_EQ(response->last_modified, "Wed, 01 Jan 2025 00:00:00 GMT");
  EXPECT_EQ(response->content_type, "text/plain");
  EXPECT_EQ(response->headers.at("x-feed-version"), "7");
  EXPECT_EQ(response->attempts, 1);
  EXPECT_EQ(seen_key, "secret");
  EXPECT_EQ(seen_agent, "mamori/0.1");
}

TEST(HttpClientTest, EtagGives304OnConditionalRequest) {
  LoopbackHttpServer srv;
  srv.server().Get("/feed.txt", [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("ETag", "\"abc\"");
    if (req.get_header_value("If-None-Match") == "\"abc\"") {
      res.status = 304;
      return;
    }
    res.set_content("evil.example\n", "text/plain");
  });
  srv.Start();
  FakeClock clock;
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  auto first = client->Get(Req(srv.Url("/feed.txt")));
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->status, 200);
  ASSERT_EQ(first->etag, "\"abc\"");

  HttpRequest again = Req(srv.Url("/feed.txt"));
  again.if_none_match = first->etag;
  auto second = client->Get(again);
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_TRUE(second->NotModified());
  EXPECT_TRUE(second->body.empty());
  EXPECT_EQ(second->etag, "\"abc\"");
}

TEST(HttpClientTest, LastModifiedGives304OnConditionalRequest) {
  const std::string stamp = "Tue, 15 Nov 1994 12:45:26 GMT";
  LoopbackHttpServer srv;
  srv.server().Get("/feed.txt", [&](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Last-Modified", stamp);
    if (req.get_header_value("If-Modified-Since") == stamp) {
      res.status = 304;
      return;
    }
    res.set_content("evil.example\n", "text/plain");
  });
  srv.Start();
  FakeClock clock;
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  auto first = client->Get(Req(srv.Url("/feed.txt")));
  ASSERT_TRUE(first) << first.error().ToString();
  ASSERT_EQ(first->last_modified, stamp);
  HttpRequest again = Req(srv.Url("/feed.txt"));
  again.if_modified_since = first->last_modified;
  auto second = client->Get(again);
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_EQ(second->status, 304);
}

TEST(HttpClientTest, PersistentServerErrorIsRetriedWithBackoffThenReturned) {
  LoopbackHttpServer srv;
  std::atomic<int> hits{0};
  srv.server().Get("/feed.txt", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 500;
    res.set_content("boom", "text/plain");
  });
  srv.Start();
  FakeClock clock(1000);
  auto client = MakeCurlHttpClient(FastOptions(), clock);  // 3 retries, 1 s doubling
  auto response = client->Get(Req(srv.Url("/feed.txt")));
  ASSERT_TRUE(response) << response.error().ToString();
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->attempts, 4);
  EXPECT_EQ(hits.load(), 4);
  EXPECT_EQ(clock.Now(), 1000 + 1 + 2 + 4);  // backoff waited on the fake clock only
}

TEST(HttpClientTest, TransientServerErrorRecovers) {
  LoopbackHttpServer srv;
  std::atomic<int> hits{0};
  srv.server().Get("/feed.txt", [&](const httplib::Request&, httplib::Response& res) {
    if (++hits <= 2) {
      res.status = 503;
      return;
    }
    res.set_content("ok\n", "text/plain");
  });
  srv.Start();
  FakeClock clock;
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  auto response = client->Get(Req(srv.Url("/feed.txt")));
  ASSERT_TRUE(response) << response.error().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok\n");
  EXPECT_EQ(response->attempts, 3);
}

TEST(HttpClientTest, ClientErrorsAreNotRetried) {
  LoopbackHttpServer srv;
  std::atomic<int> hits{0};
  srv.server().Get("/feed.txt", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 404;
  });
  srv.Start();
  FakeClock clock(1000);
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  auto response = client->Get(Req(srv.Url("/feed.txt")));
  ASSERT_TRUE(response) << response.error().ToString();
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->attempts, 1);
  EXPECT_EQ(hits.load(), 1);
  EXPECT_EQ(clock.Now(), 1000);
}

TEST(HttpClientTest, HonoursSmallRetryAfter) {
  LoopbackHttpServer srv;
  std::atomic<int> hits{0};
  srv.server().Get("/feed.txt", [&](const httplib::Request&, httplib::Response& res) {
    if (++hits == 1) {
      res.status = 429;
      res.set_header("Retry-After", "5");
      return;
    }
    res.set_content("ok\n", "text/plain");
  });
  srv.Start();
  FakeClock clock(1000);
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  auto response = client->Get(Req(srv.Url("/feed.txt")));
  ASSERT_TRUE(response) << response.error().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->attempts, 2);
  EXPECT_EQ(clock.Now(), 1005);
}

TEST(HttpClientTest, LongRetryAfterReturnsTheResponseWithoutWaiting) {
  LoopbackHttpServer srv;
  srv.server().Get("/feed.txt", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "3600");
  });
  srv.Start();
  FakeClock clock(1000);
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  auto response = client->Get(Req(srv.Url("/feed.txt")));
  ASSERT_TRUE(response) << response.error().ToString();
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->attempts, 1);
  EXPECT_EQ(clock.Now(), 1000);
}

TEST(HttpClientTest, SlowServerTimesOutAndIsRetried) {
  LoopbackHttpServer srv;
  std::atomic<bool> release{false};
  std::atomic<int> hits{0};
  srv.server().Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    // Hold the response until the test is over (bounded, so a failing test still ends).
    for (int i = 0; i < 300 && !release; ++i) std::this_thread::sleep_for(milliseconds(10));
    res.set_content("late\n", "text/plain");
  });
  srv.Start();
  HttpOptions options = FastOptions();
  options.timeout = milliseconds(300);
  options.retries = 1;
  FakeClock clock;
  auto client = MakeCurlHttpClient(options, clock);
  auto response = client->Get(Req(srv.Url("/slow")));
  release = true;
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kTimeout) << response.error().ToString();
  EXPECT_NE(response.error().message.find("2 attempts"), std::string::npos);
  EXPECT_EQ(response.error().context, srv.Url("/slow"));
  EXPECT_EQ(hits.load(), 2);
}

TEST(HttpClientTest, TruncatedBodyIsANetworkError) {
  // Promises 1000 bytes, sends 100 and closes: once per attempt.
  RawTcpServer raw(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n"
      "Connection: close\r\n\r\n" +
          std::string(100, 'x'),
      /*connections=*/2);
  HttpOptions options = FastOptions();
  options.retries = 1;
  FakeClock clock;
  auto client = MakeCurlHttpClient(options, clock);
  auto response = client->Get(Req(raw.Url("/feed.txt")));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kNetwork);
  EXPECT_NE(response.error().message.find("truncated"), std::string::npos)
      << response.error().ToString();
  EXPECT_NE(response.error().message.find("100 of 1000"), std::string::npos);
  EXPECT_EQ(raw.accepted(), 2);
}

TEST(HttpClientTest, OversizedBodyWithContentLengthIsTooLarge) {
  LoopbackHttpServer srv;
  srv.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(10 * 1024, 'a'), "application/octet-stream");
  });
  srv.Start();
  HttpOptions options = FastOptions();
  options.max_body_bytes = 1024;
  FakeClock clock;
  auto client = MakeCurlHttpClient(options, clock);
  auto response = client->Get(Req(srv.Url("/big")));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kTooLarge);
  std::string text = response.error().ToString();
  EXPECT_NE(text.find("1024 bytes"), std::string::npos) << text;
  EXPECT_NE(text.find(srv.Url("/big")), std::string::npos) << text;
  EXPECT_EQ(text.find("attempts"), std::string::npos) << "kTooLarge must not be retried";
}

TEST(HttpClientTest, OversizedChunkedBodyIsTooLargeWhileStreaming) {
  LoopbackHttpServer srv;
  srv.server().Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/octet-stream",
                                     [](size_t offset, httplib::DataSink& sink) {
                                       if (offset >= 10 * 1024) {
                                         sink.done();
                                         return true;
                                       }
                                       std::string chunk(1024, 'b');
                                       return sink.write(chunk.data(), chunk.size());
                                     });
  });
  srv.Start();
  HttpOptions options = FastOptions();
  options.max_body_bytes = 1024;
  FakeClock clock;
  auto client = MakeCurlHttpClient(options, clock);
  auto response = client->Get(Req(srv.Url("/chunked")));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kTooLarge) << response.error().ToString();
}

TEST(HttpClientTest, DeclaredContentLengthAboveCapFailsBeforeTheBody) {
  // The server announces 10 MB and then stalls: only the early Content-Length check can end
  // this with kTooLarge; without it the request would run into the timeout.
  RawTcpServer raw("HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\nxyz", 1, milliseconds(3000));
  HttpOptions options = FastOptions();
  options.max_body_bytes = 1024;
  options.timeout = milliseconds(1500);
  FakeClock clock;
  auto client = MakeCurlHttpClient(options, clock);
  auto response = client->Get(Req(raw.Url("/huge")));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kTooLarge) << response.error().ToString();
  EXPECT_NE(response.error().message.find("declares 10000000 bytes"), std::string::npos);
}

TEST(HttpClientTest, GzipIsDecodedAndTheCapAppliesToDecodedBytes) {
  const std::string plain(64 * 1024, 'a');
  const std::string gz = Gzip(plain);
  ASSERT_LT(gz.size(), 1024u);
  LoopbackHttpServer srv;
  srv.server().Get("/gz", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(gz, "application/octet-stream");  // a type httplib does not re-compress
  });
  srv.Start();
  FakeClock clock;
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  auto response = client->Get(Req(srv.Url("/gz")));
  ASSERT_TRUE(response) << response.error().ToString();
  EXPECT_EQ(response->body, plain);

  HttpOptions capped = FastOptions();
  capped.max_body_bytes = 8 * 1024;  // far above the wire size, far below the decoded size
  auto small_client = MakeCurlHttpClient(capped, clock);
  auto bomb = small_client->Get(Req(srv.Url("/gz")));
  ASSERT_FALSE(bomb);
  EXPECT_EQ(bomb.error().code, ErrorCode::kTooLarge);
}

TEST(HttpClientTest, ConnectionRefusedIsANetworkErrorAfterRetries) {
  ClosedPort closed;
  HttpOptions options = FastOptions();
  options.retries = 2;
  FakeClock clock(1000);
  auto client = MakeCurlHttpClient(options, clock);
  auto response = client->Get(Req(closed.Url("/feed.txt")));
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kNetwork) << response.error().ToString();
  EXPECT_NE(response.error().message.find("3 attempts"), std::string::npos);
  EXPECT_EQ(clock.Now(), 1000 + 1 + 2);
}

TEST(HttpClientTest, FollowsRedirectsButNotForever) {
  LoopbackHttpServer srv;
  std::atomic<int> loop_hits{0};
  srv.server().Get(
      "/old", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/new"); });
  srv.server().Get("/new", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("ETag", "\"new\"");
    res.set_content("moved\n", "text/plain");
  });
  srv.server().Get("/loop", [&](const httplib::Request&, httplib::Response& res) {
    ++loop_hits;
    res.set_redirect("/loop");
  });
  srv.Start();
  FakeClock clock;
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  auto moved = client->Get(Req(srv.Url("/old")));
  ASSERT_TRUE(moved) << moved.error().ToString();
  EXPECT_EQ(moved->status, 200);
  EXPECT_EQ(moved->body, "moved\n");
  EXPECT_EQ(moved->etag, "\"new\"");  // headers of the final response only

  auto loop = client->Get(Req(srv.Url("/loop")));
  ASSERT_FALSE(loop);
  EXPECT_EQ(loop.error().code, ErrorCode::kNetwork);
  EXPECT_EQ(loop_hits.load(), 6);  // the first request and five redirects, no retry
}

TEST(HttpClientTest, RefusesOtherSchemesAndHeaderInjection) {
  FakeClock clock;
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  auto file = client->Get(Req("file:///etc/passwd"));
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::kUnsupported);

  HttpRequest injected = Req("http://127.0.0.1:1/");
  injected.headers.emplace_back("X-Key", "a\r\nHost: evil");
  auto bad = client->Get(injected);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST(HttpClientTest, ConcurrentGetsShareOneClient) {
  LoopbackHttpServer srv;
  srv.server().Get(R"(/n/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.matches[1].str(), "text/plain");
  });
  srv.Start();
  FakeClock clock;
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        std::string n = std::to_string(t * 10 + i);
        auto r = client->Get(Req(srv.Url("/n/" + n)));
        if (r && r->status == 200 && r->body == n) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 20);
}

TEST(HttpClientTest, PostSendsBodyContentTypeAndHeaders) {
  LoopbackHttpServer srv;
  std::string method, body, type, key, expect;
  srv.server().Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    method = req.method;
    body = req.body;
    type = req.get_header_value("Content-Type");
    key = req.get_header_value("X-Key");
    expect = req.get_header_value("Expect");
    res.status = 202;
    res.set_content("queued", "text/plain");
  });
  srv.Start();
  FakeClock clock;
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  HttpRequest request = Req(srv.Url("/hook"));
  request.headers.emplace_back("X-Key", "k1");
  request.if_none_match = "\"ignored\"";
  auto response = client->Post(request, R"({"a":1})", "application/json");
  ASSERT_TRUE(response) << response.error().ToString();
  EXPECT_EQ(response->status, 202);
  EXPECT_EQ(response->body, "queued");
  EXPECT_EQ(method, "POST");
  EXPECT_EQ(body, R"({"a":1})");
  EXPECT_EQ(type, "application/json");
  EXPECT_EQ(key, "k1");
  EXPECT_EQ(expect, "");

  // An empty body is sent as an empty body (curl must not fall back to reading stdin).
  auto empty = client->Post(request, "", "text/plain");
  ASSERT_TRUE(empty) << empty.error().ToString();
  EXPECT_EQ(body, "");
}

TEST(HttpClientTest, PostIsRetriedOnServerErrorsAndDoesNotFollowRedirects) {
  LoopbackHttpServer srv;
  std::atomic<int> hits{0}, moved_hits{0}, target_hits{0};
  srv.server().Post("/flaky", [&](const httplib::Request& req, httplib::Response& res) {
    res.status = ++hits < 3 ? 503 : 200;
    res.set_content(req.body, "text/plain");
  });
  srv.server().Post("/moved", [&](const httplib::Request&, httplib::Response& res) {
    ++moved_hits;
    res.set_redirect("/elsewhere", 307);
  });
  srv.server().Post("/elsewhere",
                    [&](const httplib::Request&, httplib::Response&) { ++target_hits; });
  srv.Start();
  FakeClock clock(1000);
  auto client = MakeCurlHttpClient(FastOptions(), clock);
  auto flaky = client->Post(Req(srv.Url("/flaky")), "x", "text/plain");
  ASSERT_TRUE(flaky) << flaky.error().ToString();
  EXPECT_EQ(flaky->status, 200);
  EXPECT_EQ(flaky->body, "x");  // the body is sent again on each attempt
  EXPECT_EQ(flaky->attempts, 3);
  EXPECT_EQ(clock.Now(), 1000 + 1 + 2);

  auto moved = client->Post(Req(srv.Url("/moved")), "x", "text/plain");
  ASSERT_TRUE(moved) << moved.error().ToString();
  EXPECT_EQ(moved->status, 307);
  EXPECT_EQ(moved_hits.load(), 1);
  EXPECT_EQ(target_hits.load(), 0);
}

TEST(HttpClientTest, PostToAClosedPortIsANetworkError) {
  ClosedPort closed;
  FakeClock clock;
  HttpOptions options = FastOptions();
  options.retries = 1;
  auto client = MakeCurlHttpClient(options, clock);
  auto response = client->Post(Req(closed.Url("/hook")), "x", "text/plain");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, ErrorCode::kNetwork);
  auto bad_type = client->Post(Req(closed.Url("/hook")), "x", "text/plain\r\nX-Evil: 1");
  ASSERT_FALSE(bad_type);
  EXPECT_EQ(bad_type.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace mamori::feeds
