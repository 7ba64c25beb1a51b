#include "domain/ipinfo/asn_table.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>

#include "core/test_temp_dir.h"

namespace mamori::domain::ipinfo {
namespace {

IpAddress Ip(std::string_view text) { return *IpAddress::Parse(text); }

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

constexpr std::string_view kTable =
    "0.0.0.0\t0.255.255.255\t0\tNone\tNot routed\n"
    "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n"
    "1.0.1.0\t1.0.3.255\t0\tNone\tNot routed\n"
    "1.0.4.0\t1.0.7.255\t38803\tau\tWPL-AS-AP Wirefreebroadband Pty Ltd\r\n"
    "1.0.16.0\t1.0.16.255\t2519\tJP\tVECTANT ARTERIA Networks Corporation\n"
    "2001:200::\t2001:200:ff:ffff:ffff:ffff:ffff:ffff\t2500\tJP\tWIDE-BB WIDE Project\n"
    "2001:4860::\t2001:4860:ffff:ffff:ffff:ffff:ffff:ffff\t15169\tUS\tGOOGLE\n"
    "2a00:1450::\t2a00:1450:ffff:ffff:ffff:ffff:ffff:ffff\t15169\tNone\tGOOGLE\n"
    "255.255.255.0\t255.255.255.255\t64512\tZZ\t\n";

TEST(AsnTable, ParsesV4AndV6RangesAndCountsWhatItRead) {
  AsnTableLoadReport report;
  auto table = AsnTable::Parse(kTable, "ip2asn.tsv", &report);
  ASSERT_TRUE(table) << table.error().ToString();
  EXPECT_EQ(table->v4_ranges(), 4u);
  EXPECT_EQ(table->v6_ranges(), 3u);
  EXPECT_EQ(report.lines, 9u);
  EXPECT_EQ(report.ranges, 7u);
  EXPECT_EQ(report.not_routed, 2u);
  EXPECT_EQ(report.malformed_lines, 0u);

  auto info = table->Lookup(Ip("1.0.4.77"));
  ASSERT_TRUE(info);
  EXPECT_EQ(*info, (IpInfo{38803, "WPL-AS-AP Wirefreebroadband Pty Ltd", "AU"}));  // \r cut
  info = table->Lookup(Ip("2001:4860:4860::8888"));
  ASSERT_TRUE(info);
  EXPECT_EQ(*info, (IpInfo{15169, "GOOGLE", "US"}));
  info = table->Lookup(Ip("2a00:1450:4001::1"));
  ASSERT_TRUE(info);
  EXPECT_EQ(*info, (IpInfo{15169, "GOOGLE", ""}));  // "None" = unknown country
  info = table->Lookup(Ip("255.255.255.255"));
  ASSERT_TRUE(info);
  EXPECT_EQ(*info, (IpInfo{64512, "", ""}));  // ZZ = unknown, empty description
}

TEST(AsnTable, LooksUpExactlyAtRangeEdges) {
  auto table = AsnTable::Parse(kTable, "ip2asn.tsv");
  ASSERT_TRUE(table) << table.error().ToString();
  auto asn_of = [&](std::string_view ip) -> uint32_t {
    auto info = table->Lookup(Ip(ip));
    return info ? info->asn : 0;
  };
  EXPECT_EQ(asn_of("0.255.255.255"), 0u);  // not routed, below the first routed range
  EXPECT_EQ(asn_of("1.0.0.0"), 13335u);
  EXPECT_EQ(asn_of("1.0.0.255"), 13335u);
  EXPECT_EQ(asn_of("1.0.1.0"), 0u);  // not routed
  EXPECT_EQ(asn_of("1.0.3.255"), 0u);
  EXPECT_EQ(asn_of("1.0.4.0"), 38803u);
  EXPECT_EQ(asn_of("1.0.7.255"), 38803u);
  EXPECT_EQ(asn_of("1.0.8.0"), 0u);  // gap, no line at all
  EXPECT_EQ(asn_of("1.0.16.0"), 2519u);
  EXPECT_EQ(asn_of("1.0.17.0"), 0u);
  EXPECT_EQ(asn_of("255.255.254.255"), 0u);
  EXPECT_EQ(asn_of("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff"), 0u);
  EXPECT_EQ(asn_of("2001:200::"), 2500u);
  EXPECT_EQ(asn_of("2001:200:ff:ffff:ffff:ffff:ffff:ffff"), 2500u);
  EXPECT_EQ(asn_of("2001:200:100::"), 0u);
  EXPECT_EQ(asn_of("::"), 0u);
  EXPECT_EQ(asn_of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 0u);
}

TEST(AsnTable, FindsRangesThatSpanManyLookupBuckets) {
  // Lookups search the ranges whose start shares the address's top 16 bits, then fall back to
  // the range before: a range starting several /16s (or /16 of IPv6) earlier must be found.
  auto table = AsnTable::Parse(
      "16.0.0.0\t127.255.255.255\t1\tUS\twide\n"
      "128.0.0.0\t128.0.0.255\t2\tUS\tsmall\n"
      "128.0.1.0\t255.255.255.254\t3\tUS\trest\n"
      "2000::\t3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\t4\tUS\tv6 wide\n"
      "fe80::\tfe80::ffff\t5\tUS\tv6 small\n",
      "wide.tsv");
  ASSERT_TRUE(table) << table.error().ToString();
  auto asn_of = [&](std::string_view ip) -> uint32_t {
    auto info = table->Lookup(Ip(ip));
    return info ? info->asn : 0;
  };
  EXPECT_EQ(asn_of("15.255.255.255"), 0u);
  for (const char* ip : {"16.0.0.0", "16.1.0.0", "64.2.3.4", "127.255.255.255"}) {
    EXPECT_EQ(asn_of(ip), 1u) << ip;
  }
  EXPECT_EQ(asn_of("128.0.0.255"), 2u);
  EXPECT_EQ(asn_of("200.1.2.3"), 3u);
  EXPECT_EQ(asn_of("255.255.255.254"), 3u);
  EXPECT_EQ(asn_of("255.255.255.255"), 0u);
  EXPECT_EQ(asn_of("2000::"), 4u);
  EXPECT_EQ(asn_of("2a00:1450::1"), 4u);
  EXPECT_EQ(asn_of("3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 4u);
  EXPECT_EQ(asn_of("4000::"), 0u);
  EXPECT_EQ(asn_of("fe80::1"), 5u);
  EXPECT_EQ(asn_of("fe80::1:0"), 0u);
  EXPECT_EQ(asn_of("1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 0u);
}

TEST(AsnTable, LooksUpIpv4MappedIpv6AsIpv4) {
  auto table = AsnTable::Parse(kTable, "ip2asn.tsv");
  ASSERT_TRUE(table) << table.error().ToString();
  auto info = table->Lookup(Ip("::ffff:1.0.0.1"));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->asn, 13335u);
  EXPECT_FALSE(table->Lookup(Ip("::1.0.0.1")));  // IPv4-compatible, not mapped: an IPv6 address
}

TEST(AsnTable, ReadsTheU32FormOfIpv4Bounds) {
  // ip2asn-v4-u32.tsv writes IPv4 bounds as integers: 16777216 = 1.0.0.0.
  auto table = AsnTable::Parse("16777216\t16777471\t13335\tUS\tCLOUDFLARENET\n", "v4-u32.tsv");
  ASSERT_TRUE(table) << table.error().ToString();
  auto info = table->Lookup(Ip("1.0.0.255"));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->asn, 13335u);
  EXPECT_FALSE(table->Lookup(Ip("1.0.1.0")));
}

TEST(AsnTable, CountsAndSkipsMalformedLinesNamingFileAndLine) {
  std::string text =
      "# comment\n"
      "\n"
      "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n"
      "1.0.0.0 1.0.0.255 13335 US CLOUDFLARENET\n"          // 4: spaces, not tabs
      "1.0.9.300\t1.0.9.255\t1\tUS\tx\n"                    // 5: bad start
      "1.0.9.0\tnope\t1\tUS\tx\n"                           // 6: bad end
      "1.0.10.255\t1.0.10.0\t1\tUS\tx\n"                    // 7: end before start
      "1.0.11.0\t2001:db8::\t1\tUS\tx\n"                    // 8: mixed families
      "1.0.12.0\t1.0.12.255\tAS-x\tUS\tx\n"                 // 9: bad ASN
      "1.0.13.0\t1.0.13.255\t4294967296\tUS\tx\n"           // 10: ASN too large
      "1.0.14.0\t1.0.14.255\t7\tUSA\tx\n"                   // 11: bad country
      "1.0.15.0\t1.0.15.255\tAS64500\tde\tTab\tin name\n";  // 12: valid, "AS" prefix
  AsnTableLoadReport report;
  auto table = AsnTable::Parse(text, "feeds/asn.tsv", &report);
  ASSERT_TRUE(table) << table.error().ToString();
  EXPECT_EQ(report.ranges, 2u);
  EXPECT_EQ(report.malformed_lines, 8u);
  ASSERT_EQ(report.malformed_examples.size(), 8u);
  EXPECT_EQ(report.malformed_examples[0],
            "feeds/asn.tsv:4: expected 5 tab-separated fields, found 1");
  EXPECT_EQ(report.malformed_examples[1].rfind("feeds/asn.tsv:5: range_start '1.0.9.300'", 0), 0u);
  EXPECT_EQ(report.malformed_examples[7].rfind("feeds/asn.tsv:11: country_code 'USA'", 0), 0u);
  auto info = table->Lookup(Ip("1.0.15.1"));
  ASSERT_TRUE(info);
  EXPECT_EQ(*info, (IpInfo{64500, "Tab\tin name", "DE"}));
}

TEST(AsnTable, KeepsOnlyTheFirstExamplesOfManyMalformedLines) {
  std::string text = "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n";
  for (int i = 0; i < 50; ++i) text += "garbage\n";
  AsnTableLoadReport report;
  ASSERT_TRUE(AsnTable::Parse(text, "t.tsv", &report));
  EXPECT_EQ(report.malformed_lines, 50u);
  EXPECT_EQ(report.malformed_examples.size(), AsnTableLoadReport::kMaxExamples);
}

TEST(AsnTable, RefusesOverlappingRangesNamingBothLines) {
  std::string text =
      "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n"
      "2.0.0.0\t2.0.0.255\t3215\tFR\tOrange\n"
      "1.0.0.128\t1.0.1.0\t64500\tUS\tOverlap\n";
  auto table = AsnTable::Parse(text, "ip2asn.tsv");
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(table.error().context, "ip2asn.tsv:3");
  EXPECT_NE(table.error().message.find("1.0.0.128-1.0.1.0 overlaps range 1.0.0.0-1.0.0.255 of "
                                       "line 1"),
            std::string::npos)
      << table.error().message;

  auto v6 = AsnTable::Parse(
      "2001:db8::\t2001:db8::ffff\t1\tUS\ta\n2001:db8::ffff\t2001:db8::1:0\t2\tUS\tb\n", "v6.tsv");
  ASSERT_FALSE(v6);
  EXPECT_EQ(v6.error().context, "v6.tsv:2");
}

TEST(AsnTable, AdjacentRangesDoNotOverlap) {
  auto table =
      AsnTable::Parse("1.0.0.0\t1.0.0.255\t1\tUS\ta\n1.0.1.0\t1.0.1.255\t2\tUS\tb\n", "t.tsv");
  ASSERT_TRUE(table) << table.error().ToString();
  EXPECT_EQ(table->Lookup(Ip("1.0.0.255"))->asn, 1u);
  EXPECT_EQ(table->Lookup(Ip("1.0.1.0"))->asn, 2u);
}

TEST(AsnTable, FailsWhenNoLineIsARange) {
  auto table = AsnTable::Parse("<html>not a table</html>\n", "download.tsv");
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(table.error().context, "download.tsv");
  EXPECT_NE(table.error().message.find("download.tsv:1: expected 5 tab-separated fields"),
            std::string::npos)
      << table.error().message;
  EXPECT_FALSE(AsnTable::Parse("", "empty.tsv"));
}

TEST(AsnTable, LoadsPlainAndGzipFiles) {
  testing::TempDir dir;
  WriteText(dir.File("ip2asn-v4.tsv"), std::string(kTable));
  {
    gzFile gz = gzopen(dir.File("ip2asn-v4.tsv.gz").c_str(), "wb");
    ASSERT_NE(gz, nullptr);
    ASSERT_EQ(gzwrite(gz, kTable.data(), static_cast<unsigned>(kTable.size())),
              static_cast<int>(kTable.size()));
    gzclose(gz);
  }
  for (const char* name : {"ip2asn-v4.tsv", "ip2asn-v4.tsv.gz"}) {
    AsnTableLoadReport report;
    auto table = AsnTable::Load(dir.File(name), &report);
    ASSERT_TRUE(table) << name << ": " << table.error().ToString();
    EXPECT_EQ(report.ranges, 7u) << name;
    EXPECT_EQ(table->Lookup(Ip("1.0.0.1"))->asn, 13335u) << name;
  }
}

TEST(AsnTable, LoadErrorsNameTheFile) {
  testing::TempDir dir;
  auto missing = AsnTable::Load(dir.File("missing.tsv"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_EQ(missing.error().context, dir.File("missing.tsv"));

  WriteText(dir.File("overlap.tsv"), "1.0.0.0\t1.0.0.255\t1\tUS\ta\n1.0.0.0\t1.0.0.0\t2\tUS\tb\n");
  auto overlap = AsnTable::Load(dir.File("overlap.tsv"));
  ASSERT_FALSE(overlap);
  EXPECT_EQ(overlap.error().context, dir.File("overlap.tsv") + ":2");
}

}  // namespace
}  // namespace mamori::domain::ipinfo
