#include <gtest/gtest.h>

#include <string>

#include "rse/ingest/parsers/security_test_util.h"

namespace mamori::rse::ingest {
namespace {

using testing::ParserHarness;

// Shaped like the conn.log/dns.log examples of Zeek's documentation ("Logs" > conn.log).
constexpr const char* kConnHeader[] = {
    "#separator \\x09",
    "#set_separator\t,",
    "#empty_field\t(empty)",
    "#unset_field\t-",
    "#path\tconn",
    "#open\t2020-09-22-17-05-58",
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
    "orig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\t"
    "orig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents",
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\t"
    "bool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]",
};
constexpr std::string_view kConnLine =
    "1600794358.094075\tCJ3w4E3kmMgGwoJ1Sj\t192.168.4.76\t46378\t31.3.245.133\t80\ttcp\thttp\t"
    "0.254458\t77\t295\tSF\t-\t-\t0\tShADadFf\t6\t397\t4\t511\t(empty)";

TEST(ZeekTest, ConnTsvWithHeader) {
  ParserHarness h("zeek-conn");
  for (const char* header : kConnHeader)
    EXPECT_EQ(h.Outcome(header), ParseOutcome::kSkip) << header;
  ASSERT_EQ(h.Outcome(kConnLine), ParseOutcome::kEvent) << h.Parse(kConnLine).reason;
  EXPECT_EQ(h.event().time, int64_t{1600794358094075});
  EXPECT_EQ(h.Get(Field::kSourceIp), "192.168.4.76");
  EXPECT_EQ(h.Get(Field::kSourcePort), "46378");
  EXPECT_EQ(h.Get(Field::kDestinationIp), "31.3.245.133");
  EXPECT_EQ(h.Get(Field::kDestinationPort), "80");
  EXPECT_EQ(h.Get(Field::kNetworkTransport), "tcp");
  EXPECT_EQ(h.Get(Field::kNetworkProtocol), "http");
  EXPECT_EQ(h.Get(Field::kNetworkBytes), "372");
  EXPECT_EQ(h.Get(Field::kEventCategory), "network");
  EXPECT_EQ(h.Get(Field::kEventAction), "connection");
  EXPECT_EQ(h.Get(Field::kEventOutcome), "success");
  EXPECT_EQ(h.Get(Field::kMessage), "SF");
  EXPECT_EQ(h.Get(Field::kEventDataset), "zeek.conn");
  EXPECT_EQ(h.Outcome("#close\t2020-09-22-17-06-00"), ParseOutcome::kSkip);
}

TEST(ZeekTest, ConnUnsetAndEmptyAreAbsent) {
  ParserHarness h("zeek-conn");
  for (const char* header : kConnHeader) h.Parse(header);
  ASSERT_EQ(
      h.Outcome("1600794358.1\tC1\tfe80::1\t5353\tff02::fb\t5353\tudp\t-\t-\t-\t-\tS0\t-\t-\t0\t"
                "D\t1\t100\t0\t0\t(empty)"),
      ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kSourceIp), "fe80::1");
  ASSERT_TRUE(h.event().DestinationAddress().has_value());
  EXPECT_FALSE(h.event().Has(Field::kNetworkProtocol));
  EXPECT_FALSE(h.event().Has(Field::kNetworkBytes));
  EXPECT_EQ(h.Get(Field::kEventOutcome), "failure");
  EXPECT_EQ(h.event().time, int64_t{1600794358100000});
}

TEST(ZeekTest, ColumnsFollowTheFieldsLine) {
  ParserHarness h("zeek-conn");
  // A reordered, shortened layout (a site's custom log).
  EXPECT_EQ(h.Outcome("#fields\tid.resp_h\tid.orig_h\tts"), ParseOutcome::kSkip);
  ASSERT_EQ(h.Outcome("10.0.0.1\t10.0.0.2\t1600000000.5"), ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kDestinationIp), "10.0.0.1");
  EXPECT_EQ(h.Get(Field::kSourceIp), "10.0.0.2");
  EXPECT_EQ(h.Parse("10.0.0.1\t10.0.0.2").reason, "column count differs from #fields");
}

TEST(ZeekTest, DefaultColumnsWithoutHeader) {
  // A file tailed from a saved offset never shows its header: Zeek's default layout applies.
  ParserHarness h("zeek-conn");
  ASSERT_EQ(h.Outcome(kConnLine), ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kDestinationPort), "80");
  EXPECT_EQ(h.Get(Field::kNetworkBytes), "372");
}

TEST(ZeekTest, DnsTsv) {
  ParserHarness h("zeek-dns");
  EXPECT_EQ(h.Outcome("#separator \\x09"), ParseOutcome::kSkip);
  EXPECT_EQ(h.Outcome("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\t"
                      "trans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\t"
                      "rcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected"),
            ParseOutcome::kSkip);
  ASSERT_EQ(h.Outcome("1600794392.079617\tCAj0nf2ZHbwTn3cD2c\t192.168.4.76\t36844\t192.168.4.1\t"
                      "53\tudp\t19671\t0.000183\ttestmyids.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR\t"
                      "F\tF\tT\tT\t0\t31.3.245.133\t3600.000000\tF"),
            ParseOutcome::kEvent);
  EXPECT_EQ(h.Get(Field::kDnsQuestionName), "testmyids.com");
  EXPECT_EQ(h.Get(Field::kDnsQuestionType), "A");
  EXPECT_EQ(h.Get(Field::kDnsResponseCode), "NOERROR");
  EXPECT_EQ(h.Get(Field::kEventCategory), "dns");
  EXPECT_EQ(h.Get(Field::kEventAction), "query");
  EXPECT_EQ(h.Get(Field::kSourceIp), "192.168.4.76");
  EXPECT_EQ(h.Get(Field::kEventDataset), "zeek.dns");
}

TEST(ZeekTest, JsonRecords) {
  ParserHarness conn("zeek-conn");
  ASSERT_EQ(
      conn.Outcome(R"({"ts":1591367999.430166,"uid":"C5bLoe2Mvxqhawzqqd","id.orig_h":)"
                   R"("2001:db8::5","id.orig_p":46378,"id.resp_h":"2001:db8::80","id.resp_p":)"
                   R"(443,"proto":"tcp","service":"ssl","orig_bytes":10,"resp_bytes":20,)"
                   R"("conn_state":"REJ","tunnel_parents":[]})"),
      ParseOutcome::kEvent);
  EXPECT_EQ(conn.event().time, int64_t{1591367999430166});
  EXPECT_EQ(conn.Get(Field::kSourceIp), "2001:db8::5");
  EXPECT_EQ(conn.Get(Field::kDestinationPort), "443");
  EXPECT_EQ(conn.Get(Field::kNetworkBytes), "30");
  EXPECT_EQ(conn.Get(Field::kEventOutcome), "failure");

  ParserHarness dns("zeek-dns");
  ASSERT_EQ(dns.Outcome(R"({"ts":"2020-06-05T14:39:59.430166Z","id.orig_h":"10.0.0.5","query":)"
                        R"("xn--80ak6aa92e.com","qtype_name":"AAAA","rcode_name":"NXDOMAIN"})"),
            ParseOutcome::kEvent);
  EXPECT_EQ(dns.Get(Field::kDnsQuestionName), "xn--80ak6aa92e.com");
  EXPECT_EQ(dns.Get(Field::kDnsResponseCode), "NXDOMAIN");
  EXPECT_EQ(dns.event().time, CivilToMicros(2020, 6, 5, 14, 39, 59, 430166));
  EXPECT_EQ(dns.Outcome(R"({"ts":1591367999.4,"query":"a.example")"), ParseOutcome::kMalformed);
}

TEST(ZeekTest, Malformed) {
  ParserHarness h("zeek-conn");
  EXPECT_EQ(h.Outcome("\x01\x02garbage"), ParseOutcome::kMalformed);
  EXPECT_EQ(h.Outcome("#separator \\xZZ"), ParseOutcome::kMalformed);
  // A bad timestamp in the default layout.
  std::string bad(kConnLine);
  bad.replace(0, 17, "yesterday");
  EXPECT_EQ(h.Parse(bad).reason, "bad ts");
  EXPECT_EQ(h.Outcome(""), ParseOutcome::kSkip);
}

}  // namespace
}  // namespace mamori::rse::ingest
