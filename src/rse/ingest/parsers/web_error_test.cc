// Web error-log behaviour added for the fail2ban parity work (docs/fail2ban-parity.md): forged
// nginx client context, Apache digest/authz/SNI messages, mod_evasive, ErrorLog syslog, nginx's
// "No such file" 404s. Basic shapes are in syslog_test.cc (WebErrorTest).
#include <gtest/gtest.h>

#include <string>

#include "rse/ingest/log_parser.h"

namespace mamori::rse::ingest {
namespace {

struct Got {
  ParseOutcome outcome;
  std::string ip, action, outcome_field, user, url;
};

Got ParseWith(std::string_view format, std::string_view line) {
  auto parser = MakeLogParser(format, ParserOptions{.now = 1718452800});
  EXPECT_TRUE(parser);
  Event e;
  ParseOutcome o = (*parser)->Parse(line, e).outcome;
  return {o,
          std::string(e.Get(Field::kSourceIp)),
          std::string(e.Get(Field::kEventAction)),
          std::string(e.Get(Field::kEventOutcome)),
          std::string(e.Get(Field::kUserName)),
          std::string(e.Get(Field::kUrlOriginal))};
}

TEST(NginxErrorContextTest, ForgedClientInUserNameIsNotTaken) {
  // The user name (client-chosen) carries a whole fake context; the real one follows nginx's
  // own message text.
  Got g = ParseWith("nginx-error",
                    "2014/04/03 22:20:40 [error] 30708#0: *3 user \"test\": password mismatch, "
                    "client: 127.0.0.1, server: test, request: \"GET / HTTP/1.1\", host: "
                    "\"localhost:8443\"\" was not found in \"/etc/nginx/.htpasswd\", client: "
                    "192.0.2.2, server: , request: \"GET / HTTP/1.1\", host: \"localhost:8443\"");
  EXPECT_EQ(g.ip, "192.0.2.2");
  EXPECT_EQ(g.action, "http_auth");
}

TEST(NginxErrorContextTest, ForgedClientInRequestLineIsNotTaken) {
  // A request target spelling ", client: ..., server: x" inside the quoted request: the fake
  // one's rest of line does not parse (its "server" runs into the request text).
  Got g = ParseWith("nginx-error",
                    "2024/01/01 00:00:00 [error] 1#1: *9 open() \"/srv/x\" failed (2: No such "
                    "file or directory), client: 192.0.2.50, server: www, request: \"GET "
                    "/x, client: 1.2.3.4, server: y HTTP/1.1\", host: \"www\"");
  EXPECT_EQ(g.ip, "192.0.2.50");
}

TEST(NginxErrorContextTest, UnusualTailFallsBackToTheFirstAddress) {
  // The stream module appends byte counts, not key: "value" pairs.
  Got g = ParseWith("nginx-error",
                    "2024/01/01 00:00:00 [error] 1#1: *9 upstream timed out, client: "
                    "192.0.2.60, server: 0.0.0.0:443, upstream: \"10.0.0.1:443\", bytes "
                    "from/to client:0/0");
  EXPECT_EQ(g.ip, "192.0.2.60");
}

TEST(NginxErrorTest, NoSuchFileIsNotFound) {
  Got g = ParseWith("nginx-error",
                    "2015/01/21 10:56:10 [error] 2833#0: *16336 open() "
                    "\"/var/www/site/cgi-bin/php4\" failed (2: No such file or directory), "
                    "client: 192.0.2.9, server: localhost, request: \"GET /cgi-bin/php4 "
                    "HTTP/1.1\", host: \"example.com\"");
  EXPECT_EQ(g.action, "not_found");
  EXPECT_EQ(g.outcome_field, "failure");
  EXPECT_EQ(g.url, "/cgi-bin/php4");
  g = ParseWith("nginx-error",
                "2015/01/21 15:02:27 [error] 2833#0: *16813 \"/var/www/site/roundcube/\" is not "
                "found (2: No such file or directory), client: 192.0.2.9, server: localhost, "
                "request: \"GET /roundcube/ HTTP/1.1\", host: \"example.com\"");
  EXPECT_EQ(g.action, "not_found");
  // Permission denied (13) is the server's problem, not a missing path.
  g = ParseWith("nginx-error",
                "2015/01/21 10:56:10 [error] 2833#0: *1 open() \"/srv/a\" failed (13: "
                "Permission denied), client: 192.0.2.9, server: localhost, request: \"GET /a "
                "HTTP/1.1\"");
  EXPECT_EQ(g.action, "error");
}

TEST(ApacheErrorTest, DigestFailures) {
  for (const char* line :
       {"[Sun Jul 28 21:05:31.178340 2013] [auth_digest:error] [pid 1:tid 2] [client "
        "192.0.2.1:56906] AH01793: invalid qop `auth' received: /digest/qop_none/",
        "[Sun Jul 28 21:12:44 2013] [error] [client 192.0.2.1] Digest: invalid nonce "
        "JDiBAA=db93 received - length is not 52",
        "[Sun Jul 28 21:30:02 2013] [error] [client 192.0.2.1] Digest: realm mismatch - got `x' "
        "but expected `y'",
        "[Sun Jul 28 21:41:20 2013] [error] [client 192.0.2.1] Digest: unknown algorithm `x' "
        "received: /digest/",
        "[Mon Jul 29 02:12:55.539813 2013] [auth_digest:error] [pid 1:tid 2] [client "
        "192.0.2.1:58474] AH01777: invalid nonce 59QJ received - user attempted time travel"}) {
    Got g = ParseWith("apache-error", line);
    EXPECT_EQ(g.action, "http_auth") << line;
    EXPECT_EQ(g.outcome_field, "failure") << line;
    EXPECT_EQ(g.ip, "192.0.2.1") << line;
  }
  // A nonce signed with another secret: also every client after a server restart.
  Got stale = ParseWith("apache-error",
                        "[Sun Jul 28 21:18:11.769228 2013] [auth_digest:error] [pid 1:tid 2] "
                        "[client 192.0.2.1:56964] AH01776: invalid nonce b9YA received - hash "
                        "is not d42d");
  EXPECT_EQ(stale.action, "error");
  Got realm = ParseWith("apache-error",
                        "[Thu Jul 18 00:08:39 2013] [error] [client 192.0.2.1] Digest: user "
                        "`username' in realm `digest private area' not found: /x");
  EXPECT_EQ(realm.action, "http_auth");
  EXPECT_EQ(realm.user, "username");
}

TEST(ApacheErrorTest, AuthorizationAndSniRefusalsAreAccessDenied) {
  Got owner = ParseWith("apache-error",
                        "[Sat Jul 20 22:11:43.147674 2013] [authz_owner:error] [pid 1:tid 2] "
                        "[client 192.0.2.1:51548] AH01637: Authorization of user alice to access "
                        "/basic/x.html failed, reason: file owner dan does not match");
  EXPECT_EQ(owner.action, "access_denied");
  EXPECT_EQ(owner.user, "alice");
  Got core = ParseWith("apache-error",
                       "[Sat Jul 20 21:42:44.304159 2013] [authz_core:error] [pid 1:tid 2] "
                       "[client 192.0.2.1:51397] AH01631: user alice: authorization failure for "
                       "\"/basic/x.html\": ");
  EXPECT_EQ(core.action, "access_denied");
  EXPECT_EQ(core.user, "alice");
  for (const char* msg : {"AH02031: Hostname www.example.com provided via SNI, but no hostname "
                          "provided in HTTP request",
                          "AH02032: Hostname a.example provided via SNI and hostname b.example "
                          "provided via HTTP have no compatible SSL setup",
                          "AH02033: No hostname was provided via SNI for a name based virtual "
                          "host"}) {
    Got g = ParseWith("apache-error", std::string("[Wed Mar 28 01:31:42.355210 2018] [ssl:error] "
                                                  "[pid 6586] [client 192.0.2.3:58028] ") +
                                          msg);
    EXPECT_EQ(g.action, "access_denied") << msg;
    EXPECT_EQ(g.ip, "192.0.2.3") << msg;
  }
}

TEST(ApacheErrorTest, BracketedIpv6Client) {
  Got g = ParseWith("apache-error",
                    "[Sat Jul 20 22:11:44.147674 2013] [authz_owner:error] [pid 1:tid 2] [client "
                    "[2001:db8::1:248]:51548] AH01637: Authorization of user bob to access /x "
                    "failed, reason: file owner dan does not match");
  EXPECT_EQ(g.ip, "2001:db8::1:248");
  EXPECT_EQ(g.action, "access_denied");
  EXPECT_EQ(g.user, "bob");
}

TEST(ApacheErrorTest, ModEvasiveIsRateLimiting) {
  Got g = ParseWith("apache-error",
                    "[Thu Oct 17 18:43:40.160521 2019] [evasive20:error] [pid 22589] [client "
                    "192.0.2.1:56175] client denied by server configuration: /path/index.php");
  EXPECT_EQ(g.action, "rate_limited");
  Got denied = ParseWith("apache-error",
                         "[Sun Sep 14 21:44:43.008606 2014] [authz_core:error] [pid 10691] "
                         "[client 192.0.2.1:44271] AH01630: client denied by server "
                         "configuration: /var/www/html/x");
  EXPECT_EQ(denied.action, "access_denied");
}

TEST(ApacheErrorTest, ErrorLogSyslog) {
  Got g = ParseWith("apache-error",
                    "Feb 15 16:23:40 srv httpd/backend1[22034]: [authz_core:error] [pid 22036] "
                    "[client 192.0.2.2:59392] AH01630: client denied by server configuration: "
                    "/home/backend1/");
  EXPECT_EQ(g.outcome, ParseOutcome::kEvent);
  EXPECT_EQ(g.ip, "192.0.2.2");
  EXPECT_EQ(g.action, "access_denied");
  g = ParseWith("apache-error",
                "Feb 16 22:32:48 srv apache2[22034]: [error] [client 192.0.2.4] user bob not "
                "found: /basic/file");
  EXPECT_EQ(g.ip, "192.0.2.4");
  EXPECT_EQ(g.action, "http_auth");
  EXPECT_EQ(g.user, "bob");
  // Other programs of a shared syslog file are not Apache's.
  g = ParseWith("apache-error", "Feb 16 22:32:48 srv sshd[1]: [error] [client 192.0.2.4] x");
  EXPECT_EQ(g.outcome, ParseOutcome::kSkip);
  // Neither a [time] nor a syslog header.
  g = ParseWith("apache-error", "garbage line");
  EXPECT_EQ(g.outcome, ParseOutcome::kMalformed);
}

}  // namespace
}  // namespace mamori::rse::ingest
