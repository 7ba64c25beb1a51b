#include "rse/ingest/parsers/syslog.h"

#include <gtest/gtest.h>

#include "rse/ingest/log_parser.h"

namespace mamori::rse::ingest {
namespace {

// 2024-06-15T12:00:00Z
constexpr UnixSeconds kNow = 1718452800;

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

Parsed Parse(std::string_view format, std::string_view line, UnixSeconds now = kNow) {
  ParserOptions options;
  options.now = now;
  auto parser = MakeLogParser(format, options);
  EXPECT_TRUE(parser) << format;
  Event e;
  Parsed out;
  out.result = (*parser)->Parse(line, e);
  out.event = OwnedEvent::From(e);
  return out;
}

TEST(SyslogHeaderTest, Rfc3164WithAndWithoutPri) {
  SyslogHeader h;
  ASSERT_EQ(ParseSyslogHeader("<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed", kNow, h),
            "");
  EXPECT_EQ(h.priority, 34);
  EXPECT_EQ(h.host, "mymachine");
  EXPECT_EQ(h.program, "su");
  EXPECT_EQ(h.pid, "123");
  EXPECT_EQ(h.message, "'su root' failed");
  EXPECT_EQ(h.time, CivilToMicros(2023, 10, 11, 22, 14, 15));  // October is after June: 2023

  ASSERT_EQ(ParseSyslogHeader("Jun  5 01:31:41 www sshd[1643]: ROOT LOGIN REFUSED", kNow, h), "");
  EXPECT_EQ(h.priority, -1);
  EXPECT_EQ(h.time, CivilToMicros(2024, 6, 5, 1, 31, 41));
  EXPECT_EQ(h.program, "sshd");
  // No host; "[prog]:" tag; Solaris [ID] prefix; single-digit day with one space.
  ASSERT_EQ(ParseSyslogHeader("Mar  3 00:17:22 [sshd]: User root", kNow, h), "");
  EXPECT_EQ(h.host, "");
  EXPECT_EQ(h.program, "sshd");
  ASSERT_EQ(
      ParseSyslogHeader("Jun 7 01:10:56 host sshd[1]: [ID 800047 auth.info] Failed x", kNow, h),
      "");
  EXPECT_EQ(h.message, "Failed x");
  // Program without pid, postfix sub-programs.
  ASSERT_EQ(ParseSyslogHeader("Feb 21 09:21:54 xxx postfix/smtpd[14398]: NOQUEUE", kNow, h), "");
  EXPECT_EQ(h.program, "postfix/smtpd");
  ASSERT_EQ(ParseSyslogHeader("Feb 21 09:21:54 xxx kernel: [1.2] x", kNow, h), "");
  EXPECT_EQ(h.program, "kernel");
  EXPECT_EQ(h.pid, "");
  // No tag at all: everything after the host is message.
  ASSERT_EQ(ParseSyslogHeader("Feb 21 09:21:54 xxx hello world", kNow, h), "");
  EXPECT_EQ(h.program, "");
  EXPECT_EQ(h.message, "hello world");
}

TEST(SyslogHeaderTest, Rfc3339Files) {
  SyslogHeader h;
  ASSERT_EQ(ParseSyslogHeader("2015-04-16T18:02:50.321974+00:00 host sshd[2716]: Connection closed",
                              kNow, h),
            "");
  EXPECT_EQ(h.time, CivilToMicros(2015, 4, 16, 18, 2, 50, 321974));
  EXPECT_EQ(h.host, "host");
  EXPECT_EQ(h.program, "sshd");
}

TEST(SyslogHeaderTest, Rfc5424WithStructuredData) {
  SyslogHeader h;
  ASSERT_EQ(ParseSyslogHeader(
                R"(<38>1 2019-07-08T17:40:17.954167-04:00 hostname.example.com sshd 55555 - )"
                R"([timeQuality tzKnown="1" isSynced="0"][xxx@123 test="[brackets\]"] Failed x)",
                kNow, h),
            "");
  EXPECT_EQ(h.priority, 38);
  EXPECT_EQ(h.time, CivilToMicros(2019, 7, 8, 21, 40, 17, 954167));
  EXPECT_EQ(h.host, "hostname.example.com");
  EXPECT_EQ(h.program, "sshd");
  EXPECT_EQ(h.pid, "55555");
  EXPECT_EQ(h.msgid, "");
  EXPECT_EQ(h.structured, R"([timeQuality tzKnown="1" isSynced="0"][xxx@123 test="[brackets\]"])");
  EXPECT_EQ(h.message, "Failed x");
  ASSERT_EQ(ParseSyslogHeader("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - "
                              "\xEF\xBB\xBF'su root' failed",
                              kNow, h),
            "");
  EXPECT_EQ(h.msgid, "ID47");
  EXPECT_EQ(h.message, "'su root' failed");
  EXPECT_EQ(h.time, CivilToMicros(2003, 10, 11, 22, 14, 15, 3000));
}

TEST(SyslogHeaderTest, NewYearRule) {
  SyslogHeader h;
  // Read on 2024-01-01T00:30Z: a Dec 31 line is from 2023, a Jan 1 line from 2024.
  UnixSeconds new_year = CivilToMicros(2024, 1, 1, 0, 30, 0) / 1000000;
  ASSERT_EQ(ParseSyslogHeader("Dec 31 23:59:59 h p: x", new_year, h), "");
  EXPECT_EQ(h.time, CivilToMicros(2023, 12, 31, 23, 59, 59));
  ASSERT_EQ(ParseSyslogHeader("Jan  1 00:10:00 h p: x", new_year, h), "");
  EXPECT_EQ(h.time, CivilToMicros(2024, 1, 1, 0, 10, 0));
  // Up to a day ahead is clock skew, not last year.
  ASSERT_EQ(ParseSyslogHeader("Jan  1 20:00:00 h p: x", new_year, h), "");
  EXPECT_EQ(h.time, CivilToMicros(2024, 1, 1, 20, 0, 0));
}

TEST(SyslogHeaderTest, Malformed) {
  SyslogHeader h;
  EXPECT_EQ(ParseSyslogHeader("hello world", kNow, h), "no syslog timestamp");
  EXPECT_EQ(ParseSyslogHeader("<999>Oct 11 22:14:15 h p: x", kNow, h), "bad <PRI>");
  EXPECT_EQ(ParseSyslogHeader("<34>1 yesterday h a - - - x", kNow, h), "bad RFC 5424 timestamp");
  EXPECT_EQ(ParseSyslogHeader("<34>1 2003-10-11T22:14:15Z h a - -", kNow, h),
            "truncated RFC 5424 header");
  EXPECT_EQ(ParseSyslogHeader("<34>1 2003-10-11T22:14:15Z h a - - [x y=\"z] m", kNow, h),
            "bad RFC 5424 structured data");
  EXPECT_EQ(ParseSyslogHeader("Oct 11 22:14:15", kNow, h), "no host or program");
}

TEST(SyslogParserTest, GenericSetsFields) {
  auto p = Parse("syslog", "<38>Oct 11 22:14:15 web1 cron[99]: job done");
  ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent);
  EXPECT_EQ(p.Get(Field::kHostName), "web1");
  EXPECT_EQ(p.Get(Field::kProcessName), "cron");
  EXPECT_EQ(p.Get(Field::kProcessPid), "99");
  EXPECT_EQ(p.Get(Field::kLogLevel), "info");
  EXPECT_EQ(p.Get(Field::kMessage), "job done");
  EXPECT_EQ(p.Get(Field::kEventDataset), "syslog");
  EXPECT_EQ(Parse("syslog", "   ").result.outcome, ParseOutcome::kSkip);
  EXPECT_EQ(Parse("syslog", "junk").result.reason, "no syslog timestamp");
}

// --- sshd ---

struct SshCase {
  std::string_view message;
  std::string_view action, outcome, ip, port, user;
};

TEST(SshdParserTest, EveryMessageKind) {
  const SshCase cases[] = {
      {"Failed password for root from 192.0.2.1 port 22 ssh2", "ssh_login", "failure", "192.0.2.1",
       "22", "root"},
      {"Failed password for invalid user admin from 2001:db8::7 port 4242 ssh2", "ssh_login",
       "failure", "2001:db8::7", "4242", "admin"},
      {"Failed publickey for git from 192.0.2.111 port 57910 ssh2: RSA SHA256:abc", "ssh_login",
       "failure", "192.0.2.111", "57910", "git"},
      {"Failed password for invalid user test from 10.10.1.2 port 55555 ssh2 from 127.0.0.1 "
       "port 58946 ssh2",
       "ssh_login", "failure", "127.0.0.1", "58946", "test from 10.10.1.2 port 55555 ssh2"},
      {"Accepted password for rda from 192.0.2.113 port 52100 ssh2", "ssh_login", "success",
       "192.0.2.113", "52100", "rda"},
      {"Accepted publickey for git from 192.0.2.1 port 57904 ssh2: ED25519 SHA256:xyz", "ssh_login",
       "success", "192.0.2.1", "57904", "git"},
      {"Invalid user ftp from 192.0.2.2 port 37220", "ssh_login", "failure", "192.0.2.2", "37220",
       "ftp"},
      {"Invalid user  from 192.0.2.68 port 34916", "ssh_login", "failure", "192.0.2.68", "34916",
       ""},
      {"Connection closed by invalid user admin 192.0.2.3 port 1234 [preauth]", "ssh_login",
       "failure", "192.0.2.3", "1234", "admin"},
      {"Connection closed by authenticating user test 127.0.0.1 192.0.2.11 port 46039 [preauth]",
       "ssh_login", "failure", "192.0.2.11", "46039", "test 127.0.0.1"},
      {"Connection closed by 192.0.2.212 port 5 [preauth]", "ssh_disconnect", "unknown",
       "192.0.2.212", "5", ""},
      {"Disconnected from authenticating user root 192.0.2.6 port 33553 [preauth]", "ssh_login",
       "failure", "192.0.2.6", "33553", "root"},
      {"Disconnected from user bob 192.0.2.6 port 33553", "ssh_disconnect", "unknown", "192.0.2.6",
       "33553", ""},
      {"Connection reset by 192.0.2.39 port 14282 [preauth]", "ssh_disconnect", "unknown",
       "192.0.2.39", "14282", ""},
      {"error: maximum authentication attempts exceeded for root from 61.0.0.1 port 49940 ssh2 "
       "[preauth]",
       "ssh_login", "failure", "61.0.0.1", "49940", "root"},
      {"Disconnecting: Too many authentication failures for git [preauth]", "ssh_login", "failure",
       "", "", "git"},
      {"Did not receive identification string from 192.0.2.5 port 35836", "ssh_probe", "failure",
       "192.0.2.5", "35836", ""},
      {"banner exchange: Connection from 192.0.2.12 port 44105: invalid format", "ssh_probe",
       "failure", "192.0.2.12", "44105", ""},
      {"error: kex_exchange_identification: banner line too long", "ssh_probe", "failure", "", "",
       ""},
      {"Unable to negotiate with 192.0.2.4 port 50404: no matching host key type found.",
       "ssh_probe", "failure", "192.0.2.4", "50404", ""},
      {"Bad protocol version identification 'x' from 192.0.2.1' from 69.61.56.115 port 31778",
       "ssh_probe", "failure", "69.61.56.115", "31778", ""},
      {"error: PAM: Authentication failure for james from 205.186.180.99 via 192.168.1.201",
       "ssh_login", "failure", "205.186.180.99", "", "james"},
      {"error: PAM: User not known to the underlying authentication module for illegal user "
       "kernelitshell from 10.215.4.227",
       "ssh_login", "failure", "10.215.4.227", "", "kernelitshell"},
      {"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
       "rhost=192.0.2.113  user=rda",
       "pam_auth", "failure", "192.0.2.113", "", "rda"},
      {"User root from 46.45.128.3 not allowed because listed in DenyUsers", "ssh_login", "failure",
       "46.45.128.3", "", "root"},
      {"ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4", "ssh_login", "failure", "1.2.3.4", "",
       "root"},
      {"Received disconnect from 94.249.236.6: 3: com.jcraft.jsch.JSchException: Auth fail "
       "[preauth]",
       "ssh_login", "failure", "94.249.236.6", "", ""},
      {"Received disconnect from 198.51.100.76 port 58846:11: Bye Bye [preauth]", "ssh_disconnect",
       "unknown", "198.51.100.76", "58846", ""},
      {"Connection from 192.0.2.3 port 39678 on 192.168.1.9 port 22 rdomain \"\"", "ssh_connect",
       "unknown", "192.0.2.3", "39678", ""},
  };
  for (const auto& c : cases) {
    std::string line = "Jun 21 16:47:48 host sshd[13709]: " + std::string(c.message);
    auto p = Parse("sshd", line);
    ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << c.message;
    EXPECT_EQ(p.Get(Field::kEventAction), c.action) << c.message;
    EXPECT_EQ(p.Get(Field::kEventOutcome), c.outcome) << c.message;
    EXPECT_EQ(p.Get(Field::kSourceIp), c.ip) << c.message;
    EXPECT_EQ(p.Get(Field::kSourcePort), c.port) << c.message;
    EXPECT_EQ(p.Get(Field::kUserName), c.user) << c.message;
    EXPECT_EQ(p.Get(Field::kEventDataset), "sshd");
    EXPECT_EQ(p.Get(Field::kNetworkProtocol), "ssh");
  }
}

TEST(SshdParserTest, OtherProgramsAreSkippedAndOpenSsh98Accepted) {
  EXPECT_EQ(Parse("sshd", "Jun 21 16:47:48 host sudo: pam_unix(sudo:session): x").result.outcome,
            ParseOutcome::kSkip);
  auto p = Parse("sshd",
                 "2024-07-01T10:00:00+02:00 host sshd-session[5]: Failed password for root from "
                 "192.0.2.1 port 22 ssh2");
  EXPECT_EQ(p.Get(Field::kEventOutcome), "failure");
  EXPECT_EQ(p.event.time, CivilToMicros(2024, 7, 1, 8, 0, 0));
  // A message we do not classify is still an event with the syslog fields.
  auto other = Parse("sshd", "Jun 21 16:47:48 host sshd[1]: Server listening on 0.0.0.0 port 22.");
  EXPECT_EQ(other.result.outcome, ParseOutcome::kEvent);
  EXPECT_EQ(other.Get(Field::kEventAction), "");
}

// --- postfix ---

TEST(PostfixParserTest, AuthRejectsAndViolations) {
  struct Case {
    std::string_view message, program, category, action, outcome, ip;
  } cases[] = {
      {"warning: unknown[192.0.2.9]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
       "postfix/smtpd", "authentication", "smtp_auth", "failure", "192.0.2.9"},
      {"warning: mail.example.com[2001:db8::9]: SASL PLAIN authentication failed: ",
       "postfix/submission/smtpd", "authentication", "smtp_auth", "failure", "2001:db8::9"},
      {"NOQUEUE: reject: RCPT from unknown[1.2.3.4]: 554 5.7.1 <a@b>: Relay access denied; "
       "from=<x@y> to=<a@b> proto=ESMTP helo=<z>",
       "postfix/smtpd", "email", "reject", "failure", "1.2.3.4"},
      {"NOQUEUE: reject: RCPT from badserver.example.com[93.184.216.34]: 450 4.7.1 Client host "
       "rejected: cannot find your hostname, [93.184.216.35]; from=<a@b>",
       "postfix/smtpd", "email", "reject", "failure", "93.184.216.34"},
      {"1D8CC1CA0A7F: milter-reject: DATA from mail[192.0.2.151]: 550 5.7.1 Command rejected",
       "postfix/cleanup", "email", "reject", "failure", "192.0.2.151"},
      {"PREGREET 14 after 0.08 from [192.0.2.2]:59415: EHLO ylmf-pc\\r\\n", "postfix/postscreen",
       "email", "protocol_violation", "failure", "192.0.2.2"},
      {"lost connection after AUTH from unknown[192.0.2.23]", "postfix/smtpd", "authentication",
       "smtp_auth", "failure", "192.0.2.23"},
      {"disconnect from unknown[192.0.2.1] helo=1 auth=0/1 quit=1 commands=2/3", "postfix/smtpd",
       "authentication", "smtp_auth", "failure", "192.0.2.1"},
      {"connect from unknown[192.0.2.1]", "postfix/smtpd", "email", "connect", "unknown",
       "192.0.2.1"},
  };
  for (const auto& c : cases) {
    std::string line =
        "Feb 21 09:21:54 mx " + std::string(c.program) + "[14398]: " + std::string(c.message);
    auto p = Parse("postfix", line);
    ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << c.message;
    EXPECT_EQ(p.Get(Field::kEventCategory), c.category) << c.message;
    EXPECT_EQ(p.Get(Field::kEventAction), c.action) << c.message;
    EXPECT_EQ(p.Get(Field::kEventOutcome), c.outcome) << c.message;
    EXPECT_EQ(p.Get(Field::kSourceIp), c.ip) << c.message;
  }
  auto ok = Parse("postfix",
                  "Feb 21 09:21:54 mx postfix/smtpd[1]: 4F1: client=a[192.0.2.4], "
                  "sasl_method=PLAIN, sasl_username=bob@example.com");
  EXPECT_EQ(ok.Get(Field::kEventOutcome), "success");
  EXPECT_EQ(ok.Get(Field::kUserName), "bob@example.com");
  EXPECT_EQ(Parse("postfix", "Feb 21 09:21:54 mx dovecot: x").result.outcome, ParseOutcome::kSkip);
}

// --- kernel firewall ---

TEST(KernelFirewallTest, NetfilterLogLines) {
  auto p = Parse("kernel-firewall",
                 "Jun 15 10:00:00 fw1 kernel: [123456.789012] [UFW BLOCK] IN=eth0 OUT= "
                 "MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.5 DST=192.0.2.10 "
                 "LEN=60 TOS=0x00 PREC=0x00 TTL=49 ID=1234 DF PROTO=TCP SPT=51234 DPT=22 "
                 "WINDOW=64240 RES=0x00 SYN URGP=0");
  ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << p.result.reason;
  EXPECT_EQ(p.Get(Field::kEventCategory), "network");
  EXPECT_EQ(p.Get(Field::kEventAction), "drop");
  EXPECT_EQ(p.Get(Field::kRuleName), "[UFW BLOCK]");
  EXPECT_EQ(p.Get(Field::kSourceIp), "203.0.113.5");
  EXPECT_EQ(p.Get(Field::kDestinationIp), "192.0.2.10");
  EXPECT_EQ(p.Get(Field::kSourcePort), "51234");
  EXPECT_EQ(p.Get(Field::kDestinationPort), "22");
  EXPECT_EQ(p.Get(Field::kNetworkTransport), "tcp");
  EXPECT_EQ(p.Get(Field::kNetworkBytes), "60");
  EXPECT_EQ(p.Get(Field::kObserverName), "fw1");

  auto accept = Parse("kernel-firewall",
                      "Jun 15 10:00:00 fw1 kernel: nft-Accept-SSH: IN=eth0 OUT= SRC=2001:db8::1 "
                      "DST=2001:db8::2 LEN=80 PROTO=UDP SPT=53 DPT=5353");
  EXPECT_EQ(accept.Get(Field::kEventAction), "accept");
  EXPECT_EQ(accept.Get(Field::kNetworkTransport), "udp");
  EXPECT_EQ(Parse("kernel-firewall",
                  "Jun 15 10:00:00 fw1 kernel: INPUT REJECTED IN=eth0 OUT= SRC=1.2.3.4 "
                  "DST=5.6.7.8 PROTO=ICMP TYPE=8 CODE=0")
                .Get(Field::kEventAction),
            "reject");
  // No prefix at all: "drop".
  EXPECT_EQ(Parse("kernel-firewall",
                  "Jun 15 10:00:00 fw1 kernel: IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=47")
                .Get(Field::kEventAction),
            "drop");
  EXPECT_EQ(
      Parse("kernel-firewall", "Jun 15 10:00:00 fw1 kernel: usb 1-1: new device").result.outcome,
      ParseOutcome::kSkip);
  EXPECT_EQ(Parse("kernel-firewall", "Jun 15 10:00:00 fw1 kernel: DROP IN=eth0 OUT= DST=1.2.3.4")
                .result.reason,
            "firewall line without SRC=");
}

// --- web server error logs ---

TEST(WebErrorTest, NginxAuthFailures) {
  auto p = Parse("nginx-error",
                 R"(2012/04/09 11:53:29 [error] 2865#0: *66647 user "xyz" was not found in )"
                 R"("/var/www/.htpasswd", client: 192.0.43.10, server: www.myhost.com, request: )"
                 R"("GET / HTTP/1.1", host: "www.myhost.com")");
  ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << p.result.reason;
  EXPECT_EQ(p.event.time, CivilToMicros(2012, 4, 9, 11, 53, 29));
  EXPECT_EQ(p.Get(Field::kEventAction), "http_auth");
  EXPECT_EQ(p.Get(Field::kEventOutcome), "failure");
  EXPECT_EQ(p.Get(Field::kUserName), "xyz");
  EXPECT_EQ(p.Get(Field::kSourceIp), "192.0.43.10");
  EXPECT_EQ(p.Get(Field::kUrlOriginal), "/");
  EXPECT_EQ(p.Get(Field::kUrlDomain), "www.myhost.com");
  EXPECT_EQ(p.Get(Field::kLogLevel), "error");
  EXPECT_EQ(p.Get(Field::kProcessPid), "2865");

  auto mismatch = Parse(
      "nginx-error",
      R"(2014/04/02 12:37:58 [error] 6563#0: *1861 user "scribendio": password mismatch, client: )"
      R"(2001:db8::2, server: scribend.io, request: "GET /admin HTTP/1.1", host: "scribend.io", )"
      R"(referrer: "https://scribend.io/admin")");
  EXPECT_EQ(mismatch.Get(Field::kUserName), "scribendio");
  EXPECT_EQ(mismatch.Get(Field::kSourceIp), "2001:db8::2");
  EXPECT_EQ(mismatch.Get(Field::kHttpRequestReferrer), "https://scribend.io/admin");

  auto limit = Parse("nginx-error",
                     R"(2024/01/01 00:00:00 [error] 1#1: *9 limiting requests, excess: 1.000 by )"
                     R"(zone "one", client: 192.0.2.1, server: x, request: "GET / HTTP/1.1")");
  EXPECT_EQ(limit.Get(Field::kEventAction), "rate_limited");
  EXPECT_EQ(Parse("nginx-error", "2024-01-01 bad").result.reason, "no time");
  EXPECT_EQ(Parse("nginx-error", "2024/01/01 00:00:00 oops").result.reason, "no [level]");
}

TEST(WebErrorTest, ApacheAuthFailures) {
  auto p = Parse("apache-error",
                 "[Sat Jul 20 21:34:49.453232 2013] [auth_basic:error] [pid 17512:tid 1401] "
                 "[client 127.0.0.1:51380] AH01617: user alice: authentication failure for "
                 "\"/\": Password Mismatch");
  ASSERT_EQ(p.result.outcome, ParseOutcome::kEvent) << p.result.reason;
  EXPECT_EQ(p.event.time, CivilToMicros(2013, 7, 20, 21, 34, 49, 453232));
  EXPECT_EQ(p.Get(Field::kEventAction), "http_auth");
  EXPECT_EQ(p.Get(Field::kUserName), "alice");
  EXPECT_EQ(p.Get(Field::kSourceIp), "127.0.0.1");
  EXPECT_EQ(p.Get(Field::kSourcePort), "51380");
  EXPECT_EQ(p.Get(Field::kLogLevel), "error");
  EXPECT_EQ(p.Get(Field::kProcessPid), "17512");

  auto v22 = Parse("apache-error",
                   "[Thu Jul 11 01:21:44 2013] [error] [client 2606:2800:220:1:248:1893:25c8:1946] "
                   "user test-ipv6 not found: /");
  EXPECT_EQ(v22.Get(Field::kSourceIp), "2606:2800:220:1:248:1893:25c8:1946");
  EXPECT_EQ(v22.Get(Field::kUserName), "test-ipv6");
  EXPECT_EQ(v22.Get(Field::kEventOutcome), "failure");

  auto v24v6 = Parse("apache-error",
                     "[Sat Jul 20 21:34:49 2013] [auth_basic:error] [pid 1] "
                     "[client 2001:db8::1:4242] AH01618: user bob not found: /x");
  EXPECT_EQ(v24v6.Get(Field::kSourceIp), "2001:db8::1");
  EXPECT_EQ(v24v6.Get(Field::kSourcePort), "4242");

  // The first [client] is the real one; user text later in the message is not an auth failure.
  auto injected = Parse("apache-error",
                        "[Sat Jun 01 02:17:42 2013] [error] [client 192.168.33.1] File does not "
                        "exist: /srv/http/site/[client 192.168.0.1] user root not found");
  EXPECT_EQ(injected.Get(Field::kSourceIp), "192.168.33.1");
  EXPECT_EQ(injected.Get(Field::kEventAction), "error");

  auto denied = Parse("apache-error",
                      "[Wed Jul 17 23:20:45 2013] [error] [client 127.0.0.1] client denied by "
                      "server configuration: /var/www/html/noentry/cant_get_me.html");
  EXPECT_EQ(denied.Get(Field::kEventAction), "access_denied");
  EXPECT_EQ(Parse("apache-error", "[not a time] x").result.reason, "bad time");
  EXPECT_EQ(Parse("apache-error", "no brackets").result.reason, "no [time]");
}

}  // namespace
}  // namespace mamori::rse::ingest
