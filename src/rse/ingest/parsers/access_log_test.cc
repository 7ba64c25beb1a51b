#include <gtest/gtest.h>

#include "rse/ingest/log_parser.h"

namespace mamori::rse::ingest {
namespace {

struct Parsed {
  ParseResult result;
  OwnedEvent event;
  std::string Get(Field f) const {
    for (const auto& [field, value] : event.fields) {
      if (field == f) return value;
    }
    return "";
  }
};

Parsed Parse(std::string_view format, std::string_view line) {
  auto parser = MakeLogParser(format);
  EXPECT_TRUE(parser) << format;
  Event e;
  Parsed out;
  out.result = (*parser)->Parse(line, e);
  out.event = OwnedEvent::From(e);
  return out;
}

TEST(AccessLogTest, NginxCombined) {
  auto p = Parse("nginx-combined",
                 R"(203.0.113.7 - alice [10/Oct/2000:13:55:36 -0700] "GET /login.php?id=1%27 )"
                 R"~(HTTP/1.1" 401 512 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)")~");
  ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << p.result.reason;
  EXPECT_EQ(p.event.time, 971211336LL * 1000000);
  EXPECT_EQ(p.Get(Field::kSourceIp), "203.0.113.7");
  EXPECT_EQ(p.Get(Field::kUserName), "alice");
  EXPECT_EQ(p.Get(Field::kHttpRequestMethod), "GET");
  EXPECT_EQ(p.Get(Field::kUrlOriginal), "/login.php?id=1%27");
  EXPECT_EQ(p.Get(Field::kHttpVersion), "1.1");
  EXPECT_EQ(p.Get(Field::kHttpResponseStatusCode), "401");
  EXPECT_EQ(p.Get(Field::kHttpResponseBodyBytes), "512");
  EXPECT_EQ(p.Get(Field::kHttpRequestReferrer), "https://example.com/");
  EXPECT_EQ(p.Get(Field::kUserAgentOriginal), "Mozilla/5.0 (X11; Linux x86_64)");
  EXPECT_EQ(p.Get(Field::kEventCategory), "web");
  EXPECT_EQ(p.Get(Field::kEventAction), "request");
  EXPECT_EQ(p.Get(Field::kEventDataset), "nginx.access");
  EXPECT_EQ(p.Get(Field::kMessage), "");
}

TEST(AccessLogTest, Ipv6AndPlaceholdersAndTrailingFields) {
  auto p = Parse("nginx-combined",
                 R"(2001:db8::1 - - [01/Jan/2024:00:00:00 +0000] "HEAD / HTTP/2.0" 200 0 "-" "-" )"
                 R"("198.51.100.1")");
  ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << p.result.reason;
  EXPECT_EQ(p.Get(Field::kSourceIp), "2001:db8::1");
  EXPECT_EQ(p.Get(Field::kUserName), "");
  EXPECT_EQ(p.Get(Field::kHttpRequestReferrer), "");
  EXPECT_EQ(p.Get(Field::kUserAgentOriginal), "");
  EXPECT_EQ(p.Get(Field::kHttpVersion), "2.0");
}

TEST(AccessLogTest, EscapedQuotesStayAsLogged) {
  // Apache escapes quotes as \" ; nginx as \x22. Both stay as logged.
  auto p = Parse("apache-combined",
                 R"(192.0.2.5 - - [10/Oct/2000:13:55:36 +0000] "GET /a HTTP/1.0" 200 - "-" )"
                 R"("evil \"agent\" \\ x")");
  ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << p.result.reason;
  EXPECT_EQ(p.Get(Field::kUserAgentOriginal), R"(evil \"agent\" \\ x)");
  EXPECT_EQ(p.Get(Field::kHttpResponseBodyBytes), "");
  EXPECT_EQ(p.Get(Field::kEventDataset), "apache.access");
  auto n = Parse("nginx-combined",
                 R"(192.0.2.5 - - [10/Oct/2000:13:55:36 +0000] "GET /a HTTP/1.0" 200 5 "-" )"
                 R"("x\x22y")");
  EXPECT_EQ(n.Get(Field::kUserAgentOriginal), R"(x\x22y)");
}

TEST(AccessLogTest, OddRequestLinesGoToMessage) {
  for (std::string_view request : {R"(\x16\x03\x01\x00\xA5\x01)", "-", "", "GET /a b c HTTP/1.1",
                                   "get / HTTP/1.1", "GET / FTP/1"}) {
    std::string line = "192.0.2.9 - - [10/Oct/2000:13:55:36 +0000] \"" + std::string(request) +
                       "\" 400 150 \"-\" \"-\"";
    auto p = Parse("nginx-combined", line);
    ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << request << ": " << p.result.reason;
    EXPECT_EQ(p.Get(Field::kUrlOriginal), "") << request;
    EXPECT_EQ(p.Get(Field::kHttpRequestMethod), "") << request;
    EXPECT_EQ(p.Get(Field::kMessage), request == "-" ? "" : std::string(request)) << request;
    EXPECT_EQ(p.Get(Field::kHttpResponseStatusCode), "400");
  }
  // HTTP/0.9 style: method and target, no version.
  auto p = Parse("nginx-combined",
                 R"(192.0.2.9 - - [10/Oct/2000:13:55:36 +0000] "GET /x" 200 1 "-" "-")");
  EXPECT_EQ(p.Get(Field::kUrlOriginal), "/x");
  EXPECT_EQ(p.Get(Field::kHttpVersion), "");
}

TEST(AccessLogTest, CommonFormat) {
  auto p = Parse(
      "apache-common",
      R"(127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326)");
  ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << p.result.reason;
  EXPECT_EQ(p.Get(Field::kUserName), "frank");
  EXPECT_EQ(p.Get(Field::kHttpResponseBodyBytes), "2326");
  EXPECT_EQ(Parse("nginx-common", "").result.outcome, ParseOutcome::kSkip);
}

TEST(AccessLogTest, MalformedReasons) {
  struct Case {
    std::string_view line, reason;
  } cases[] = {
      {"garbage", "no client address"},
      {"1.2.3.4 - - 10/Oct/2000 \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", "no time"},
      {"1.2.3.4 - - [10/Foo/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", "bad time"},
      {"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] GET / 200 1", "no quoted request"},
      {"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 2000 1 \"-\" \"-\"",
       "bad status"},
      {"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 200 x \"-\" \"-\"",
       "bad byte count"},
      {"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1",
       "no quoted referrer and user agent"},
      {"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1", "no quoted request"},
  };
  for (const auto& c : cases) {
    auto p = Parse("nginx-combined", c.line);
    EXPECT_EQ(p.result.outcome, ParseOutcome::kMalformed) << c.line;
    EXPECT_EQ(p.result.reason, c.reason) << c.line;
  }
}

TEST(AccessJsonTest, NginxEscapeJson) {
  auto p = Parse(
      "access-json",
      R"({"time_local":"10/Oct/2000:13:55:36 -0700","remote_addr":"2001:db8::5","remote_user":"",)"
      R"("request":"POST /wp-login.php HTTP/1.1","status": "401","body_bytes_sent":"0",)"
      R"("http_referer":"","http_user_agent":"curl \"x\" \u00e9\/","host":"www.example.com"})");
  ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << p.result.reason;
  EXPECT_EQ(p.event.time, 971211336LL * 1000000);
  EXPECT_EQ(p.Get(Field::kSourceIp), "2001:db8::5");
  EXPECT_EQ(p.Get(Field::kUserName), "");
  EXPECT_EQ(p.Get(Field::kHttpRequestMethod), "POST");
  EXPECT_EQ(p.Get(Field::kUrlOriginal), "/wp-login.php");
  EXPECT_EQ(p.Get(Field::kHttpVersion), "1.1");
  EXPECT_EQ(p.Get(Field::kHttpResponseStatusCode), "401");
  EXPECT_EQ(p.Get(Field::kUserAgentOriginal), "curl \"x\" \xC3\xA9/");
  EXPECT_EQ(p.Get(Field::kUrlDomain), "www.example.com");
  EXPECT_EQ(p.Get(Field::kEventCategory), "web");
}

TEST(AccessJsonTest, SeparateFieldsIsoTimeAndEcsNames) {
  auto p =
      Parse("access-json", R"({"time_iso8601":"2024-03-01T10:00:00+01:00","request_method":"GET",)"
                           R"("request_uri":"/a?b=1","server_protocol":"HTTP/2.0","status":404,)"
                           R"("source":{"ip":"192.0.2.1","port":5555},"tags":["x",{"a":1}],)"
                           R"("user_agent.original":"ua"})");
  ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << p.result.reason;
  EXPECT_EQ(p.event.time, 1709283600LL * 1000000);
  EXPECT_EQ(p.Get(Field::kHttpRequestMethod), "GET");
  EXPECT_EQ(p.Get(Field::kUrlOriginal), "/a?b=1");
  EXPECT_EQ(p.Get(Field::kHttpVersion), "2.0");
  EXPECT_EQ(p.Get(Field::kHttpResponseStatusCode), "404");
  EXPECT_EQ(p.Get(Field::kSourceIp), "192.0.2.1");
  EXPECT_EQ(p.Get(Field::kSourcePort), "5555");
  EXPECT_EQ(p.Get(Field::kUserAgentOriginal), "ua");
}

TEST(AccessJsonTest, Malformed) {
  EXPECT_EQ(Parse("access-json", "not json").result.reason, "not a JSON object");
  EXPECT_EQ(Parse("access-json", R"({"a":"b")").result.outcome, ParseOutcome::kMalformed);
  EXPECT_EQ(Parse("access-json", R"({"a":"b"} x)").result.reason, "text after the JSON object");
  EXPECT_EQ(Parse("access-json", R"({"a":"b)").result.reason, "unterminated string");
  EXPECT_EQ(Parse("access-json", "").result.outcome, ParseOutcome::kSkip);
}

}  // namespace
}  // namespace mamori::rse::ingest
