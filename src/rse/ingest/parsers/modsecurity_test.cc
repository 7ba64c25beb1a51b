#include <gtest/gtest.h>

#include <string>

#include "rse/ingest/parsers/security_test_util.h"

namespace mamori::rse::ingest {
namespace {

using testing::ParserHarness;

// ModSecurity v3 + nginx connector with OWASP CRS, SecAuditLogFormat JSON (one line each).
constexpr std::string_view kBlocked =
    R"J({"transaction":{"client_ip":"203.0.113.7","time_stamp":"Wed Apr 23 22:15:00 2025",)J"
    R"J("server_id":"a1b2c3d4e5f6","client_port":51234,"host_ip":"10.0.0.5","host_port":80,)J"
    R"J("unique_id":"17454609004.922163","request":{"method":"GET","http_version":1.1,"uri":)J"
    R"J("/login.php?user=admin' OR '1'='1","headers":{"Host":"secure-app.com","User-Agent":)J"
    R"J("curl/8.13.0","Accept":"*/*"}},"response":{"body":"","http_code":403,"headers":{}},)J"
    R"J("producer":{"modsecurity":"ModSecurity v3.0.12 (Linux)","connector":)J"
    R"J("ModSecurity-nginx v1.0.3","secrules_engine":"Enabled","components":)J"
    R"J(["OWASP_CRS/4.0.0\""]},"messages":[{"message":"SQL Injection Attack Detected via )J"
    R"J(libinjection","details":{"match":"detected SQLi using libinjection.","reference":)J"
    R"J("v26,15","ruleId":"942100","file":"/etc/crs/rules/REQUEST-942.conf","lineNumber":"46",)J"
    R"J("data":"Matched Data: s&sos found within ARGS:user: admin' OR '1'='1","severity":"2",)J"
    R"J("ver":"OWASP_CRS/4.0.0","rev":"","tags":["application-multi","language-multi",)J"
    R"J("platform-multi","attack-sqli","paranoia-level/1"],"maturity":"0","accuracy":"0"}},)J"
    R"J({"message":"Inbound Anomaly Score Exceeded (Total Score: 5)","details":{"match":)J"
    R"J("Matched \"Operator `Ge' with parameter `5' against variable `TX:BLOCKING_INBOUND_)J"
    R"J(ANOMALY_SCORE' (Value: `5' )","reference":"","ruleId":"949110","file":"x","lineNumber":)J"
    R"J("222","data":"","severity":"0","ver":"OWASP_CRS/4.0.0","rev":"","tags":)J"
    R"J(["anomaly-evaluation"],"maturity":"0","accuracy":"0"}}]}})J";

TEST(ModSecurityTest, BlockedTransaction) {
  ParserHarness h("modsecurity-json");
  ASSERT_EQ(h.Outcome(kBlocked), ParseOutcome::kEvent) << h.Parse(kBlocked).reason;
  EXPECT_EQ(h.Get(Field::kSourceIp), "203.0.113.7");
  EXPECT_EQ(h.Get(Field::kSourcePort), "51234");
  EXPECT_EQ(h.Get(Field::kDestinationIp), "10.0.0.5");
  EXPECT_EQ(h.Get(Field::kDestinationPort), "80");
  EXPECT_EQ(h.Get(Field::kHttpRequestMethod), "GET");
  EXPECT_EQ(h.Get(Field::kHttpVersion), "1.1");
  EXPECT_EQ(h.Get(Field::kUrlOriginal), "/login.php?user=admin' OR '1'='1");
  EXPECT_EQ(h.Get(Field::kUrlDomain), "secure-app.com");
  EXPECT_EQ(h.Get(Field::kUserAgentOriginal), "curl/8.13.0");
  EXPECT_EQ(h.Get(Field::kHttpResponseStatusCode), "403");
  EXPECT_EQ(h.Get(Field::kEventCategory), "intrusion_detection");
  EXPECT_EQ(h.Get(Field::kEventAction), "block");
  // 949110 says severity 0 here: the most severe message names the event.
  EXPECT_EQ(h.Get(Field::kRuleId), "949110");
  EXPECT_EQ(h.Get(Field::kRuleName), "Inbound Anomaly Score Exceeded (Total Score: 5)");
  EXPECT_EQ(h.Get(Field::kEventSeverity), "0");
  EXPECT_EQ(h.event().time, CivilToMicros(2025, 4, 23, 22, 15, 0));
  EXPECT_EQ(h.Get(Field::kObserverProduct), "ModSecurity");
}

TEST(ModSecurityTest, EarliestAmongEquallySevere) {
  ParserHarness h("modsecurity-json");
  ASSERT_EQ(h.Outcome(R"({"transaction":{"client_ip":"2001:db8::7","response":{"http_code":200},)"
                      R"("messages":[{"message":"XSS Attack Detected via libinjection","details":)"
                      R"({"ruleId":"941100","severity":"2","tags":["attack-xss"]}},{"message":)"
                      R"("Inbound Anomaly Score Exceeded","details":{"ruleId":"949110",)"
                      R"("severity":"2","tags":[]}}]}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kRuleId), "941100");
  EXPECT_EQ(h.Get(Field::kRuleCategory), "attack-xss");
  EXPECT_EQ(h.Get(Field::kEventAction), "alert");  // detection-only: 200
  EXPECT_EQ(h.Get(Field::kSourceIp), "2001:db8::7");
}

TEST(ModSecurityTest, AccessDeniedMessageIsBlock) {
  ParserHarness h("modsecurity-json");
  ASSERT_EQ(h.Outcome(R"({"transaction":{"client_ip":"1.2.3.4","response":{"http_code":406},)"
                      R"J("messages":[{"message":"Access denied with code 406 (phase 2)",)J"
                      R"("details":{"ruleId":"1","severity":"CRITICAL"}}]}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventAction), "block");
  EXPECT_EQ(h.Get(Field::kEventSeverity), "CRITICAL");
}

TEST(ModSecurityTest, NoMessagesIsAWebRequest) {
  ParserHarness h("modsecurity-json");
  ASSERT_EQ(h.Outcome(R"({"transaction":{"client_ip":"1.2.3.4","request":{"method":"GET","uri":)"
                      R"("/","headers":{"host":"a.example","user-agent":"x","REFERER":"r"}},)"
                      R"("response":{"http_code":403},"messages":[]}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventCategory), "web");
  EXPECT_EQ(h.Get(Field::kEventAction), "request");
  EXPECT_EQ(h.Get(Field::kUrlDomain), "a.example");  // header names are case-insensitive
  EXPECT_EQ(h.Get(Field::kHttpRequestReferrer), "r");
  EXPECT_FALSE(h.event().Has(Field::kRuleId));
}

TEST(ModSecurityTest, Malformed) {
  ParserHarness h("modsecurity-json");
  EXPECT_EQ(h.Parse(R"({"other":{}})").reason, "no \"transaction\" object");
  EXPECT_EQ(h.Parse(R"({"transaction":"x"})").reason, "\"transaction\" is not an object");
  EXPECT_EQ(h.Outcome(kBlocked.substr(0, kBlocked.size() / 2)), ParseOutcome::kMalformed);
  EXPECT_EQ(h.Outcome("\xff\xfe\x00garbage"), ParseOutcome::kMalformed);
  EXPECT_EQ(h.Outcome(R"({"transaction":{"messages":[{"message":"\u12"}]}})"),
            ParseOutcome::kMalformed);
  // Wrong types leave fields absent.
  ASSERT_EQ(h.Outcome(R"({"transaction":{"client_ip":["x"],"client_port":{},"messages":7}})"),
            ParseOutcome::kEvent);
  EXPECT_FALSE(h.event().Has(Field::kSourceIp));
  EXPECT_EQ(h.Get(Field::kEventCategory), "web");
}

}  // namespace
}  // namespace mamori::rse::ingest
