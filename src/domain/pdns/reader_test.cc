#include "domain/pdns/reader.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <fstream>

#include "core/test_temp_dir.h"
#include "domain/pdns/rrtype.h"

namespace mamori::domain::pdns {
namespace {

using mamori::testing::TempDir;

struct Read {
  ingest::IngestReport report;
  ReadStats stats;
  std::vector<PdnsRecord> records;
};

class PdnsReaderTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string WriteGzip(const std::string& name, const std::string& text) {
    std::string path = dir_.File(name);
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
    return path;
  }
  Read ReadFile(const std::string& path, std::string_view format) {
    Read out;
    auto status = ReadPdnsFile(
        path, format, out.report, [&](const PdnsRecord& r) { out.records.push_back(r); },
        &out.stats);
    EXPECT_TRUE(status) << status.error().ToString();
    return out;
  }
  TempDir dir_;
};

TEST(PdnsRrtypeTest, NamesNumbersAndGenericForms) {
  EXPECT_EQ(ParseRrtype("A"), 1);
  EXPECT_EQ(ParseRrtype("NS"), 2);
  EXPECT_EQ(ParseRrtype("CNAME"), 5);
  EXPECT_EQ(ParseRrtype("SOA"), 6);
  EXPECT_EQ(ParseRrtype("PTR"), 12);
  EXPECT_EQ(ParseRrtype("mx"), 15);
  EXPECT_EQ(ParseRrtype("TXT"), 16);
  EXPECT_EQ(ParseRrtype("AAAA"), 28);
  EXPECT_EQ(ParseRrtype("SRV"), 33);
  EXPECT_EQ(ParseRrtype("HTTPS"), 65);
  EXPECT_EQ(ParseRrtype("TYPE123"), 123);
  EXPECT_EQ(ParseRrtype("type65534"), 65534);
  EXPECT_EQ(ParseRrtype("query-99"), 99);
  EXPECT_EQ(ParseRrtype("TYPE70000"), std::nullopt);
  EXPECT_EQ(ParseRrtype("BOGUS"), std::nullopt);
  EXPECT_EQ(RrtypeName(15), "MX");
  EXPECT_EQ(RrtypeName(4000), "TYPE4000");
}

TEST(PdnsNormalizeTest, RdataPerType) {
  std::string out;
  ASSERT_TRUE(NormalizeRdata(kTypeA, " 192.0.2.1 ", out));
  EXPECT_EQ(out, "192.0.2.1");
  ASSERT_TRUE(NormalizeRdata(kTypeAaaa, "2001:DB8:0:0:0:0:0:1", out));
  EXPECT_EQ(out, "2001:db8::1");
  EXPECT_FALSE(NormalizeRdata(kTypeA, "2001:db8::1", out));
  EXPECT_FALSE(NormalizeRdata(kTypeAaaa, "192.0.2.1", out));
  EXPECT_FALSE(NormalizeRdata(kTypeA, "not-an-ip", out));
  ASSERT_TRUE(NormalizeRdata(kTypeMx, "10 MX.Example.COM.", out));
  EXPECT_EQ(out, "mx.example.com");
  ASSERT_TRUE(NormalizeRdata(kTypeMx, "0 .", out));
  EXPECT_EQ(out, ".");
  ASSERT_TRUE(NormalizeRdata(kTypeCname, "Target.Example.NET.", out));
  EXPECT_EQ(out, "target.example.net");
  ASSERT_TRUE(NormalizeRdata(kTypeNs, "ns1.example.net.", out));
  EXPECT_EQ(out, "ns1.example.net");
  ASSERT_TRUE(NormalizeRdata(kTypePtr, "host.example.org.", out));
  EXPECT_EQ(out, "host.example.org");
  auto bad = NormalizeRdata(kTypeCname, "bad name.example", out);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("not allowed"), std::string::npos) << bad.error().message;
  ASSERT_TRUE(NormalizeRdata(kTypeTxt, "\"v=spf1 -all\"", out));
  EXPECT_EQ(out, "\"v=spf1 -all\"");
  ASSERT_TRUE(NormalizeName("WWW.Example.COM.", "rrname", out));
  EXPECT_EQ(out, "www.example.com");
}

TEST_F(PdnsReaderTest, DnsdbLinesNormalisedAndExpanded) {
  std::string path = Write(
      "dnsdb.json",
      R"({"rrname":"WWW.Example.com.","rrtype":"A","rdata":["93.184.216.34","93.184.216.35"],"time_first":1380139330,"time_last":1381244300,"count":17,"bailiwick":"example.com."})"
      "\n"
      R"({"rrname":"example.com.","rrtype":"MX","rdata":"10 Mail.Example.com.","time_first":100,"time_last":200,"count":2})"
      "\n"
      R"({"rrname":"example.com.","rrtype":"NS","rdata":["a.iana-servers.net."],"zone_time_first":1000,"zone_time_last":2000})"
      "\n"
      R"({"rrname":"v6.example.com.","rrtype":"AAAA","rdata":"2606:2800:220:1:248:1893:25c8:1946","time_first":5,"time_last":6,"count":1})"
      "\n"
      R"({"rrname":"www.example.com.","rrtype":"TYPE65","rdata":"1 . alpn=h2","time_first":5,"time_last":6,"count":3})"
      "\n"
      R"({"rrname":"alias.example.com.","rrtype":"CNAME","rdata":"WWW.example.com.","time_first":5,"time_last":6,"count":3})"
      "\n"
      R"({"obj":{"rrname":"wrapped.example.com.","rrtype":"PTR","rdata":"x.example.net.","time_first":7,"time_last":8,"count":1}})"
      "\n"
      R"({"cond":"succeeded"})"
      "\n");
  Read r = ReadFile(path, "dnsdb");
  EXPECT_EQ(r.report.lines, 8);
  EXPECT_EQ(r.report.malformed, 0) << (r.report.errors.empty() ? "" : r.report.errors[0]);
  EXPECT_EQ(r.report.ignored, 1);
  ASSERT_EQ(r.records.size(), 8u);
  EXPECT_EQ(r.report.records, 8);
  EXPECT_EQ(r.records[0].name, "www.example.com");
  EXPECT_EQ(r.records[0].rrtype, kTypeA);
  EXPECT_EQ(r.records[0].rdata, "93.184.216.34");
  EXPECT_EQ(r.records[0].first_seen, 1380139330);
  EXPECT_EQ(r.records[0].last_seen, 1381244300);
  EXPECT_EQ(r.records[0].count, 17);
  EXPECT_EQ(r.records[1].rdata, "93.184.216.35");
  EXPECT_EQ(r.records[2].rrtype, kTypeMx);
  EXPECT_EQ(r.records[2].rdata, "mail.example.com");
  EXPECT_EQ(r.records[3].rrtype, kTypeNs);
  EXPECT_EQ(r.records[3].first_seen, 1000);
  EXPECT_EQ(r.records[3].last_seen, 2000);
  EXPECT_EQ(r.records[3].count, 1);  // zone observations have no count
  EXPECT_EQ(r.records[4].rdata, "2606:2800:220:1:248:1893:25c8:1946");
  EXPECT_EQ(r.records[5].rrtype, 65);
  EXPECT_EQ(r.records[5].rdata, "1 . alpn=h2");
  EXPECT_EQ(r.records[6].rdata, "www.example.com");
  EXPECT_EQ(r.records[7].name, "wrapped.example.com");
  EXPECT_EQ(r.records[7].rrtype, kTypePtr);
}

TEST_F(PdnsReaderTest, DnsdbMalformedLinesNamedByLineAndSkipped) {
  std::string path = Write(
      "bad.json",
      R"({"rrname":"ok.example.com.","rrtype":"A","rdata":"192.0.2.1","time_first":1,"time_last":2,"count":1})"
      "\n"
      "{not json\n"
      R"({"rrtype":"A","rdata":"192.0.2.1","time_first":1,"time_last":2})"
      "\n"
      R"({"rrname":"bad name.example.","rrtype":"A","rdata":"192.0.2.1","time_first":1,"time_last":2})"
      "\n"
      R"({"rrname":"x.example.com.","rrtype":"A","rdata":["192.0.2.1","nope"],"time_first":1,"time_last":2})"
      "\n"
      R"({"rrname":"x.example.com.","rrtype":"A","rdata":"192.0.2.1"})"
      "\n"
      R"({"rrname":"x.example.com.","rrtype":"WHATEVER","rdata":"x","time_first":1,"time_last":2})"
      "\n"
      R"({"rrname":"x.example.com.","rrtype":"AAAA","rdata":"192.0.2.1","time_first":1,"time_last":2})"
      "\n"
      "\n"
      R"({"rrname":"last.example.com.","rrtype":"A","rdata":"192.0.2.9","time_first":1,"time_last":2,"count":4})");
  Read r = ReadFile(path, "dnsdb");
  EXPECT_EQ(r.report.lines, 10);
  EXPECT_EQ(r.report.malformed, 6);
  EXPECT_EQ(r.report.ignored, 2);  // unknown rrtype, blank line
  EXPECT_EQ(r.stats.unknown_rrtype, 1);
  ASSERT_EQ(r.stats.examples.size(), 1u);
  EXPECT_EQ(r.stats.examples[0], path + ":7: unknown rrtype \"WHATEVER\"");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].name, "last.example.com");  // a last line without newline still counts
  ASSERT_EQ(r.report.errors.size(), 6u);
  EXPECT_EQ(r.report.errors[0].rfind(path + ":2: not JSON", 0), 0u) << r.report.errors[0];
  EXPECT_EQ(r.report.errors[1], path + ":3: no \"rrname\" string");
  EXPECT_EQ(r.report.errors[2].rfind(path + ":4: rrname \"bad name.example.\"", 0), 0u)
      << r.report.errors[2];
  EXPECT_EQ(r.report.errors[3], path + ":5: rdata \"nope\": not an IP address");
  EXPECT_EQ(r.report.errors[4],
            path + ":6: no time_first/time_last (or zone_time_first/zone_time_last)");
  EXPECT_EQ(r.report.errors[5].rfind(path + ":8: rdata \"192.0.2.1\": an IPv4 address", 0), 0u)
      << r.report.errors[5];
}

TEST_F(PdnsReaderTest, GzipIsReadLikePlain) {
  std::string text =
      R"({"rrname":"a.example.com.","rrtype":"A","rdata":"192.0.2.1","time_first":1,"time_last":2,"count":1})"
      "\n"
      R"({"rrname":"b.example.com.","rrtype":"A","rdata":"192.0.2.2","time_first":1,"time_last":2,"count":1})"
      "\n";
  Read r = ReadFile(WriteGzip("dnsdb.json.gz", text), "dnsdb");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].name, "b.example.com");

  // A truncated gzip file is an error, not a silent short read.
  std::string path = WriteGzip("full.gz", std::string(200000, 'x'));
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string cut = Write("cut.gz", bytes.substr(0, bytes.size() / 2));
  ingest::IngestReport report;
  auto status = ReadPdnsFile(cut, "dnsdb", report, [](const PdnsRecord&) {});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kCorrupt);
}

TEST_F(PdnsReaderTest, ZeekTsvAnswersNxdomainAndChains) {
  std::string path = Write(
      "dns.log",
      "#separator \\x09\n"
      "#set_separator\t,\n"
      "#empty_field\t(empty)\n"
      "#unset_field\t-\n"
      "#path\tdns\n"
      "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_"
      "id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_"
      "name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\n"
      "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\t"
      "count\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector["
      "interval]\tbool\n"
      // 8: A with a CNAME chain: query -> first name, IPs to the query name, inner link dropped.
      "1591367999.305988\tC1\t10.0.0.1\t5353\t10.0.0.53\t53\tudp\t1\t0.01\tWWW.Example.com\t1\tC_"
      "INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\tedge.cdn.example.net,e1.cdn.example.net,192.0.2."
      "10,192.0.2.11\t60.0,60.0,20.0,20.0\tF\n"
      // 9: NXDOMAIN: counted, nothing stored.
      "1591368000.1\tC2\t10.0.0.1\t5353\t10.0.0.53\t53\tudp\t2\t0.01\tnope.example.com\t1\tC_"
      "INTERNET\t1\tA\t3\tNXDOMAIN\tF\tF\tT\tT\t0\t-\t-\tF\n"
      // 10: MX answers are names of type MX.
      "1591368001.0\tC3\t10.0.0.1\t5353\t10.0.0.53\t53\tudp\t3\t0.01\texample.com\t1\tC_"
      "INTERNET\t15\tMX\t0\tNOERROR\tF\tF\tT\tT\t0\tmx1.example.com,mx2.example.com\t60.0,60.0\tF\n"
      // 11: AAAA.
      "1591368002.9\tC4\t10.0.0.1\t5353\t10.0.0.53\t53\tudp\t4\t0.01\tv6.example.com\t1\tC_"
      "INTERNET\t28\tAAAA\t0\tNOERROR\tF\tF\tT\tT\t0\t2001:db8:0::1\t60.0\tF\n"
      // 12: no response at all.
      "1591368003.0\tC5\t10.0.0.1\t5353\t10.0.0.53\t53\tudp\t5\t-\tquiet.example.com\t1\tC_"
      "INTERNET\t1\tA\t-\t-\tF\tF\tT\tF\t0\t-\t-\tF\n"
      // 13: too few fields.
      "1591368003.0\tC6\tshort\n"
      // 14: a query name that is not a domain name.
      "1591368004.0\tC7\t10.0.0.1\t5353\t10.0.0.53\t53\tudp\t6\t0.01\twpad\t1\tC_"
      "INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t192.0.2.1\t60.0\tF\n"
      "#close\t2020-06-05-15-00-00\n");
  Read r = ReadFile(path, "zeek");
  EXPECT_EQ(r.report.lines, 15);
  EXPECT_EQ(r.stats.nxdomain, 1);
  EXPECT_EQ(r.stats.no_answer, 1);
  EXPECT_EQ(r.stats.headers, 8);
  EXPECT_EQ(r.report.ignored, 10);
  EXPECT_EQ(r.report.malformed, 2);
  ASSERT_EQ(r.report.errors.size(), 2u);
  EXPECT_EQ(r.report.errors[0], path + ":13: 3 fields where #fields names 24");
  EXPECT_EQ(r.report.errors[1].rfind(path + ":14: query \"wpad\"", 0), 0u) << r.report.errors[1];
  ASSERT_EQ(r.records.size(), 6u);
  EXPECT_EQ(r.records[0].name, "www.example.com");
  EXPECT_EQ(r.records[0].rrtype, kTypeCname);
  EXPECT_EQ(r.records[0].rdata, "edge.cdn.example.net");
  EXPECT_EQ(r.records[0].first_seen, 1591367999);
  EXPECT_EQ(r.records[0].last_seen, 1591367999);
  EXPECT_EQ(r.records[0].count, 1);
  EXPECT_EQ(r.records[1].rrtype, kTypeA);
  EXPECT_EQ(r.records[1].name, "www.example.com");
  EXPECT_EQ(r.records[1].rdata, "192.0.2.10");
  EXPECT_EQ(r.records[2].rdata, "192.0.2.11");
  EXPECT_EQ(r.records[3].rrtype, kTypeMx);
  EXPECT_EQ(r.records[3].rdata, "mx1.example.com");
  EXPECT_EQ(r.records[4].rdata, "mx2.example.com");
  EXPECT_EQ(r.records[5].rrtype, kTypeAaaa);
  EXPECT_EQ(r.records[5].rdata, "2001:db8::1");
  EXPECT_EQ(r.records[5].first_seen, 1591368002);
}

TEST_F(PdnsReaderTest, ZeekTsvNeedsItsHeaderAndADnsPath) {
  Read no_header = ReadFile(Write("a.log", "1.0\tC1\twww.example.com\n"), "zeek-tsv");
  ASSERT_EQ(no_header.report.errors.size(), 1u);
  EXPECT_NE(no_header.report.errors[0].find(":1: a data line before the #fields header"),
            std::string::npos);
  Read conn = ReadFile(
      Write("conn.log", "#separator \\x09\n#path\tconn\n#fields\tts\tuid\n1.0\tC1\n"), "zeek");
  ASSERT_EQ(conn.report.errors.size(), 1u);
  EXPECT_NE(conn.report.errors[0].find(":4: a Zeek \"conn\" log, not dns.log"), std::string::npos);
}

TEST_F(PdnsReaderTest, ZeekJsonLines) {
  std::string path = Write(
      "dns.json",
      R"({"ts":1591367999.305988,"uid":"C1","query":"www.example.com","qclass":1,"qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","answers":["cdn.example.net","192.0.2.10"],"TTLs":[60.0,20.0]})"
      "\n"
      R"({"ts":"2020-06-05T14:40:00.123456Z","query":"host.example.org","qtype_name":"PTR","rcode_name":"NOERROR","answers":["name.example.org"]})"
      "\n"
      R"({"ts":1591368000.0,"query":"gone.example.com","qtype":1,"rcode":3,"rcode_name":"NXDOMAIN"})"
      "\n"
      R"({"ts":1591368000.0,"query":"t.example.com","qtype":16,"qtype_name":"TXT","rcode":0,"answers":["TXT 12 hello world"]})"
      "\n"
      R"({"query":"nots.example.com","answers":["192.0.2.1"]})"
      "\n"
      "#fields\tts\n");
  Read r = ReadFile(path, "zeek-json");
  EXPECT_EQ(r.stats.nxdomain, 1);
  EXPECT_EQ(r.stats.no_answer, 1);  // the TXT answer is not kept
  ASSERT_EQ(r.report.errors.size(), 2u);
  EXPECT_EQ(r.report.errors[0], path + ":5: no \"ts\"");
  EXPECT_EQ(r.report.errors[1], path + ":6: not a JSON object (a Zeek JSON log has one per line)");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].rrtype, kTypeCname);
  EXPECT_EQ(r.records[0].rdata, "cdn.example.net");
  EXPECT_EQ(r.records[1].rrtype, kTypeA);
  EXPECT_EQ(r.records[1].rdata, "192.0.2.10");
  EXPECT_EQ(r.records[2].rrtype, kTypePtr);
  EXPECT_EQ(r.records[2].name, "host.example.org");
  EXPECT_EQ(r.records[2].first_seen, 1591368000);
}

TEST_F(PdnsReaderTest, StdinAndOverlongLines) {
  const std::string ok =
      R"({"rrname":"a.example.com.","rrtype":"A","rdata":"192.0.2.1","time_first":1,"time_last":2})";
  std::string path = Write("in.json", ok + "\n" + std::string(1'200'000, 'x') + "\n" + ok + "\n");
  // "-" reads the process's stdin: point it at the file for the call.
  int saved = ::dup(0);
  int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::dup2(fd, 0), 0);
  ::close(fd);
  Read r = ReadFile("-", "dnsdb");
  ::dup2(saved, 0);
  ::close(saved);
  EXPECT_EQ(r.report.file, "stdin");
  EXPECT_EQ(r.report.lines, 3);
  EXPECT_EQ(r.records.size(), 2u);
  ASSERT_EQ(r.report.errors.size(), 1u);
  EXPECT_EQ(r.report.errors[0], "stdin:2: line longer than 1048576 bytes");
}

TEST_F(PdnsReaderTest, UnknownFormatAndMissingFileAreErrors) {
  ingest::IngestReport report;
  auto format = ReadPdnsFile(Write("x", ""), "csv", report, [](const PdnsRecord&) {});
  ASSERT_FALSE(format);
  EXPECT_EQ(format.error().code, ErrorCode::kInvalidArgument);
  auto missing = ReadPdnsFile(dir_.File("missing.json"), "dnsdb", report, [](const PdnsRecord&) {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace mamori::domain::pdns
