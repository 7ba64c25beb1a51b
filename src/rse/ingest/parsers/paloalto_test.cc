#include <gtest/gtest.h>

#include <string>

#include "rse/ingest/parsers/security_test_util.h"

namespace mamori::rse::ingest {
namespace {

using testing::ParserHarness;

// BSD syslog dates have no year: place them in 2024 (the CSV carries its own times).
ParserOptions Options() {
  ParserOptions options;
  options.now = 1704067200 + 200 * 86400;
  return options;
}

// A TRAFFIC line as in Sumo Logic's PAN-OS field-extraction template, behind a BSD header.
constexpr std::string_view kTraffic =
    "<14>Jul 13 20:39:44 PA-5050 1,2017/07/13 20:39:44,0009C101317,TRAFFIC,end,1,"
    "2017/07/13 20:39:44,10.183.12.108,10.183.51.49,0.0.0.0,0.0.0.0,WinDomain_AUTH_TO_DC,,"
    "sumo\\mkwan,msrpc,vsys1,ENG_USER,ENG_INFRA,ivlan_712,ivlan_751,Syslog,2017/07/13 20:39:44,"
    "1070831,1,65123,135,0,0,0x0,tcp,allow,1194,644,550,12,1,40,any,0,3297977305,0x0,"
    "10.0.0.0_10.255.255.255,10.0.0.0_10.255.255.255,0,7,5";

TEST(PaloAltoTest, Traffic) {
  ParserHarness h("paloalto", Options());
  ASSERT_EQ(h.Outcome(kTraffic), ParseOutcome::kEvent) << h.Parse(kTraffic).reason;
  EXPECT_EQ(h.Get(Field::kSourceIp), "10.183.12.108");
  EXPECT_EQ(h.Get(Field::kDestinationIp), "10.183.51.49");
  EXPECT_EQ(h.Get(Field::kSourcePort), "65123");
  EXPECT_EQ(h.Get(Field::kDestinationPort), "135");
  EXPECT_EQ(h.Get(Field::kNetworkTransport), "tcp");
  EXPECT_EQ(h.Get(Field::kNetworkProtocol), "msrpc");
  EXPECT_EQ(h.Get(Field::kRuleName), "WinDomain_AUTH_TO_DC");
  EXPECT_EQ(h.Get(Field::kNetworkBytes), "1194");
  EXPECT_EQ(h.Get(Field::kEventCategory), "network");
  EXPECT_EQ(h.Get(Field::kEventAction), "accept");
  EXPECT_FALSE(h.event().Has(Field::kUserName));  // source user empty; sumo\mkwan is the dest
  EXPECT_EQ(h.Get(Field::kHostName), "PA-5050");
  EXPECT_EQ(h.event().time, CivilToMicros(2017, 7, 13, 20, 39, 44));
}

TEST(PaloAltoTest, ThreatWithQuotedFields) {
  ParserHarness h("paloalto", Options());
  // THREAT, spyware, reset-both; a quoted URL with a comma and a doubled quote; IPv6.
  std::string line =
      "<14>1 2024-01-01T12:00:00Z fw01 - - - - 1,2024/01/01 12:00:00,012801000001,THREAT,"
      "spyware,2561,2024/01/01 11:59:59,2001:db8::10,2001:db8::99,::,::,Outbound-Web,"
      "corp\\alice,,web-browsing,vsys1,trust,untrust,ethernet1/1,ethernet1/2,Forward,,12345,1,"
      "50000,80,0,0,0x2000,tcp,reset-both,\"evil.example/a,b \"\"x\"\".php\","
      "Cobalt Strike Beacon(86246),any,critical,client-to-server,7000,0x2000000000000000,"
      "United States,United States,,text/html,0,,,0,,,,,,,,,,,,,,fw01-name";
  ASSERT_EQ(h.Outcome(line), ParseOutcome::kEvent) << h.Parse(line).reason;
  EXPECT_EQ(h.Get(Field::kEventCategory), "intrusion_detection");
  EXPECT_EQ(h.Get(Field::kEventAction), "block");
  EXPECT_EQ(h.Get(Field::kRuleId), "86246");
  EXPECT_EQ(h.Get(Field::kRuleName), "Cobalt Strike Beacon");
  EXPECT_EQ(h.Get(Field::kRuleCategory), "spyware");
  EXPECT_EQ(h.Get(Field::kEventSeverity), "critical");
  EXPECT_EQ(h.Get(Field::kMessage), "evil.example/a,b \"x\".php");
  EXPECT_EQ(h.Get(Field::kUserName), "corp\\alice");
  EXPECT_EQ(h.Get(Field::kSourceIp), "2001:db8::10");
  EXPECT_EQ(h.Get(Field::kHostName), "fw01");
  EXPECT_EQ(h.event().time, CivilToMicros(2024, 1, 1, 11, 59, 59));
}

TEST(PaloAltoTest, UrlFilteringAndOtherTypes) {
  ParserHarness h("paloalto", Options());
  ASSERT_EQ(h.Outcome("1,2024/01/01 12:00:00,0128,THREAT,url,2561,2024/01/01 12:00:00,10.0.0.5,"
                      "93.184.216.34,,,Web,,,ssl,vsys1,trust,untrust,e1,e2,Fwd,,1,1,50000,443,0,0,"
                      "0x0,tcp,block-url,\"bad.example/\",(9999),malware,informational,"
                      "client-to-server"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventCategory), "web");
  EXPECT_EQ(h.Get(Field::kEventAction), "block");
  EXPECT_EQ(h.Get(Field::kUrlOriginal), "bad.example/");
  EXPECT_EQ(h.Get(Field::kRuleCategory), "malware");
  EXPECT_EQ(h.Get(Field::kRuleId), "9999");
  EXPECT_FALSE(h.event().Has(Field::kRuleName));
  EXPECT_EQ(h.Outcome("1,2024/01/01 12:00:00,0128,SYSTEM,general,0,2024/01/01 12:00:00,,"
                      "general,,0,0,general,informational,\"User admin logged in\",1,0x0,,,,,,,,"
                      ",,,,,,,,"),
            ParseOutcome::kSkip);
}

TEST(PaloAltoTest, Malformed) {
  ParserHarness h("paloalto", Options());
  EXPECT_EQ(h.Parse("no commas here").reason, "no CSV fields");
  EXPECT_EQ(h.Parse("1,2,3").reason, "too few CSV fields for PAN-OS");
  std::string bad(kTraffic);
  bad.replace(bad.find("2017/07/13 20:39:44,10.183"), 19, "yesterday-ish-time!");
  bad.replace(bad.find("1,2017/07/13 20:39:44,0009"), 21, "1,not-a-time-at-all!!");
  EXPECT_EQ(h.Parse(bad).reason, "bad PAN-OS time");
  EXPECT_EQ(h.Parse("1,\"unclosed,2,3").reason, "unclosed quote in CSV");
  EXPECT_EQ(h.Outcome("\x01,\x02,\x03"), ParseOutcome::kMalformed);
}

}  // namespace
}  // namespace mamori::rse::ingest
