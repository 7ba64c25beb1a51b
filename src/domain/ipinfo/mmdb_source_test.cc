#include "domain/ipinfo/mmdb_source.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/test_temp_dir.h"
#include "domain/ipinfo/testing/mmdb_writer.h"

namespace mamori::domain::ipinfo {
namespace {

using testing::AsnRecord;
using testing::CountryRecord;
using testing::MmdbValue;
using testing::MmdbWriter;
using testing::MmdbWriterOptions;

IpAddress Ip(std::string_view text) { return *IpAddress::Parse(text); }
Cidr Net(std::string_view text) { return Cidr::Parse(text)->cidr; }

class MmdbSourceTest : public ::testing::Test {
 protected:
  std::string Write(const MmdbWriter& writer, const std::string& name) {
    std::string path = dir_.File(name);
    auto status = writer.WriteFile(path);
    EXPECT_TRUE(status) << status.error().ToString();
    return path;
  }
  mamori::testing::TempDir dir_;
};

TEST_F(MmdbSourceTest, ReadsAsnDatabase) {
  for (int record_size : {24, 28, 32}) {
    MmdbWriterOptions options;
    options.record_size = record_size;
    options.database_type = "GeoLite2-ASN";
    MmdbWriter writer(options);
    ASSERT_TRUE(writer.Insert(Net("1.0.0.0/24"), AsnRecord(13335, "CLOUDFLARENET")));
    ASSERT_TRUE(writer.Insert(Net("2001:4860::/32"), AsnRecord(15169, "GOOGLE")));
    auto source = MmdbSource::Open(Write(writer, "asn.mmdb"));
    ASSERT_TRUE(source) << source.error().ToString();
    EXPECT_EQ((*source)->database_type(), "GeoLite2-ASN");
    EXPECT_EQ((*source)->ip_version(), 6);

    auto info = (*source)->Lookup(Ip("1.0.0.1"));
    ASSERT_TRUE(info) << record_size;
    EXPECT_EQ(*info, (IpInfo{13335, "CLOUDFLARENET", ""}));
    info = (*source)->Lookup(Ip("::ffff:1.0.0.200"));  // mapped: looked up as 1.0.0.200
    ASSERT_TRUE(info);
    EXPECT_EQ(info->asn, 13335u);
    info = (*source)->Lookup(Ip("2001:4860:4860::8888"));
    ASSERT_TRUE(info);
    EXPECT_EQ(*info, (IpInfo{15169, "GOOGLE", ""}));
    EXPECT_FALSE((*source)->Lookup(Ip("1.0.1.0")));
    EXPECT_FALSE((*source)->Lookup(Ip("2001:4861::")));
  }
}

TEST_F(MmdbSourceTest, ReadsCountryAndFallsBackToRegisteredCountry) {
  MmdbWriterOptions options;
  options.database_type = "GeoLite2-Country";
  MmdbWriter writer(options);
  ASSERT_TRUE(writer.Insert(Net("1.0.0.0/24"), CountryRecord("AU")));
  // GeoLite2 shape: both keys; `country` wins.
  ASSERT_TRUE(writer.Insert(
      Net("2.0.0.0/16"),
      MmdbValue::Map(
          {{"country", MmdbValue::Map({{"iso_code", MmdbValue::String("FR")},
                                       {"geoname_id", MmdbValue::Uint32(3017382)}})},
           {"registered_country", MmdbValue::Map({{"iso_code", MmdbValue::String("DE")}})}})));
  ASSERT_TRUE(writer.Insert(
      Net("3.0.0.0/16"),
      MmdbValue::Map(
          {{"registered_country", MmdbValue::Map({{"iso_code", MmdbValue::String("US")}})}})));
  // A record with none of our fields.
  ASSERT_TRUE(writer.Insert(
      Net("4.0.0.0/16"),
      MmdbValue::Map({{"continent", MmdbValue::Map({{"code", MmdbValue::String("NA")}})}})));
  auto source = MmdbSource::Open(Write(writer, "country.mmdb"));
  ASSERT_TRUE(source) << source.error().ToString();
  EXPECT_EQ((*source)->Lookup(Ip("1.0.0.9")), (IpInfo{0, "", "AU"}));
  EXPECT_EQ((*source)->Lookup(Ip("2.0.1.1")), (IpInfo{0, "", "FR"}));
  EXPECT_EQ((*source)->Lookup(Ip("3.0.1.1")), (IpInfo{0, "", "US"}));
  EXPECT_FALSE((*source)->Lookup(Ip("4.0.1.1")));
}

TEST_F(MmdbSourceTest, Ipv4DatabaseAnswersNothingForIpv6) {
  MmdbWriterOptions options;
  options.ip_version = 4;
  MmdbWriter writer(options);
  ASSERT_TRUE(writer.Insert(Net("1.0.0.0/24"), AsnRecord(13335, "CLOUDFLARENET")));
  auto source = MmdbSource::Open(Write(writer, "v4.mmdb"));
  ASSERT_TRUE(source) << source.error().ToString();
  EXPECT_EQ((*source)->Lookup(Ip("1.0.0.1"))->asn, 13335u);
  EXPECT_EQ((*source)->Lookup(Ip("::ffff:1.0.0.1"))->asn, 13335u);
  EXPECT_FALSE((*source)->Lookup(Ip("2001:db8::1")));
}

TEST_F(MmdbSourceTest, OpenErrorsNameTheFile) {
  auto missing = MmdbSource::Open(dir_.File("GeoLite2-ASN.mmdb"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_EQ(missing.error().context, dir_.File("GeoLite2-ASN.mmdb"));

  std::ofstream(dir_.File("text.mmdb")) << "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n";
  auto text = MmdbSource::Open(dir_.File("text.mmdb"));
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(text.error().context, dir_.File("text.mmdb"));
  EXPECT_NE(text.error().message.find("not a MaxMind DB file"), std::string::npos)
      << text.error().message;
}

TEST_F(MmdbSourceTest, RefusesATruncatedDatabase) {
  MmdbWriter writer;
  ASSERT_TRUE(writer.Insert(Net("1.0.0.0/24"), AsnRecord(13335, "CLOUDFLARENET")));
  auto bytes = writer.Serialize();
  ASSERT_TRUE(bytes);
  // Keep the metadata but drop most of the search tree: node_count promises more than is there.
  std::string metadata = bytes->substr(bytes->rfind("\xAB\xCD\xEFMaxMind.com"));
  std::ofstream(dir_.File("cut.mmdb"), std::ios::binary) << bytes->substr(0, 10) << metadata;
  auto source = MmdbSource::Open(dir_.File("cut.mmdb"));
  ASSERT_FALSE(source);
  EXPECT_EQ(source.error().context, dir_.File("cut.mmdb"));
}

}  // namespace
}  // namespace mamori::domain::ipinfo
