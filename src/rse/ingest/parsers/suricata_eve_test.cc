#include <gtest/gtest.h>

#include <string>

#include "rse/ingest/parsers/security_test_util.h"

namespace mamori::rse::ingest {
namespace {

using testing::ParserHarness;

// From the Suricata documentation's EVE examples (docs.suricata.io, "Eve JSON Format").
constexpr std::string_view kAlert =
    R"({"timestamp":"2017-04-07T22:24:37.251547+0100","flow_id":586497171462735,"pcap_cnt":53381,)"
    R"("event_type":"alert","src_ip":"192.168.2.14","src_port":50096,"dest_ip":"209.53.113.5",)"
    R"("dest_port":80,"proto":"TCP","metadata":{"flowbits":["http.dottedquadhost"]},"tx_id":4,)"
    R"("alert":{"action":"allowed","gid":1,"signature_id":2018358,"rev":10,"signature":"ET )"
    R"(HUNTING GENERIC SUSPICIOUS POST to Dotted Quad with Fake Browser 1","category":)"
    R"("Potentially Bad Traffic","severity":2},"http":{"hostname":"209.53.113.5","url":)"
    R"J("\/core\/.\/update.php","http_user_agent":"Mozilla\/4.0 (compatible; MSIE 6.0; Windows )J"
    R"J(NT 5.1)","http_content_type":"application\/octet-stream","http_method":"POST",)J"
    R"("protocol":"HTTP\/1.1","status":200,"length":555},"app_proto":"http",)"
    R"("flow":{"pkts_toserver":7,"pkts_toclient":6,"bytes_toserver":1416,"bytes_toclient":1201,)"
    R"("start":"2017-04-07T22:24:37.134985+0100"}})";

TEST(SuricataEveTest, Alert) {
  ParserHarness h("suricata-eve");
  ASSERT_EQ(h.Outcome(kAlert), ParseOutcome::kEvent) << h.Parse(kAlert).reason;
  EXPECT_EQ(h.Get(Field::kSourceIp), "192.168.2.14");
  EXPECT_EQ(h.Get(Field::kSourcePort), "50096");
  EXPECT_EQ(h.Get(Field::kDestinationIp), "209.53.113.5");
  EXPECT_EQ(h.Get(Field::kDestinationPort), "80");
  EXPECT_EQ(h.Get(Field::kNetworkTransport), "tcp");
  EXPECT_EQ(h.Get(Field::kNetworkProtocol), "http");
  EXPECT_EQ(h.Get(Field::kEventCategory), "intrusion_detection");
  EXPECT_EQ(h.Get(Field::kEventAction), "alert");
  EXPECT_EQ(h.Get(Field::kRuleId), "2018358");
  EXPECT_EQ(h.Get(Field::kRuleName),
            "ET HUNTING GENERIC SUSPICIOUS POST to Dotted Quad with Fake Browser 1");
  EXPECT_EQ(h.Get(Field::kRuleCategory), "Potentially Bad Traffic");
  EXPECT_EQ(h.Get(Field::kEventSeverity), "2");
  EXPECT_EQ(h.Get(Field::kUrlOriginal), "/core/./update.php");  // "\/" unescaped
  EXPECT_EQ(h.Get(Field::kUrlDomain), "209.53.113.5");
  EXPECT_EQ(h.Get(Field::kHttpRequestMethod), "POST");
  EXPECT_EQ(h.Get(Field::kHttpVersion), "1.1");
  EXPECT_EQ(h.Get(Field::kHttpResponseStatusCode), "200");
  EXPECT_EQ(h.Get(Field::kHttpResponseBodyBytes), "555");
  EXPECT_EQ(h.Get(Field::kUserAgentOriginal), "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)");
  EXPECT_EQ(h.Get(Field::kNetworkBytes), "2617");
  EXPECT_EQ(h.Get(Field::kEventDataset), "suricata.eve");
  EXPECT_EQ(h.Get(Field::kObserverProduct), "Suricata");
  // 22:24:37.251547 at +01:00 is 21:24:37.251547 UTC.
  EXPECT_EQ(h.event().time, CivilToMicros(2017, 4, 7, 21, 24, 37, 251547));
  EXPECT_EQ(h.event().raw, kAlert);
}

TEST(SuricataEveTest, BlockedAlertIsBlock) {
  ParserHarness h("suricata-eve");
  std::string line =
      R"({"timestamp":"2024-01-01T12:00:00.123456+0000","event_type":"alert","src_ip":"2001:db8::1",)"
      R"("src_port":4444,"dest_ip":"2001:db8::2","dest_port":22,"proto":"TCP","alert":{"action":)"
      R"("blocked","signature_id":2001219,"signature":"ET SCAN Potential SSH Scan","severity":2}})";
  ASSERT_EQ(h.Outcome(line), ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventAction), "block");
  EXPECT_EQ(h.Get(Field::kSourceIp), "2001:db8::1");
  ASSERT_TRUE(h.event().SourceAddress().has_value());
  EXPECT_FALSE(h.event().SourceAddress()->is_v4());
  EXPECT_EQ(h.event().time, CivilToMicros(2024, 1, 1, 12, 0, 0, 123456));
}

TEST(SuricataEveTest, DnsV1QueryAndAnswer) {
  ParserHarness h("suricata-eve");
  // Query record, as in the suricata-ipc docs' sample.
  ASSERT_EQ(
      h.Outcome(R"({"timestamp":"2015-10-20T16:08:08.083366-0600","flow_id":2002523053901222,)"
                R"("event_type":"dns","src_ip":"192.168.89.2","src_port":36414,"dest_ip":)"
                R"("8.8.8.8","dest_port":53,"proto":"UDP","dns":{"type":"query","id":25510,)"
                R"("rrname":"localhost","rrtype":"A","tx_id":0}})"),
      ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventCategory), "dns");
  EXPECT_EQ(h.Get(Field::kEventAction), "query");
  EXPECT_EQ(h.Get(Field::kDnsQuestionName), "localhost");
  EXPECT_EQ(h.Get(Field::kDnsQuestionType), "A");
  EXPECT_EQ(h.Get(Field::kNetworkTransport), "udp");
  EXPECT_EQ(h.Get(Field::kNetworkProtocol), "dns");
  EXPECT_EQ(h.event().time, CivilToMicros(2015, 10, 20, 22, 8, 8, 83366));

  ASSERT_EQ(h.Outcome(R"({"timestamp":"2015-10-20T16:08:08.1-0600","event_type":"dns",)"
                      R"("src_ip":"8.8.8.8","dest_ip":"192.168.89.2","proto":"UDP","dns":{)"
                      R"("type":"answer","id":25510,"rcode":"NXDOMAIN","rrname":"evil.example"}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventAction), "answer");
  EXPECT_EQ(h.Get(Field::kDnsResponseCode), "NXDOMAIN");
  EXPECT_EQ(h.Get(Field::kDnsQuestionName), "evil.example");
  EXPECT_EQ(h.event().time, CivilToMicros(2015, 10, 20, 22, 8, 8, 100000));
}

TEST(SuricataEveTest, DnsV2AnswerAndV3Queries) {
  ParserHarness h("suricata-eve");
  ASSERT_EQ(h.Outcome(R"({"timestamp":"2024-01-01T12:00:00.000000+0000","event_type":"dns",)"
                      R"("src_ip":"10.0.0.5","dest_ip":"10.0.0.1","dns":{"version":2,"type":)"
                      R"("answer","id":1,"flags":"8180","qr":true,"rd":true,"ra":true,"rrname":)"
                      R"("example.com","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":)"
                      R"("example.com","rrtype":"A","ttl":300,"rdata":"93.184.216.34"}],)"
                      R"("grouped":{"A":["93.184.216.34"]}}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kDnsQuestionName), "example.com");
  EXPECT_EQ(h.Get(Field::kDnsResponseCode), "NOERROR");
  EXPECT_EQ(h.Get(Field::kEventAction), "answer");

  ASSERT_EQ(h.Outcome(R"({"timestamp":"2024-01-01T12:00:00Z","event_type":"dns","src_ip":)"
                      R"("10.0.0.5","dest_ip":"10.0.0.1","dns":{"version":3,"type":"request",)"
                      R"("tx_id":0,"id":7,"queries":[{"rrname":"c2.bad.example","rrtype":"TXT"},)"
                      R"({"rrname":"second.example","rrtype":"A"}]}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kDnsQuestionName), "c2.bad.example");
  EXPECT_EQ(h.Get(Field::kDnsQuestionType), "TXT");
  EXPECT_EQ(h.Get(Field::kEventAction), "query");
  EXPECT_FALSE(h.event().Has(Field::kDnsResponseCode));
}

TEST(SuricataEveTest, AlertWithDnsMetadataQueryArray) {
  ParserHarness h("suricata-eve");
  ASSERT_EQ(h.Outcome(R"({"timestamp":"2024-01-01T12:00:00Z","event_type":"alert","src_ip":)"
                      R"("10.0.0.5","alert":{"signature_id":1,"signature":"x"},"dns":{"query":)"
                      R"([{"type":"query","id":1,"rrname":"bad.example","rrtype":"A"}]}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kDnsQuestionName), "bad.example");
  EXPECT_EQ(h.Get(Field::kEventCategory), "intrusion_detection");
}

TEST(SuricataEveTest, TlsHttpFlow) {
  ParserHarness h("suricata-eve");
  ASSERT_EQ(h.Outcome(R"({"timestamp":"2024-01-01T12:00:00Z","event_type":"tls","src_ip":)"
                      R"("10.0.0.5","src_port":50000,"dest_ip":"1.2.3.4","dest_port":443,)"
                      R"("proto":"TCP","tls":{"subject":"CN=x","sni":"evil.example","version":)"
                      R"("TLS 1.2","ja3":{"hash":"abc"}}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kTlsServerName), "evil.example");
  EXPECT_EQ(h.Get(Field::kEventCategory), "network");
  EXPECT_EQ(h.Get(Field::kEventAction), "tls");

  ASSERT_EQ(h.Outcome(R"({"timestamp":"2024-01-01T12:00:00Z","event_type":"http","src_ip":)"
                      R"("10.0.0.5","dest_ip":"1.2.3.4","http":{"hostname":"www.example.com",)"
                      R"("url":"/login.php?id=1%27","http_method":"GET","status":404,)"
                      R"("http_refer":"http://x/","http_user_agent":"sqlmap/1.7"}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventCategory), "web");
  EXPECT_EQ(h.Get(Field::kEventAction), "request");
  EXPECT_EQ(h.Get(Field::kUrlOriginal), "/login.php?id=1%27");
  EXPECT_EQ(h.Get(Field::kHttpRequestReferrer), "http://x/");
  EXPECT_EQ(h.Get(Field::kHttpResponseStatusCode), "404");

  ASSERT_EQ(h.Outcome(R"({"timestamp":"2024-01-01T12:00:00Z","event_type":"flow","src_ip":)"
                      R"("10.0.0.5","dest_ip":"1.2.3.4","proto":"ICMP","flow":{"pkts_toserver":1,)"
                      R"("bytes_toserver":98,"bytes_toclient":0,"state":"new"}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventAction), "flow");
  EXPECT_EQ(h.Get(Field::kNetworkBytes), "98");
  EXPECT_EQ(h.Get(Field::kNetworkTransport), "icmp");
}

TEST(SuricataEveTest, OtherTypesAndStats) {
  ParserHarness h("suricata-eve");
  EXPECT_EQ(h.Outcome(R"({"timestamp":"2024-01-01T12:00:00Z","event_type":"stats","stats":)"
                      R"({"uptime":10,"capture":{"kernel_packets":1}}})"),
            ParseOutcome::kSkip);
  ASSERT_EQ(h.Outcome(R"({"timestamp":"2024-01-01T12:00:00Z","event_type":"anomaly","src_ip":)"
                      R"("10.0.0.5","anomaly":{"type":"decode","event":"ipv4.trunc_pkt"}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventAction), "anomaly");
  EXPECT_EQ(h.Get(Field::kEventCategory), "network");
  ASSERT_EQ(h.Outcome(R"({"event_type":"drop","src_ip":"10.0.0.5","drop":{"len":60}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventAction), "drop");
  EXPECT_EQ(h.event().time, 0);
  EXPECT_EQ(h.Outcome("   "), ParseOutcome::kSkip);
}

TEST(SuricataEveTest, EscapesAndUnicode) {
  ParserHarness h("suricata-eve");
  ASSERT_EQ(h.Outcome(R"({"event_type":"http","http":{"url":"\/a\"b\\c\u00e9\ud83d\ude00",)"
                      R"("http_user_agent":"tab\there"}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kUrlOriginal), "/a\"b\\c\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(h.Get(Field::kUserAgentOriginal), "tab\there");
  // A lone surrogate is not valid JSON text.
  EXPECT_EQ(h.Outcome(R"({"event_type":"http","http":{"url":"\ud800x"}})"),
            ParseOutcome::kMalformed);
}

TEST(SuricataEveTest, WrongTypesLeaveFieldsAbsent) {
  ParserHarness h("suricata-eve");
  ASSERT_EQ(h.Outcome(R"({"event_type":"alert","src_ip":5,"src_port":"4444","dest_port":null,)"
                      R"("proto":["TCP"],"alert":"oops","http":7,"flow":{"bytes_toserver":"x"}})"),
            ParseOutcome::kEvent);
  EXPECT_FALSE(h.event().Has(Field::kSourceIp) && h.Get(Field::kSourceIp) != "5");
  EXPECT_EQ(h.Get(Field::kSourcePort), "4444");  // a string port is kept
  EXPECT_FALSE(h.event().Has(Field::kDestinationPort));
  EXPECT_FALSE(h.event().Has(Field::kNetworkTransport));
  EXPECT_FALSE(h.event().Has(Field::kRuleId));
  EXPECT_FALSE(h.event().Has(Field::kNetworkBytes));
  EXPECT_EQ(h.Get(Field::kEventAction), "alert");
}

TEST(SuricataEveTest, MalformedLines) {
  ParserHarness h("suricata-eve");
  const char* bad[] = {
      R"({"timestamp":"2024-01-01T12:00:00Z","event_type":"alert","src_ip":"1.2)",  // truncated
      R"({"timestamp":"2024-01-01T12:00:00Z","event_type":"alert","alert":{"signature_id":1)",
      R"({"event_type":"alert"} trailing)",
      R"(["event_type","alert"])",
      R"({"src_ip":"1.2.3.4"})",  // no event_type
      "\x01\x02\xff\xfe garbage \x80",
      "{\"event_type\":\"alert\",\"src_ip\":\"\xc3\x28\"}",  // invalid UTF-8
      R"({"event_type":"alert","src_port":12ab})",
      R"({"event_type":"alert","src_ip":tru})",  // a broken literal in a field we read
      "not json at all",
  };
  for (const char* line : bad) {
    ParseResult result = h.Parse(line);
    EXPECT_EQ(result.outcome, ParseOutcome::kMalformed) << line;
    EXPECT_FALSE(result.reason.empty()) << line;
  }
  ParserOptions small;
  small.max_line_bytes = 10;
  ParserHarness capped("suricata-eve", small);
  EXPECT_EQ(capped.Parse(kAlert).reason, "line too long");
}

// On-Demand validates what it reads: a broken value under a key no field maps to is skipped
// unexamined (documented in logs-suricata.md).
TEST(SuricataEveTest, UnreadValuesAreNotValidated) {
  ParserHarness h("suricata-eve");
  EXPECT_EQ(h.Outcome(R"({"event_type":"alert","x":tru})"), ParseOutcome::kEvent);
}

TEST(SuricataEveTest, ViewsSurviveUntilNextParse) {
  ParserHarness h("suricata-eve");
  ASSERT_EQ(h.Outcome(kAlert), ParseOutcome::kEvent);
  OwnedEvent first = OwnedEvent::From(h.event());
  ASSERT_EQ(h.Outcome(R"({"event_type":"tls","tls":{"sni":"a\u0062c.example"}})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kTlsServerName), "abc.example");
  EXPECT_FALSE(h.event().Has(Field::kRuleName));
  ASSERT_FALSE(first.fields.empty());
  EXPECT_EQ(first.raw, kAlert);
}

}  // namespace
}  // namespace mamori::rse::ingest
