#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>

#include "core/test_temp_dir.h"
#include "domain/ipinfo/ip_info.h"
#include "domain/ipinfo/testing/mmdb_writer.h"

namespace mamori::domain::ipinfo {
namespace {

using testing::AsnRecord;
using testing::CountryRecord;
using testing::MmdbWriter;
using testing::MmdbWriterOptions;

IpAddress Ip(std::string_view text) { return *IpAddress::Parse(text); }
Cidr Net(std::string_view text) { return Cidr::Parse(text)->cidr; }

class OpenIpInfoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MmdbWriterOptions asn_options;
    asn_options.database_type = "GeoLite2-ASN";
    MmdbWriter asn(asn_options);
    ASSERT_TRUE(asn.Insert(Net("1.0.0.0/24"), AsnRecord(13335, "CLOUDFLARENET")));
    ASSERT_TRUE(asn.Insert(Net("8.8.8.0/24"), AsnRecord(15169, "GOOGLE")));
    ASSERT_TRUE(asn.WriteFile(asn_mmdb_));

    MmdbWriterOptions country_options;
    country_options.database_type = "GeoLite2-Country";
    MmdbWriter country(country_options);
    ASSERT_TRUE(country.Insert(Net("1.0.0.0/24"), CountryRecord("AU")));
    ASSERT_TRUE(country.Insert(Net("2001:db8::/32"), CountryRecord("JP")));
    ASSERT_TRUE(country.WriteFile(country_mmdb_));

    std::ofstream(table_) << "1.0.0.0\t1.0.0.255\t64500\tUS\tTABLE-AS\n"
                             "9.9.9.0\t9.9.9.255\t19281\tCH\tQUAD9\n"
                             "2001:db8::\t2001:db8::ffff\t64501\tNone\tV6-TABLE\n";
  }

  mamori::testing::TempDir dir_;
  std::string asn_mmdb_ = dir_.File("GeoLite2-ASN.mmdb");
  std::string country_mmdb_ = dir_.File("GeoLite2-Country.mmdb");
  std::string table_ = dir_.File("ip2asn-combined.tsv");
};

TEST_F(OpenIpInfoTest, CombinesAsnAndCountryDatabases) {
  std::vector<IpInfoFileReport> report;
  auto source = OpenIpInfo({asn_mmdb_, country_mmdb_}, &report);
  ASSERT_TRUE(source) << source.error().ToString();
  EXPECT_EQ((*source)->Lookup(Ip("1.0.0.1")), (IpInfo{13335, "CLOUDFLARENET", "AU"}));
  EXPECT_EQ((*source)->Lookup(Ip("8.8.8.8")), (IpInfo{15169, "GOOGLE", ""}));
  EXPECT_EQ((*source)->Lookup(Ip("2001:db8::5")), (IpInfo{0, "", "JP"}));
  EXPECT_FALSE((*source)->Lookup(Ip("9.9.9.9")));

  ASSERT_EQ(report.size(), 2u);
  EXPECT_EQ(report[0].path, asn_mmdb_);
  EXPECT_EQ(report[0].kind, IpInfoFileReport::Kind::kMmdb);
  EXPECT_EQ(report[0].description, "GeoLite2-ASN");
  EXPECT_EQ(report[1].description, "GeoLite2-Country");
}

TEST_F(OpenIpInfoTest, FirstSourceThatKnowsAFieldWins) {
  auto source = OpenIpInfo({asn_mmdb_, table_, country_mmdb_});
  ASSERT_TRUE(source) << source.error().ToString();
  // ASN from the MMDB (first); country from the table (second), not the country DB (third).
  EXPECT_EQ((*source)->Lookup(Ip("1.0.0.1")), (IpInfo{13335, "CLOUDFLARENET", "US"}));
  // Only the table knows 9.9.9.9.
  EXPECT_EQ((*source)->Lookup(Ip("9.9.9.9")), (IpInfo{19281, "QUAD9", "CH"}));
  // ASN from the table, country (unknown there) from the country DB.
  EXPECT_EQ((*source)->Lookup(Ip("2001:db8::1")), (IpInfo{64501, "V6-TABLE", "JP"}));

  auto table_first = OpenIpInfo({table_, asn_mmdb_});
  ASSERT_TRUE(table_first);
  EXPECT_EQ((*table_first)->Lookup(Ip("1.0.0.1")), (IpInfo{64500, "TABLE-AS", "US"}));
}

TEST_F(OpenIpInfoTest, DetectsGzipTablesAndReportsMalformedLines) {
  std::string gz_path = dir_.File("ip2asn-v4.tsv.gz");
  std::string text = "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\nbroken line\n";
  gzFile gz = gzopen(gz_path.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  std::vector<IpInfoFileReport> report;
  auto source = OpenIpInfo({gz_path}, &report);
  ASSERT_TRUE(source) << source.error().ToString();
  EXPECT_EQ((*source)->Lookup(Ip("1.0.0.1"))->asn, 13335u);
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].kind, IpInfoFileReport::Kind::kTable);
  EXPECT_EQ(report[0].entries, 1u);
  EXPECT_EQ(report[0].malformed_lines, 1u);
  ASSERT_EQ(report[0].malformed_examples.size(), 1u);
  EXPECT_EQ(report[0].malformed_examples[0].rfind(gz_path + ":2: ", 0), 0u);
}

TEST_F(OpenIpInfoTest, ErrorsNameTheFile) {
  auto missing = OpenIpInfo({asn_mmdb_, dir_.File("nope.mmdb")});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_EQ(missing.error().context, dir_.File("nope.mmdb"));

  // An MMDB marker but broken content: read as an MMDB, refused as one.
  std::ofstream(dir_.File("broken.mmdb"), std::ios::binary) << "junk\xAB\xCD\xEFMaxMind.comjunk";
  auto broken = OpenIpInfo({dir_.File("broken.mmdb")});
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().context, dir_.File("broken.mmdb"));

  std::ofstream(dir_.File("page.html")) << "<html>rate limited</html>\n";
  auto html = OpenIpInfo({dir_.File("page.html")});
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(html.error().context, dir_.File("page.html"));

  EXPECT_FALSE(OpenIpInfo({}));
}

}  // namespace
}  // namespace mamori::domain::ipinfo
