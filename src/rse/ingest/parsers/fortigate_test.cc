#include <gtest/gtest.h>

#include <string>

#include "rse/ingest/parsers/security_test_util.h"

namespace mamori::rse::ingest {
namespace {

using testing::ParserHarness;

// Shaped like the examples of Fortinet's "FortiOS Log Message Reference".
TEST(FortiGateTest, TrafficForwardClose) {
  ParserHarness h("fortigate");
  std::string_view line =
      R"(<189>date=2019-05-10 time=11:37:47 logid="0000000013" type="traffic" subtype="forward" )"
      R"(level="notice" vd="vdom1" eventtime=1557513467369913239 srcip=10.1.100.11 srcport=58012 )"
      R"(srcintf="port12" srcintfrole="undefined" dstip=23.59.154.35 dstport=80 dstintf="port11" )"
      R"(dstintfrole="undefined" sessionid=99140 proto=6 action="close" policyid=1 )"
      R"(policytype="policy" service="HTTP" dstcountry="United States" srccountry="Reserved" )"
      R"(trandisp="snat" transip=172.16.200.2 transport=58012 appid=34050 )"
      R"(app="HTTP.BROWSER_Firefox" duration=2 sentbyte=412 rcvdbyte=2286 sentpkt=6 rcvdpkt=6 )"
      R"(devname="FGT-HQ" devid="FG100D3G16000000")";
  ASSERT_EQ(h.Outcome(line), ParseOutcome::kEvent) << h.Parse(line).reason;
  EXPECT_EQ(h.Get(Field::kSourceIp), "10.1.100.11");
  EXPECT_EQ(h.Get(Field::kSourcePort), "58012");
  EXPECT_EQ(h.Get(Field::kDestinationIp), "23.59.154.35");
  EXPECT_EQ(h.Get(Field::kDestinationPort), "80");
  EXPECT_EQ(h.Get(Field::kNetworkTransport), "tcp");
  EXPECT_EQ(h.Get(Field::kNetworkProtocol), "http");
  EXPECT_EQ(h.Get(Field::kNetworkBytes), "2698");
  EXPECT_EQ(h.Get(Field::kEventCategory), "network");
  EXPECT_EQ(h.Get(Field::kEventAction), "accept");
  EXPECT_EQ(h.Get(Field::kObserverName), "FGT-HQ");
  EXPECT_EQ(h.Get(Field::kObserverVendor), "Fortinet");
  EXPECT_EQ(h.Get(Field::kLogLevel), "notice");
  EXPECT_EQ(h.event().time, int64_t{1557513467369913});  // eventtime in ns
}

TEST(FortiGateTest, TrafficDenyAndLocalTime) {
  ParserHarness h("fortigate");
  ASSERT_EQ(h.Outcome(R"(Jan  1 12:00:00 fw1 date=2024-01-01 time=12:00:00 tz="+0100" )"
                      R"(type="traffic" subtype="forward" srcip=2001:db8::5 dstip=2001:db8::1 )"
                      R"(dstport=23 proto=17 action="deny" policyid=0)"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventAction), "drop");
  EXPECT_EQ(h.Get(Field::kNetworkTransport), "udp");
  EXPECT_EQ(h.Get(Field::kSourceIp), "2001:db8::5");
  EXPECT_EQ(h.event().time, CivilToMicros(2024, 1, 1, 11, 0, 0));
}

TEST(FortiGateTest, IpsDropped) {
  ParserHarness h("fortigate");
  ASSERT_EQ(h.Outcome(R"(date=2019-05-15 time=18:03:36 logid="0419016384" type="utm" )"
                      R"(subtype="ips" eventtype="signature" level="alert" vd="vdom1" )"
                      R"(eventtime=1557968615 severity="critical" srcip=10.1.100.22 )"
                      R"(dstip=172.16.200.55 sessionid=1267 action="dropped" proto=6 )"
                      R"(service="HTTP" policyid=1 )"
                      R"(attack="Adobe.Flash.newfunction.Handling.Code.Execution" srcport=47218 )"
                      R"(dstport=80 hostname="172.16.200.55" url="/ips/sig1.swf" )"
                      R"(direction="incoming" attackid=23305 profile="test-ips" )"
                      R"(msg="applications3: Adobe.Flash.newfunction.Handling.Code.Execution,")"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventCategory), "intrusion_detection");
  EXPECT_EQ(h.Get(Field::kEventAction), "block");
  EXPECT_EQ(h.Get(Field::kRuleId), "23305");
  EXPECT_EQ(h.Get(Field::kRuleName), "Adobe.Flash.newfunction.Handling.Code.Execution");
  EXPECT_EQ(h.Get(Field::kEventSeverity), "critical");
  EXPECT_EQ(h.Get(Field::kUrlOriginal), "/ips/sig1.swf");
  EXPECT_EQ(h.Get(Field::kUrlDomain), "172.16.200.55");
  EXPECT_EQ(h.event().time, int64_t{1557968615} * 1000000);
}

TEST(FortiGateTest, VpnAndAdminLogins) {
  ParserHarness h("fortigate");
  ASSERT_EQ(
      h.Outcome(R"(date=2024-02-01 time=08:00:00 devname="fw" type="event" subtype="vpn" )"
                R"(level="alert" logdesc="SSL VPN login fail" action="ssl-login-fail" )"
                R"(tunneltype="ssl-web" remip=198.51.100.23 user="bob" status="failure" )"
                R"(reason="sslvpn_login_permission_denied" msg="SSL user failed to logged in")"),
      ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventCategory), "authentication");
  EXPECT_EQ(h.Get(Field::kEventAction), "vpn_login");
  EXPECT_EQ(h.Get(Field::kEventOutcome), "failure");
  EXPECT_EQ(h.Get(Field::kSourceIp), "198.51.100.23");
  EXPECT_EQ(h.Get(Field::kUserName), "bob");

  ASSERT_EQ(h.Outcome(R"(date=2024-02-01 time=08:00:00 type="event" subtype="system" )"
                      R"J(logdesc="Admin login failed" user="admin" ui="ssh(203.0.113.9)" )J"
                      R"(srcip=203.0.113.9 action="login" status="failed")"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventAction), "ssh_login");
  EXPECT_EQ(h.Get(Field::kEventOutcome), "failure");
}

TEST(FortiGateTest, Malformed) {
  ParserHarness h("fortigate");
  EXPECT_EQ(h.Parse("just some words").reason, "no key=value pairs");
  EXPECT_EQ(h.Parse("date=2024-01-01 time=00:00:00").reason, "no type=");
  EXPECT_EQ(h.Parse(R"(type="traffic" msg="open)").reason, "unclosed quote");
  EXPECT_EQ(h.Outcome("\xff\xfe\x01"), ParseOutcome::kMalformed);
}

}  // namespace
}  // namespace mamori::rse::ingest
