#include <gtest/gtest.h>

#include "rse/ingest/parsers/security_test_util.h"

namespace mamori::rse::ingest {
namespace {

using testing::ParserHarness;

TEST(SyslogAutoTest, RoutesEachLineToItsProgramsParser) {
  ParserHarness h("syslog-auto");
  ASSERT_EQ(h.Outcome("Nov 30 08:00:10 web1 sshd[4110]: Failed password for root from "
                      "203.0.113.7 port 5110 ssh2"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventDataset), "sshd");
  EXPECT_EQ(h.Get(Field::kEventOutcome), "failure");
  EXPECT_EQ(h.Get(Field::kSourceIp), "203.0.113.7");

  ASSERT_EQ(h.Outcome("Nov 30 08:00:11 mx postfix/smtpd[77]: warning: unknown[198.51.100.9]: "
                      "SASL LOGIN authentication failed: authentication failure"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventDataset), "postfix");
  EXPECT_EQ(h.Get(Field::kSourceIp), "198.51.100.9");

  ASSERT_EQ(h.Outcome("Nov 30 08:00:12 gw kernel: [ 12.5] DROP IN=eth0 OUT= "
                      "SRC=192.0.2.5 DST=198.51.100.1 LEN=60 PROTO=TCP SPT=4444 DPT=23 SYN"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventDataset), "netfilter");
  EXPECT_EQ(h.Get(Field::kDestinationPort), "23");

  ASSERT_EQ(h.Outcome("<134>Jan 01 12:00:00 fw1 CEF:0|Vendor|Product|1.0|100|Blocked|6|"
                      "src=10.0.0.5 dst=192.0.2.80 act=blocked"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kObserverVendor), "Vendor");

  ASSERT_EQ(h.Outcome(R"(<189>date=2019-05-10 time=11:37:47 devname="fg1" logid="0000000013" )"
                      R"(type="traffic" subtype="forward" srcip=10.1.100.11 dstip=23.59.154.35 )"
                      R"(dstport=80 action="deny")"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventDataset), "fortinet.fortigate");

  // Any other program: the generic syslog event (header fields and message).
  ASSERT_EQ(h.Outcome("Nov 30 08:00:13 web1 CRON[99]: (root) CMD (run-parts /etc/cron.hourly)"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kProcessName), "CRON");
  EXPECT_EQ(h.Get(Field::kMessage), "(root) CMD (run-parts /etc/cron.hourly)");
}

TEST(SyslogAutoTest, GarbageIsMalformedNotACrash) {
  ParserHarness h("syslog-auto");
  EXPECT_EQ(h.Outcome("\x01\x02 not syslog at all"), ParseOutcome::kMalformed);
}

}  // namespace
}  // namespace mamori::rse::ingest
