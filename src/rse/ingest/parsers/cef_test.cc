#include <gtest/gtest.h>

#include <string>

#include "rse/ingest/parsers/key_value.h"
#include "rse/ingest/parsers/security_test_util.h"

namespace mamori::rse::ingest {
namespace {

using testing::ParserHarness;

TEST(CefTest, SyslogWrappedWithSpacesAndEscapes) {
  ParserHarness h("cef");
  std::string_view line =
      "<134>Jan 01 12:00:00 fw1 CEF:0|Trend Micro|Deep Security Agent|10.0|4000030|"
      "Suspicious \\| piped name|6|cn1=1 cn1Label=Host ID dvchost=hostname act=blocked "
      "src=10.0.0.5 spt=51234 dst=2001:db8::80 dpt=443 proto=TCP suser=alice smith "
      "request=https://evil.example/a?b\\=c msg=line one\\nline two cs1=ignored cs1Label=Policy "
      "rt=1704110400123";
  ASSERT_EQ(h.Outcome(line), ParseOutcome::kEvent) << h.Parse(line).reason;
  EXPECT_EQ(h.Get(Field::kObserverVendor), "Trend Micro");
  EXPECT_EQ(h.Get(Field::kObserverProduct), "Deep Security Agent");
  EXPECT_EQ(h.Get(Field::kRuleId), "4000030");
  EXPECT_EQ(h.Get(Field::kRuleName), "Suspicious | piped name");
  EXPECT_EQ(h.Get(Field::kEventSeverity), "6");
  EXPECT_EQ(h.Get(Field::kObserverName), "hostname");
  EXPECT_EQ(h.Get(Field::kSourceIp), "10.0.0.5");
  EXPECT_EQ(h.Get(Field::kSourcePort), "51234");
  EXPECT_EQ(h.Get(Field::kDestinationIp), "2001:db8::80");
  EXPECT_EQ(h.Get(Field::kDestinationPort), "443");
  EXPECT_EQ(h.Get(Field::kNetworkTransport), "tcp");
  EXPECT_EQ(h.Get(Field::kUserName), "alice smith");
  EXPECT_EQ(h.Get(Field::kUrlOriginal), "https://evil.example/a?b=c");
  EXPECT_EQ(h.Get(Field::kMessage), "line one\nline two");
  EXPECT_EQ(h.Get(Field::kEventCategory), "intrusion_detection");
  EXPECT_EQ(h.Get(Field::kEventAction), "block");
  EXPECT_EQ(h.Get(Field::kHostName), "fw1");
  EXPECT_EQ(h.event().time, CivilToMicros(2024, 1, 1, 12, 0, 0, 123000));
}

TEST(CefTest, BareFirewallEvent) {
  ParserHarness h("cef");
  ASSERT_EQ(h.Outcome("CEF:0|Check Point|VPN-1 & FireWall-1|Check Point|Drop|Drop|Medium|"
                      "act=Drop src=198.51.100.9 dst=192.0.2.10 dpt=23 proto=6 "
                      "rt=Jan 15 2024 08:30:00"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventCategory), "network");
  EXPECT_EQ(h.Get(Field::kEventAction), "drop");
  EXPECT_EQ(h.Get(Field::kNetworkTransport), "tcp");
  EXPECT_EQ(h.Get(Field::kEventSeverity), "Medium");
  EXPECT_EQ(h.event().time, CivilToMicros(2024, 1, 15, 8, 30, 0));
  // No extension at all, no act: an alert.
  ASSERT_EQ(h.Outcome("CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kEventAction), "alert");
  EXPECT_EQ(h.Get(Field::kRuleName), "worm successfully stopped");
}

TEST(CefTest, Malformed) {
  ParserHarness h("cef");
  EXPECT_EQ(h.Parse("<134>Jan 01 12:00:00 host sshd[1]: hello").reason, "no \"CEF:\" header");
  EXPECT_EQ(h.Parse("CEF:0|a|b|c").reason, "CEF header has fewer than 7 fields");
  EXPECT_EQ(h.Parse("CEF:x|a|b|c|d|e|f|").reason, "bad CEF version");
  EXPECT_EQ(h.Parse("CEF:0|a|b|c|d|e|f|not an extension").reason, "CEF extension is not key=value");
  EXPECT_EQ(h.Outcome("\x01\x02\x03"), ParseOutcome::kMalformed);
}

TEST(KeyValueTest, QuotedStyle) {
  kv::KeyValueScanner scanner(R"(<189>date=2024-01-01 msg="a \"quoted\" word" x=1 stray k="")",
                              kv::KvStyle::kQuoted);
  kv::KeyValue pair;
  Arena arena;
  ASSERT_TRUE(scanner.Next(pair));
  EXPECT_EQ(pair.key, "date");
  ASSERT_TRUE(scanner.Next(pair));
  EXPECT_EQ(pair.key, "msg");
  EXPECT_EQ(kv::Unescape(pair, kv::KvStyle::kQuoted, arena), "a \"quoted\" word");
  ASSERT_TRUE(scanner.Next(pair));
  EXPECT_EQ(pair.value, "1");
  ASSERT_TRUE(scanner.Next(pair));
  EXPECT_EQ(pair.key, "k");
  EXPECT_EQ(pair.value, "");
  EXPECT_FALSE(scanner.Next(pair));
  EXPECT_FALSE(scanner.malformed());
  kv::KeyValueScanner open(R"(a="never closed)", kv::KvStyle::kQuoted);
  EXPECT_TRUE(open.Next(pair));
  EXPECT_TRUE(open.malformed());
}

TEST(KeyValueTest, CefStyleValueRunsToNextKey) {
  kv::KeyValueScanner scanner("a=one two b=x=y c=  d\\=e   ", kv::KvStyle::kCef);
  kv::KeyValue pair;
  Arena arena;
  ASSERT_TRUE(scanner.Next(pair));
  EXPECT_EQ(pair.value, "one two");
  ASSERT_TRUE(scanner.Next(pair));
  EXPECT_EQ(pair.value, "x=y");  // an unescaped '=' without a space before its "key"
  ASSERT_TRUE(scanner.Next(pair));
  EXPECT_EQ(pair.key, "c");
  EXPECT_EQ(kv::Unescape(pair, kv::KvStyle::kCef, arena), "  d=e");
  EXPECT_FALSE(scanner.Next(pair));
}

}  // namespace
}  // namespace mamori::rse::ingest
